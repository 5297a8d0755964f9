"""Lire et contrôler tous les fichiers d'un passage de reprise, avant toute écriture
(docs/reprise.md, « Ordre et passages ») : le contexte partagé (structures, référents,
parcours repris, catalogue…) n'est chargé que pour les entités dont le fichier est là."""

from parcours.core.models import Membership
from parcours.core.roles import ROLES_REFERENT
from parcours.referentiel.sections.etapes import de as catalogue_etapes
from parcours.reprise.clauses import reprise as reprise_clauses
from parcours.reprise.comptes import (
    filtre_referents,
    lire_structures,
    lire_utilisateurs,
    structures_du_plie,
)
from parcours.reprise.contrats import lire_contrats
from parcours.reprise.entretiens import lire_entretiens
from parcours.reprise.enums import Entite
from parcours.reprise.etapes import lire_etapes
from parcours.reprise.lignes import Contexte, lire_parcours, lire_participants
from parcours.reprise.models import Provenance
from parcours.reprise.participations import (
    dates_des_parcours,
    lire_participations,
    participations_en_base,
)
from parcours.reprise.prescriptions import lire_prescriptions
from parcours.reprise.questionnaires import lire_reponses, operations_du_plie
from parcours.reprise.sorties import etats_des_parcours, lire_decisions_sortie
from parcours.reprise.suspensions import controler_etats, lire_suspensions
from parcours.reprise.territoires import territoires_du_plie

# Les entités qui citent un parcours.
SUIVI_DES_PARCOURS = (
    Entite.PRESCRIPTION,
    Entite.DECISION_SORTIE,
    Entite.ETAPE,
    Entite.ENTRETIEN,
    Entite.CONTRAT,
    Entite.PARTICIPATION_FSE,
    Entite.REPONSE_FSE,
    Entite.SUSPENSION,
)
# Un référent nommé par le fichier des comptes du même passage : résolu une fois écrit.
A_CREER = "compte du fichier"


def referents_du_plie(plie) -> dict:
    """Identifiant et courriel (en minuscules) -> (référent, structure), une requête. Les
    comptes repris encore inactifs en sont : leur file active les attend."""
    referents = {}
    adhesions = (
        Membership.objects.actives()
        .filter(filtre_referents(plie), role__in=ROLES_REFERENT, structure__plie=plie)
        .select_related("user", "structure")
        .order_by("-structure__nom")  # la première structure par ordre alphabétique l'emporte
    )
    for adhesion in adhesions:
        user = adhesion.user
        for cle in filter(None, (user.username, user.email)):
            referents[cle.lower()] = (user, adhesion.structure)
    return referents


def lire_tout(plie, correspondance, tableaux, rapport):
    """Les lignes lues de chaque entité, le contexte de lecture et les lignes des clauses ; les
    refus sont notés au rapport (la reprise s'arrête ensuite s'il y en a)."""
    source = correspondance.source
    contexte = Contexte(
        format_date=correspondance.format_date,
        participants_repris=_repris(plie, source, Entite.PARTICIPANT),
        referents=referents_du_plie(plie),
    )
    # Ce que seules certaines entités consultent n'est lu que si leur fichier est là.
    fse = {Entite.PARTICIPATION_FSE, Entite.REPONSE_FSE} & set(tableaux)
    nomment_une_structure = {
        Entite.STRUCTURE,
        Entite.UTILISATEUR,
        Entite.PRESCRIPTION,
        Entite.PARTICIPATION_FSE,
    }
    if nomment_une_structure & set(tableaux):
        contexte.structures = structures_du_plie(plie)
    if set(SUIVI_DES_PARCOURS) & set(tableaux):
        contexte.parcours_repris = _repris(plie, source, Entite.PARCOURS)
    if Entite.ETAPE in tableaux:
        contexte.catalogue = catalogue_etapes(plie)
    if fse:
        contexte.operations = operations_du_plie(plie)
        contexte.participations = participations_en_base(plie, source)
    if Entite.PARCOURS in tableaux:
        colonne = correspondance.entites[Entite.PARCOURS].colonne("territoire")
        # Une requête de moins pour un export sans territoires (le plus courant).
        if any(brutes.get(colonne) for _, brutes in tableaux[Entite.PARCOURS].lignes):
            contexte.territoires = territoires_du_plie(plie)
    lues = dict.fromkeys(Entite, ())
    # Structures et comptes, avant les parcours qui nomment leurs référents.
    for entite, lire in (
        (Entite.STRUCTURE, lire_structures),
        (Entite.UTILISATEUR, lire_utilisateurs),
    ):
        if entite in tableaux:
            lues[entite], refus = lire(tableaux[entite], correspondance.entites[entite], contexte)
            rapport.noter_refus(entite, refus)
    _referents_du_fichier(contexte, lues[Entite.UTILISATEUR])
    personnes, parcours = [], []
    if Entite.PARTICIPANT in tableaux:
        personnes, refus = lire_participants(
            tableaux[Entite.PARTICIPANT], correspondance.entites[Entite.PARTICIPANT], contexte
        )
        rapport.noter_refus(Entite.PARTICIPANT, refus)
    if Entite.PARCOURS in tableaux:
        ids = {ligne.valeurs["source_id"] for ligne in personnes}
        parcours, refus = lire_parcours(
            tableaux[Entite.PARCOURS], correspondance.entites[Entite.PARCOURS], contexte, ids
        )
        rapport.noter_refus(Entite.PARCOURS, refus)
    # Ce qui cite un parcours : du même passage ou repris avant.
    ids_parcours = {ligne.valeurs["source_id"] for ligne in parcours}
    if Entite.DECISION_SORTIE in tableaux:
        contexte.etats_parcours = etats_des_parcours(plie, source, parcours)
    if Entite.PARTICIPATION_FSE in tableaux:
        contexte.dates_parcours = dates_des_parcours(plie, source, parcours)
    for entite, lire in (
        (Entite.PRESCRIPTION, lire_prescriptions),
        (Entite.DECISION_SORTIE, lire_decisions_sortie),
        (Entite.ETAPE, lire_etapes),
        (Entite.ENTRETIEN, lire_entretiens),
        (Entite.CONTRAT, lire_contrats),
        # Avant les réponses FSE+, qui se rattachent à ces participations.
        (Entite.PARTICIPATION_FSE, lire_participations),
        (Entite.REPONSE_FSE, lire_reponses),
        (Entite.SUSPENSION, lire_suspensions),
    ):
        if entite in tableaux:
            lues[entite], refus = lire(
                tableaux[entite], correspondance.entites[entite], contexte, ids_parcours
            )
            rapport.noter_refus(entite, refus)
    if Entite.SUSPENSION in tableaux:
        _controler_suspensions(
            plie, correspondance, tableaux, lues[Entite.SUSPENSION], parcours, rapport
        )
    lues[Entite.PARTICIPANT], lues[Entite.PARCOURS] = personnes, parcours
    # Clauses sociales : les personnes visées sont celles du passage ou reprises avant.
    lues_clauses = reprise_clauses.lire(
        plie,
        correspondance,
        tableaux,
        {ligne.valeurs["source_id"] for ligne in personnes} | contexte.participants_repris,
        rapport,
    )
    return lues, contexte, lues_clauses


def _controler_suspensions(plie, correspondance, tableaux, suspensions, parcours, rapport):
    """Les suspensions contre l'état des parcours (docs/reprise.md, « suspensions »)."""
    entites = (Entite.SUSPENSION, Entite.PARCOURS)
    fichiers = {e: tableaux[e].nom for e in entites if e in tableaux}
    colonnes = {e: correspondance.entites[e].colonne for e in entites}
    refus, refus_parcours = controler_etats(
        plie, correspondance.source, suspensions, parcours, fichiers, colonnes
    )
    rapport.noter_refus(Entite.SUSPENSION, refus)
    rapport.noter_refus(Entite.PARCOURS, refus_parcours)


def _repris(plie, source, entite) -> set:
    return set(
        Provenance.objects.filter(plie=plie, source=source, entite=entite).values_list(
            "source_id", flat=True
        )
    )


def _referents_du_fichier(contexte, comptes):
    """Les référents du fichier des comptes, que les parcours du même passage peuvent nommer."""
    for ligne in comptes:
        v = ligne.valeurs
        if v["role"] in ROLES_REFERENT:
            for cle in filter(None, (v["identifiant"], v["email"])):
                contexte.referents.setdefault(cle.lower(), (A_CREER, cle.lower()))
