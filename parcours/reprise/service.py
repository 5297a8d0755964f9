"""Reprendre l'historique d'un PLIE depuis un dossier de fichiers neutres (docs/reprise.md).

Tout ou rien : les fichiers sont lus et contrôlés en entier ; une seule ligne refusée et rien
n'est enregistré (`RepriseRefusee`, avec le rapport qui liste chaque refus). Un contrôle
(`dry_run`) fait tout le travail dans une transaction annulée : ses comptes sont ceux qu'aurait
la vraie reprise, et rien ne reste en base.
"""

from pathlib import Path

from django.db import transaction

from parcours.reprise.clauses import reprise as reprise_clauses
from parcours.reprise.comptes import (
    ecrire_structures,
    ecrire_utilisateurs,
)
from parcours.reprise.contrats import ecrire_contrats
from parcours.reprise.correspondance import Correspondance
from parcours.reprise.dossiers import ecrire_parcours
from parcours.reprise.entretiens import ecrire_entretiens
from parcours.reprise.enums import Entite
from parcours.reprise.etapes import ecrire_etapes
from parcours.reprise.fichier import FichierIllisible, lire_tableau, trouver_fichier
from parcours.reprise.journal import compte_de_reprise
from parcours.reprise.lecture import A_CREER, SUIVI_DES_PARCOURS, lire_tout, referents_du_plie
from parcours.reprise.lignes import Refus
from parcours.reprise.models import Provenance
from parcours.reprise.objets import ids_des_parcours
from parcours.reprise.participations import (
    ecrire_participations,
)
from parcours.reprise.personnes import ecrire_participants
from parcours.reprise.prescriptions import ecrire_prescriptions
from parcours.reprise.questionnaires import ecrire_reponses
from parcours.reprise.rapport import Rapport, RepriseRefusee
from parcours.reprise.signaux import reprise_terminee
from parcours.reprise.sorties import (
    ecrire_decisions_sortie,
)
from parcours.reprise.suspensions import ecrire_suspensions


class DossierIllisible(ValueError):
    """Le dossier ne contient aucun fichier attendu."""


class _AnnulerLeControle(Exception):
    pass


def _tableaux(dossier: Path, correspondance: Correspondance, rapport: Rapport) -> dict:
    tableaux = {}
    for entite, corr in correspondance.entites.items():
        chemin = trouver_fichier(dossier, corr.fichier)
        if chemin is None:
            rapport.fichiers_absents.append(f"{corr.fichier}.csv ou {corr.fichier}.xlsx")
            continue
        try:
            tableaux[entite] = lire_tableau(chemin)
        except FichierIllisible as exc:
            rapport.refus.append(Refus(chemin.name, 1, "", str(exc)))
    if rapport.refus:
        raise RepriseRefusee(rapport)
    if not tableaux:
        raise DossierIllisible(
            f"{dossier} : aucun fichier attendu ({', '.join(rapport.fichiers_absents)})."
        )
    return tableaux


def reprendre(plie, correspondance: Correspondance, dossier, *, dry_run=False) -> Rapport:
    dossier = Path(dossier)
    if not dossier.is_dir():
        raise DossierIllisible(f"{dossier} : dossier introuvable.")
    rapport = Rapport(source=correspondance.libelle, dry_run=dry_run)
    # Le rapport ne compte que les entités que la correspondance décrit.
    rapport.comptes = {e: c for e, c in rapport.comptes.items() if e in correspondance.entites}
    tableaux = _tableaux(dossier, correspondance, rapport)
    lues, contexte, lues_clauses = lire_tout(plie, correspondance, tableaux, rapport)
    if rapport.refus:
        raise RepriseRefusee(rapport)
    # Parcours dont une relance a changé les contrats ou les suspensions (sans changer d'état).
    suivis = {"contrats": [], "suspensions": []}
    try:
        with transaction.atomic():
            par, ouverts, changes = _ecrire(
                plie, correspondance, tableaux, lues, contexte, rapport, lues_clauses, suivis
            )
            if dry_run:
                raise _AnnulerLeControle
            # Dans la transaction : les processus des parcours ouverts sont créés avec eux, ou
            # rien ; un contrôle n'en crée aucun (pas d'envoi).
            if ouverts or changes or suivis["contrats"] or suivis["suspensions"]:
                reponses = reprise_terminee.send(
                    sender=Provenance,
                    plie=plie,
                    parcours_ids=ouverts,
                    etats_changes=changes,
                    contrats_changes=sorted(set(suivis["contrats"])),
                    suspensions_changees=sorted(set(suivis["suspensions"])),
                    par=par,
                )
                rapport.travail += [phrase for _, phrase in reponses if phrase]
    except _AnnulerLeControle:
        pass
    except RepriseRefusee:
        # Tout a été annulé : aucun compte d'écriture ne tient.
        for comptes in rapport.comptes.values():
            comptes.crees = comptes.mis_a_jour = comptes.inchanges = 0
        raise
    return rapport


def _resoudre_referents(plie, fichier, colonne, parcours) -> list[Refus]:
    referents = None
    refus = []
    for ligne in parcours:
        trouve = ligne.valeurs["referent"]
        if trouve and trouve[0] == A_CREER:
            referents = referents or referents_du_plie(plie)
            ligne.valeurs["referent"] = referents.get(trouve[1])
            if ligne.valeurs["referent"] is None:
                raison = f"« {trouve[1]} » n'est pas référent actif de ce PLIE"
                refus.append(Refus(fichier, ligne.numero, colonne("referent"), raison))
    return refus


def _ecrire(
    plie, correspondance, tableaux, lues, contexte, rapport, lues_clauses=None, suivis=None
):
    par = compte_de_reprise(correspondance.source, correspondance.libelle)
    ouverts, changes = [], []
    source = correspondance.source

    def fichier(entite):
        return tableaux[entite].nom

    def verifier(entite, refus):
        if refus:
            rapport.noter_refus(entite, refus)
            raise RepriseRefusee(rapport)

    if Entite.STRUCTURE in tableaux:
        colonne = correspondance.entites[Entite.STRUCTURE].colonne
        refus = ecrire_structures(
            plie, source, fichier(Entite.STRUCTURE), lues[Entite.STRUCTURE], colonne, rapport
        )
        verifier(Entite.STRUCTURE, refus)
    if Entite.UTILISATEUR in tableaux:
        colonne = correspondance.entites[Entite.UTILISATEUR].colonne
        refus = ecrire_utilisateurs(
            plie,
            source,
            fichier(Entite.UTILISATEUR),
            lues[Entite.UTILISATEUR],
            colonne,
            rapport,
            par,
        )
        verifier(Entite.UTILISATEUR, refus)
    ids = {}
    if Entite.PARTICIPANT in tableaux:
        ids = ecrire_participants(
            plie, source, fichier(Entite.PARTICIPANT), lues[Entite.PARTICIPANT], rapport
        )
    else:
        ids = dict(
            Provenance.objects.filter(
                plie=plie, source=source, entite=Entite.PARTICIPANT
            ).values_list("source_id", "participant_id")
        )
    if Entite.PARCOURS in tableaux:
        colonne = correspondance.entites[Entite.PARCOURS].colonne
        parcours = lues[Entite.PARCOURS]
        verifier(
            Entite.PARCOURS,
            _resoudre_referents(plie, fichier(Entite.PARCOURS), colonne, parcours),
        )
        refus = ecrire_parcours(
            plie,
            correspondance,
            fichier(Entite.PARCOURS),
            parcours,
            ids,
            par,
            rapport,
            ouverts,
            changes,
        )
        verifier(Entite.PARCOURS, refus)
    # Clauses sociales : les personnes du passage ou reprises avant (parcours/reprise/clauses).
    reprise_clauses.ecrire(plie, correspondance, tableaux, lues_clauses, ids, par, rapport)
    # Ce qui suit est rattaché aux parcours repris (de ce passage ou d'avant).
    if not set(SUIVI_DES_PARCOURS) & set(tableaux):
        return par, ouverts, changes
    parcours_ids = ids_des_parcours(plie, source)
    if Entite.PRESCRIPTION in tableaux:
        refus = ecrire_prescriptions(
            plie,
            correspondance,
            fichier(Entite.PRESCRIPTION),
            lues[Entite.PRESCRIPTION],
            parcours_ids,
            par,
            rapport,
        )
        verifier(Entite.PRESCRIPTION, refus)
    if Entite.DECISION_SORTIE in tableaux:
        ecrire_decisions_sortie(
            plie,
            correspondance,
            fichier(Entite.DECISION_SORTIE),
            lues[Entite.DECISION_SORTIE],
            parcours_ids,
            par,
            rapport,
        )
    if Entite.ETAPE in tableaux:
        refus = ecrire_etapes(
            plie,
            source,
            fichier(Entite.ETAPE),
            lues[Entite.ETAPE],
            parcours_ids,
            contexte.catalogue,
            par,
            rapport,
        )
        verifier(Entite.ETAPE, refus)
    if Entite.ENTRETIEN in tableaux:
        refus = ecrire_entretiens(
            plie,
            correspondance,
            fichier(Entite.ENTRETIEN),
            lues[Entite.ENTRETIEN],
            parcours_ids,
            par,
            rapport,
        )
        verifier(Entite.ENTRETIEN, refus)
    suivis = {"contrats": [], "suspensions": []} if suivis is None else suivis
    if Entite.CONTRAT in tableaux:
        refus = ecrire_contrats(
            plie,
            source,
            fichier(Entite.CONTRAT),
            lues[Entite.CONTRAT],
            parcours_ids,
            par,
            rapport,
            suivis["contrats"],
        )
        verifier(Entite.CONTRAT, refus)
    if Entite.PARTICIPATION_FSE in tableaux:
        refus = ecrire_participations(
            plie,
            source,
            fichier(Entite.PARTICIPATION_FSE),
            lues[Entite.PARTICIPATION_FSE],
            parcours_ids,
            contexte.operations,
            par,
            rapport,
        )
        verifier(Entite.PARTICIPATION_FSE, refus)
    if Entite.SUSPENSION in tableaux:
        refus = ecrire_suspensions(
            plie,
            source,
            fichier(Entite.SUSPENSION),
            lues[Entite.SUSPENSION],
            parcours_ids,
            par,
            rapport,
            suivis["suspensions"],
            libelle=correspondance.libelle,
        )
        verifier(Entite.SUSPENSION, refus)
    if Entite.REPONSE_FSE in tableaux:
        refus = ecrire_reponses(
            plie,
            source,
            fichier(Entite.REPONSE_FSE),
            lues[Entite.REPONSE_FSE],
            parcours_ids,
            contexte.operations,
            par,
            rapport,
        )
        verifier(Entite.REPONSE_FSE, refus)
    # Le travail des parcours (`reprise_terminee`) suit : contrats, entretiens… sont écrits.
    return par, ouverts, changes
