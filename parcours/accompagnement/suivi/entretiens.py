"""Les entretiens et contacts avec la personne (ou les rendez-vous manqués) et leurs feuilles
d'émargement. Une absence injustifiée annonce le signal `absence_injustifiee`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import (
    CanalContact,
    Presence,
)
from parcours.accompagnement.models import (
    Entretien,
    Parcours,
)
from parcours.accompagnement.suivi.commun import lever_si_erreurs, verifier
from parcours.accompagnement.suivi.signaux import absence_injustifiee
from parcours.core.fichiers import verifier_fichier


@transaction.atomic
def enregistrer_entretien(
    parcours: Parcours,
    par,
    *,
    date: datetime.datetime,
    canal: str,
    note: str = "",
    presence: str = Presence.PRESENT,
    motif_absence: str = "",
    emargement=None,
) -> Entretien:
    """Enregistre un entretien ou un contact (ou un rendez-vous manqué).

    Une absence injustifiée déclenche les relances du référentiel (signal `absence_injustifiee`,
    flux workflows/suivi/flows.py) dans la même transaction.
    """
    verifier(parcours, par, "enregistrer un entretien")
    return _creer_entretien(
        parcours,
        par,
        date=date,
        canal=canal,
        note=note,
        presence=presence,
        motif_absence=motif_absence,
        emargement=emargement,
    )


# Le ou la CRE suit la personne dans l'emploi (docs/emploi.md) : ses appels et visites sont des
# contacts du dossier (chronologie, alerte « sans contact »), mais il ne tient pas le reste du
# suivi (étapes, suspensions, émargements) : le droit est ouvert à ce seul service.


@transaction.atomic
def enregistrer_contact_emploi(
    parcours: Parcours, par, *, date: datetime.datetime, canal: str, note: str
) -> Entretien:
    """Enregistre un contact tenu avec la personne pendant le suivi dans l'emploi (appel ou
    visite du CRE, contact mensuel du référent) : un `Entretien` où elle était présente, dont
    l'auteur est `par`."""
    verifier(parcours, par, "enregistrer un contact", permission="accompagnement.suivre_emploi")
    return _creer_entretien(parcours, par, date=date, canal=canal, note=note)


def _creer_entretien(
    parcours: Parcours,
    par,
    *,
    date: datetime.datetime,
    canal: str,
    note: str = "",
    presence: str = Presence.PRESENT,
    motif_absence: str = "",
    emargement=None,
) -> Entretien:
    """Contrôle et enregistre l'entretien (droits déjà vérifiés, en transaction)."""
    erreurs = {}
    if canal not in CanalContact.values:
        erreurs["canal"] = f"Canal de contact inconnu : « {canal} »."
    if presence not in Presence.values:
        erreurs["presence"] = f"Présence inconnue : « {presence} »."
    if date is None:
        erreurs["date"] = "La date de l'entretien est obligatoire."
    elif date > timezone.now() + datetime.timedelta(minutes=5):
        erreurs["date"] = "Un entretien ne s'enregistre qu'une fois tenu : la date est future."
    motif_absence = (motif_absence or "").strip()
    if presence == Presence.ABSENT_JUSTIFIE and not motif_absence:
        erreurs["motif_absence"] = "Indiquez le motif de l'absence justifiée."
    if presence == Presence.PRESENT and motif_absence:
        erreurs["motif_absence"] = "Pas de motif d'absence pour une personne présente."
    if emargement:
        if presence != Presence.PRESENT:
            erreurs["emargement"] = "Pas de feuille d'émargement pour une personne absente."
        else:
            try:
                verifier_fichier(emargement, champ="Feuille d'émargement")
            except ValidationError as exc:
                erreurs["emargement"] = exc.messages
    lever_si_erreurs(erreurs)
    entretien = Entretien(
        parcours=parcours,
        date=date,
        canal=canal,
        auteur=par,
        note=(note or "").strip(),
        presence=presence,
        motif_absence=motif_absence,
    )
    if emargement:
        entretien.emargement.save(emargement.name, emargement, save=False)
    entretien.save()
    if presence == Presence.ABSENT_INJUSTIFIE:
        absence_injustifiee.send(sender=Entretien, entretien=entretien, par=par)
    return entretien


@transaction.atomic
def deposer_emargement(entretien: Entretien, par, fichier) -> Entretien:
    """Dépose (ou remplace) la feuille d'émargement d'un entretien physique tenu."""
    verifier(entretien.parcours, par, "déposer une feuille d'émargement")
    if entretien.presence != Presence.PRESENT:
        raise ValidationError(
            {"emargement": ["Pas de feuille d'émargement pour une personne absente."]}
        )
    try:
        verifier_fichier(fichier, champ="Feuille d'émargement")
    except ValidationError as exc:
        raise ValidationError({"emargement": exc.messages}) from exc
    ancien = entretien.emargement.name
    entretien.emargement.save(fichier.name, fichier, save=False)
    entretien.save()
    if ancien and ancien != entretien.emargement.name:
        stockage = entretien.emargement.storage
        transaction.on_commit(lambda: stockage.delete(ancien))
    return entretien


def dernier_entretien_physique(parcours: Parcours) -> Entretien | None:
    return (
        parcours.entretiens.filter(canal__in=["physique_individuel", "physique_collectif"])
        .filter(presence=Presence.PRESENT)
        .order_by("-date")
        .first()
    )
