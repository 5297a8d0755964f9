"""Les événements emploi : créer un événement, noter une présence, déposer la feuille
d'émargement signée."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.core.fichiers import verifier_fichier
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.models import Evenement, PresenceEvenement
from parcours.entreprises.services.controles import exiger_gestion_offres, valider

# — Événements —


def creer_evenement(plie, *, par, type, titre, date, lieu, entreprises=()) -> Evenement:
    exiger_gestion_offres(par, plie.pk)
    entreprises = list(entreprises)
    if any(e.plie_id != plie.pk for e in entreprises):
        raise ValidationError("Une entreprise choisie n'appartient pas au réseau de ce PLIE.")
    evenement = Evenement(plie=plie, organise_par=par, type=type, titre=titre, date=date, lieu=lieu)
    valider(evenement, exclude=["plie", "organise_par", "feuille_emargement"])
    with transaction.atomic():
        evenement.save()
        evenement.entreprises.set(entreprises)
    return evenement


def emarger(evenement, parcours, *, par) -> PresenceEvenement:
    """Note la présence d'une personne : le ou la CRE, ou un référent du PLIE, qui voit son
    dossier."""
    if not (
        par.has_perm("entreprises.emarger", evenement)
        and par.has_perm("accompagnement.view_parcours", parcours)
    ):
        raise ActionEntrepriseNonAutorisee(
            "Vous ne pouvez pas noter la présence de cette personne à cet événement."
        )
    if parcours.plie_id != evenement.plie_id:
        raise ValidationError("Cette personne n'est pas accompagnée par le PLIE de l'événement.")
    presence, _ = PresenceEvenement.objects.get_or_create(
        evenement=evenement, parcours=parcours, defaults={"par": par}
    )
    return presence


def deposer_emargement(evenement, *, par, fichier) -> Evenement:
    """La feuille d'émargement signée, preuve de la présence (PDF, JPEG ou PNG)."""
    exiger_gestion_offres(par, evenement.plie_id)
    try:
        verifier_fichier(fichier, champ="Feuille d'émargement signée")
    except ValidationError as exc:
        raise ValidationError({"feuille_emargement": exc.messages}) from None
    with transaction.atomic():
        evenement.feuille_emargement = fichier
        evenement.emargement_depose_par = par
        evenement.emargement_depose_le = timezone.now()
        evenement.save()
    return evenement
