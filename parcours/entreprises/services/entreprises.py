"""Le réseau d'entreprises : ajouter, modifier une entreprise ; noter un échange avec elle."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.entreprises.models import ContactEntreprise, Entreprise
from parcours.entreprises.services.controles import exiger_gestion_entreprises, valider
from parcours.entreprises.siret import normaliser_siret


def creer_entreprise(plie, *, par, **donnees) -> Entreprise:
    """Ajoute une entreprise au réseau du PLIE. `donnees` : raison_sociale, siret, secteur,
    tranche_effectif, partenaire, adresse, commune. Lève `ValidationError` (SIRET invalide avec
    sa raison, SIRET déjà présent dans ce PLIE, champ obligatoire manquant)."""
    exiger_gestion_entreprises(par, plie.pk)
    entreprise = Entreprise(plie=plie, created_by=par, **donnees)
    entreprise.siret = normaliser_siret(entreprise.siret)
    entreprise.full_clean()
    try:
        with transaction.atomic():
            entreprise.save()
    except IntegrityError:
        # Une saisie concurrente du même SIRET, entre la validation et l'enregistrement.
        raise ValidationError(
            {"siret": ["Une entreprise de ce PLIE porte déjà ce SIRET."]}
        ) from None
    return entreprise


def modifier_entreprise(entreprise, *, par, version=None, **donnees) -> Entreprise:
    """Met à jour les champs donnés ; mêmes validations que la création. `version` : celle lue
    par l'appelant ; si l'entreprise a été modifiée depuis, rien n'est écrit."""
    exiger_gestion_entreprises(par, entreprise.plie_id)
    with transaction.atomic():
        actuelle = Entreprise.objects.select_for_update().get(pk=entreprise.pk)
        if version is not None and int(version) != actuelle.version:
            raise ValidationError(
                "Cette entreprise vient d'être modifiée par une autre personne : rechargez la "
                "page pour voir sa version actuelle avant de la modifier."
            )
        for champ, valeur in donnees.items():
            setattr(actuelle, champ, valeur)
        actuelle.siret = normaliser_siret(actuelle.siret)
        actuelle.full_clean()
        actuelle.version += 1
        try:
            with transaction.atomic():
                actuelle.save()
        except IntegrityError:
            raise ValidationError(
                {"siret": ["Une entreprise de ce PLIE porte déjà ce SIRET."]}
            ) from None
    return actuelle


# — Contacts —


def noter_contact(
    entreprise, *, par, canal, note, date=None, interlocuteur=""
) -> ContactEntreprise:
    """Note un échange avec l'entreprise (visite, appel, courriel…)."""
    exiger_gestion_entreprises(par, entreprise.plie_id)
    contact = ContactEntreprise(
        entreprise=entreprise,
        auteur=par,
        canal=canal,
        note=(note or "").strip(),
        interlocuteur=(interlocuteur or "").strip(),
        date=date or timezone.localdate(),
    )
    if contact.date > timezone.localdate():
        raise ValidationError({"date": ["Un contact ne peut pas être daté dans le futur."]})
    valider(contact, exclude=["entreprise", "auteur"])
    contact.save()
    return contact
