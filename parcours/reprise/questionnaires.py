"""Reprendre les réponses FSE+ d'entrée. Sans opération, c'est le questionnaire du parcours
(celui de l'engagement, un par parcours) ; avec le numéro d'une opération FSE+ du PLIE, c'est
celui de la participation du parcours à cette opération (un par participation, DOMAIN §7) :
celle des participations reprises (ou déjà en base) qui couvre la date d'entrée du
questionnaire (`participations.participation_de`), sinon créée (structure du référent, à défaut
la structure porteuse ; dates du questionnaire et du parcours). Les règles du questionnaire
sont vérifiées à la lecture (type d'emploi pour une personne en emploi, durée de recherche pour
une personne en recherche, code postal à 5 chiffres) : la base les garantit aussi."""

import re

from django.db import IntegrityError, transaction

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours, ParticipationFse, QuestionnaireFSE
from parcours.accompagnement.models.questionnaire import (
    CODE_POSTAL,
    MOIS_RECHERCHE_MAX,
    SituationMarcheTravail,
)
from parcours.fse.enums import MotifFinParticipation
from parcours.fse.models import OperationFse
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Refus
from parcours.reprise.models import Provenance
from parcours.reprise.objets import ecrire_objets, lire_lignes
from parcours.reprise.participations import participation_de

REPONSES = tuple(c for c in QuestionnaireFSE.CHAMPS if c != "niveau_diplome")


def lire_reponses(tableau, correspondance, contexte, parcours_du_fichier):
    par_parcours = {}

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        situation = v["situation_marche_travail"]
        if v["type_emploi"] and situation != SituationMarcheTravail.EN_EMPLOI:
            lecteur.refuser(numero, "type_emploi", "réponse réservée à une personne en emploi")
        mois = v["mois_recherche_emploi"]
        if mois:
            if not mois.isdigit() or int(mois) > MOIS_RECHERCHE_MAX:
                lecteur.refuser(
                    numero,
                    "mois_recherche_emploi",
                    f"« {mois} » n'est pas un nombre de mois (0 à {MOIS_RECHERCHE_MAX})",
                )
            elif situation != SituationMarcheTravail.DEMANDEUR_EMPLOI:
                lecteur.refuser(
                    numero,
                    "mois_recherche_emploi",
                    "réponse réservée à une personne en recherche active d'emploi",
                )
        cp = v["code_postal_naissance"]
        if cp and not re.fullmatch(CODE_POSTAL, cp):
            lecteur.refuser(
                numero, "code_postal_naissance", f"« {cp} » : 5 chiffres (99999 à l'étranger)"
            )
        operation = None
        if v["operation"]:
            operation = contexte.operations.get(v["operation"].lower())
            if operation is None:
                lecteur.refuser(
                    numero, "operation", f"opération FSE+ « {v['operation']} » inconnue de ce PLIE"
                )
        cle = (v["parcours"], operation.pk if operation else None)
        if operation is not None:
            # La participation reprise (ou déjà en base) que vise le questionnaire.
            trouvee = participation_de(contexte, v["parcours"], operation.pk, v["date_entree"])
            if trouvee is False:
                lecteur.refuser(
                    numero,
                    "date_entree",
                    f"aucune participation du parcours à l'opération {operation.numero} ne "
                    f"couvre le {v['date_entree']:%d/%m/%Y}",
                )
            elif trouvee is not None:
                cle = v["_participation"] = trouvee.cle
                # Sans date, celle de la participation (comme à l'engagement dans l'instance).
                v["date_entree"] = v["date_entree"] or trouvee.entree
        if cle in par_parcours:
            quoi = "par participation" if operation else "par parcours"
            lecteur.refuser(
                numero,
                "parcours",
                f"un seul questionnaire {quoi} (déjà ligne {par_parcours[cle]})",
            )
        par_parcours.setdefault(cle, numero)
        v["operation"] = operation.pk if operation else None
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)


def operations_du_plie(plie) -> dict:
    return {o.numero.lower(): o for o in OperationFse.objects.filter(plie=plie)}


def _participations_nommees(plie, source, lignes) -> dict:
    """Clé de participation résolue à la lecture (`Connue.cle`) -> id de la participation."""
    cles = {
        ligne.valeurs["_participation"] for ligne in lignes if "_participation" in ligne.valeurs
    }
    ids = {cle: cle[1] for cle in cles if cle[0] == "base"}
    du_fichier = {cle[1] for cle in cles if cle[0] == "fichier"}
    if du_fichier:
        ids.update(
            (("fichier", sid), pk)
            for sid, pk in Provenance.objects.filter(
                plie=plie,
                source=source,
                entite=Entite.PARTICIPATION_FSE,
                source_id__in=du_fichier,
            ).values_list("source_id", "objet_id")
        )
    return ids


def _participations(lignes, parcours_ids, operations, par) -> dict:
    """(parcours, opération) -> id de la participation, pour les questionnaires dont le parcours
    n'a aucune participation à l'opération : elles sont créées (ou retrouvées)."""
    voulues = {
        (parcours_ids[ligne.valeurs["parcours"]], ligne.valeurs["operation"]): ligne.valeurs
        for ligne in lignes
        if ligne.valeurs["operation"] and "_participation" not in ligne.valeurs
    }
    if not voulues:
        return {}
    existantes = {}
    for p in ParticipationFse.objects.filter(
        parcours_id__in={c[0] for c in voulues}, operation_id__in={c[1] for c in voulues}
    ).order_by("date_entree"):
        existantes[(p.parcours_id, p.operation_id)] = p.pk  # la plus récente l'emporte
    parcours = Parcours.objects.in_bulk({c[0] for c in voulues if c not in existantes})
    nouvelles = []
    for (parcours_id, operation_id), v in voulues.items():
        if (parcours_id, operation_id) in existantes:
            continue
        dossier = parcours[parcours_id]
        sortie = dossier.date_sortie if dossier.statut in STATUTS_CLOS else None
        nouvelles.append(
            ParticipationFse(
                parcours_id=parcours_id,
                operation_id=operation_id,
                structure_id=dossier.structure_referente_id
                or operations[operation_id].structure_porteuse_id,
                date_entree=v["date_entree"] or dossier.date_entree or dossier.date_prescription,
                date_sortie=sortie,
                motif_fin=MotifFinParticipation.SORTIE if sortie else "",
                ouverte_par=par,
            )
        )
    ParticipationFse.objects.bulk_create(nouvelles)
    existantes.update({(p.parcours_id, p.operation_id): p.pk for p in nouvelles})
    return existantes


def ecrire_reponses(plie, source, fichier, lignes, parcours_ids, operations, par, rapport):
    operations = {o.pk: o for o in operations.values()}
    participations = _participations(lignes, parcours_ids, operations, par)
    nommees = _participations_nommees(plie, source, lignes)

    def construire(v):
        champs = {c: v[c] for c in REPONSES}
        mois = v["mois_recherche_emploi"]
        champs["mois_recherche_emploi"] = int(mois) if mois else None
        parcours_id = parcours_ids[v["parcours"]]
        if "_participation" in v:
            participation_id = nommees[v["_participation"]]
        else:
            participation_id = participations.get((parcours_id, v["operation"]))
        return {
            "parcours_id": parcours_id,
            "participation_id": participation_id,
            "renseigne_par": par,
            **champs,
        }

    _, refus = ecrire_objets(
        plie, source, Entite.REPONSE_FSE, QuestionnaireFSE, fichier, lignes, rapport, construire
    )
    if not refus and nommees:
        try:
            with transaction.atomic():
                _relier(plie, source, lignes, nommees)
        except IntegrityError:
            # Une participation a déjà son questionnaire (saisi dans l'instance).
            raison = "refusée par la base (la participation a déjà un questionnaire)"
            return [Refus(fichier, lignes[0].numero, "", raison)]
    return refus


def _relier(plie, source, lignes, nommees):
    """Un questionnaire inchangé dont la participation a changé (un fichier des participations
    arrivé après lui) y est rattaché : la participation n'est pas dans l'empreinte de la ligne."""
    voulues = {
        ligne.valeurs["source_id"]: nommees[ligne.valeurs["_participation"]]
        for ligne in lignes
        if "_participation" in ligne.valeurs
    }
    objets = dict(
        Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.REPONSE_FSE, source_id__in=voulues
        ).values_list("objet_id", "source_id")
    )
    a_relier = [
        QuestionnaireFSE(pk=pk, participation_id=voulues[objets[pk]])
        for pk, actuelle in QuestionnaireFSE.objects.filter(pk__in=objets).values_list(
            "pk", "participation_id"
        )
        if actuelle != voulues[objets[pk]]
    ]
    QuestionnaireFSE.objects.bulk_update(a_relier, ["participation"])
