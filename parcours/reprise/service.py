"""Reprendre l'historique d'un PLIE depuis un dossier de fichiers neutres (docs/reprise.md).

Tout ou rien : les fichiers sont lus et contrôlés en entier ; une seule ligne refusée et rien
n'est enregistré (`RepriseRefusee`, avec le rapport qui liste chaque refus). Un contrôle
(`dry_run`) fait tout le travail dans une transaction annulée : ses comptes sont ceux qu'aurait
la vraie reprise, et rien ne reste en base.
"""

from pathlib import Path

from django.db import transaction

from parcours.core.models import Membership
from parcours.core.roles import ROLES_REFERENT
from parcours.reprise.correspondance import Correspondance
from parcours.reprise.dossiers import ecrire_parcours
from parcours.reprise.enums import Entite
from parcours.reprise.fichier import FichierIllisible, lire_tableau, trouver_fichier
from parcours.reprise.journal import compte_de_reprise
from parcours.reprise.lignes import Contexte, Refus, lire_parcours, lire_participants
from parcours.reprise.models import Provenance
from parcours.reprise.personnes import ecrire_participants
from parcours.reprise.rapport import Rapport, RepriseRefusee
from parcours.reprise.signaux import reprise_terminee


class DossierIllisible(ValueError):
    """Le dossier ne contient aucun fichier attendu."""


class _AnnulerLeControle(Exception):
    pass


def _referents(plie) -> dict:
    """Identifiant et courriel (en minuscules) -> (référent, structure), une requête."""
    referents = {}
    adhesions = (
        Membership.objects.actives()
        .filter(role__in=ROLES_REFERENT, structure__plie=plie, user__is_active=True)
        .select_related("user", "structure")
        .order_by("-structure__nom")  # la première structure par ordre alphabétique l'emporte
    )
    for adhesion in adhesions:
        user = adhesion.user
        for cle in filter(None, (user.username, user.email)):
            referents[cle.lower()] = (user, adhesion.structure)
    return referents


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
    tableaux = _tableaux(dossier, correspondance, rapport)
    source = correspondance.source
    contexte = Contexte(
        format_date=correspondance.format_date,
        participants_repris=set(
            Provenance.objects.filter(
                plie=plie, source=source, entite=Entite.PARTICIPANT
            ).values_list("source_id", flat=True)
        ),
        referents=_referents(plie),
    )
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
    if rapport.refus:
        raise RepriseRefusee(rapport)
    try:
        with transaction.atomic():
            par, ouverts, changes = _ecrire(
                plie, correspondance, tableaux, personnes, parcours, rapport
            )
            if dry_run:
                raise _AnnulerLeControle
            # Dans la transaction : les processus des parcours ouverts sont créés avec eux, ou
            # rien ; un contrôle n'en crée aucun (pas d'envoi).
            if ouverts or changes:
                reponses = reprise_terminee.send(
                    sender=Provenance,
                    plie=plie,
                    parcours_ids=ouverts,
                    etats_changes=changes,
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


def _ecrire(plie, correspondance, tableaux, personnes, parcours, rapport):
    par = compte_de_reprise(correspondance.source, correspondance.libelle)
    ids, ouverts, changes = {}, [], []
    if Entite.PARTICIPANT in tableaux:
        ids = ecrire_participants(
            plie, correspondance.source, tableaux[Entite.PARTICIPANT].nom, personnes, rapport
        )
    else:
        ids = dict(
            Provenance.objects.filter(
                plie=plie, source=correspondance.source, entite=Entite.PARTICIPANT
            ).values_list("source_id", "participant_id")
        )
    if Entite.PARCOURS in tableaux:
        refus = ecrire_parcours(
            plie,
            correspondance,
            tableaux[Entite.PARCOURS].nom,
            parcours,
            ids,
            par,
            rapport,
            ouverts,
            changes,
        )
        if refus:
            rapport.noter_refus(Entite.PARCOURS, refus)
            raise RepriseRefusee(rapport)
    return par, ouverts, changes
