"""Anonymiser une personne au terme de sa conservation (docs/rgpd.md).

Effacé : ce qui l'identifie — nom, prénom, nom de naissance, jour et mois de naissance, adresse,
téléphone, courriel, lieu de naissance (questionnaire FSE+), tous ses documents, et les textes
libres écrits à son sujet (motifs, comptes rendus, commentaires, courriels), qui peuvent la
nommer ou dire sa santé : ils sont remplacés par `TEXTE_ANONYMISE`.
Gardé : ce que comptent les bilans et les indicateurs FSE+ — sexe, année de naissance (tranche
d'âge), commune et territoire, dates, états et transitions, statuts déclarés (RSA, QPV…),
niveau de qualification, réponses du questionnaire FSE+, contrats (type, employeur, durée),
situation à la sortie, décisions, étapes (type, dates), heures de clauses.

Les journaux (transitions, étapes) ne sont jamais modifiés, sauf ici : leurs motifs libres sont
effacés comme le reste.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from parcours.participants.models import Participant
from parcours.rgpd.documents import AUTEUR, documents_des_parcours, supprimer_document
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

TEXTE_ANONYMISE = "[anonymisé]"
NOM_ANONYME = "Anonyme"

# Textes libres à effacer : (modèle, champs, chemin vers le participant). Un texte vide reste
# vide ; un texte présent devient `TEXTE_ANONYMISE` (les contraintes « motif obligatoire »
# restent satisfaites).
TEXTES = (
    ("accompagnement.Prescription", ("motif", "derogation_motif"), "parcours__participant"),
    ("accompagnement.TransitionParcours", ("motif",), "parcours__participant"),
    ("accompagnement.ContratEngagement", ("objectifs",), "parcours__participant"),
    ("accompagnement.Etape", ("commentaire",), "parcours__participant"),
    ("accompagnement.Entretien", ("note", "motif_absence"), "parcours__participant"),
    ("accompagnement.Suspension", ("precision", "motif_levee"), "parcours__participant"),
    (
        "accompagnement.RenouvellementSuspension",
        ("motif",),
        "suspension__parcours__participant",
    ),
    ("accompagnement.ChangementReferent", ("motif",), "parcours__participant"),
    ("commissions.Decision", ("motif",), "parcours__participant"),
    ("emploi.Contrat", ("motif_fin",), "parcours__participant"),
    (
        "emploi.PropositionSortie",
        ("commentaire", "relais", "motif_refus"),
        "parcours__participant",
    ),
    ("emploi.DonneesSortieFSE", ("precision",), "parcours__participant"),
    ("entreprises.MiseEnRelation", ("note", "motif_non_retenue"), "parcours__participant"),
    (
        "entreprises.TransitionMiseEnRelation",
        ("motif",),
        "mise_en_relation__parcours__participant",
    ),
    ("clauses.Positionnement", ("commentaire", "motif_non_retenue"), "participant"),
    ("clauses.TransitionPositionnement", ("motif",), "positionnement__participant"),
    ("courriels.Courriel", ("sujet", "corps"), "parcours__participant"),
)
# Champs vidés (pas de texte de remplacement : un format les contraint).
VIDES = (
    (
        "accompagnement.QuestionnaireFSE",
        ("commune_naissance", "code_postal_naissance"),
        "parcours__participant",
    ),
)


def _modele(nom):
    from django.apps import apps

    return apps.get_model(nom)


def _effacer_textes(participant: Participant) -> None:
    for nom, champs, chemin in TEXTES:
        lignes = _modele(nom).objects.filter(**{chemin: participant})
        for champ in champs:
            lignes.exclude(**{champ: ""}).update(**{champ: TEXTE_ANONYMISE})
    for nom, champs, chemin in VIDES:
        _modele(nom).objects.filter(**{chemin: participant}).update(**dict.fromkeys(champs, ""))
    # Le détail des modifications d'étape peut recopier un commentaire : on ne garde que les
    # statuts avant et après.
    _modele("accompagnement.JournalEtape").objects.filter(
        etape__parcours__participant=participant
    ).exclude(changements={}).update(changements={})
    _effacer_commentaires_des_processus(participant)
    # Son adresse parmi les destinataires des courriels envoyés à son sujet.
    if participant.email:
        courriels = _modele("courriels.Courriel").objects.filter(
            parcours__participant=participant, destinataires__contains=[participant.email]
        )
        for courriel in courriels:
            courriel.destinataires = [d for d in courriel.destinataires if d != participant.email]
            courriel.save(update_fields=["destinataires"])


def _effacer_commentaires_des_processus(participant: Participant) -> None:
    """Les processus viewflow des parcours (alertes traitées) gardent le commentaire saisi en
    traitant la tâche : un texte libre comme les autres."""
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Process

    processus = Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(_modele("accompagnement.Parcours")),
        artifact_object_id__in=participant.parcours.values("pk"),
        data__traitement__has_key="commentaire",
    )
    for process in processus:
        if process.data["traitement"]["commentaire"]:
            process.data["traitement"]["commentaire"] = TEXTE_ANONYMISE
            process.save(update_fields=["data"])


def anonymiser(participant_id: int, *, fin: datetime.date) -> int | None:
    """Anonymise la personne et supprime tous ses documents, dans une seule transaction.
    Renvoie le nombre de documents supprimés, ou None si elle l'était déjà (idempotent)."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant_id)
        if participant.anonymise_le is not None:
            return None
        parcours = list(participant.parcours.values_list("pk", "plie_id"))
        documents = documents_des_parcours(pk for pk, _ in parcours)
        for document in documents:
            supprimer_document(document, motif="anonymisation de la personne")
        _effacer_textes(participant)
        participant.nom = NOM_ANONYME
        participant.prenom = participant.numero
        participant.nom_naissance = ""
        # L'année seule, au 1er juillet : l'âge calculé ensuite s'écarte de six mois au plus.
        participant.date_naissance = datetime.date(participant.date_naissance.year, 7, 1)
        participant.email = participant.telephone = participant.adresse = ""
        participant.anonymise_le = timezone.now()
        participant.save()
        # Une trace dans le journal de chaque PLIE où la personne a eu un parcours.
        for plie_id in dict.fromkeys(plie for _, plie in parcours):
            tracer(
                TypeTrace.ANONYMISATION,
                identifiant=AUTEUR,
                plie=plie_id,
                participant_id=participant.pk,
                objet_type="participant",
                objet_id=participant.pk,
                detail=f"Identité anonymisée au terme de sa conservation ({fin:%d/%m/%Y}) ; "
                f"{len(documents)} document(s) supprimé(s).",
            )
    return len(documents)
