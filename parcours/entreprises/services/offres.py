"""Les offres d'emploi : recueillir, corriger, qualifier, diffuser (une trace par destinataire,
un courriel s'il y a lieu), clôturer, pourvoir."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.core.errors import TransitionInterdite
from parcours.core.models import Membership, User
from parcours.core.roles import ROLES_REFERENT
from parcours.courriels.services import envoyer_courriel
from parcours.entreprises.enums import (
    STATUTS_OFFRE_CLOSE,
    CanalDiffusion,
    StatutOffre,
)
from parcours.entreprises.models import DiffusionOffre, OffreEmploi
from parcours.entreprises.services.controles import exiger_gestion_offres, valider

# — Offres d'emploi —

CHAMPS_OFFRE = (
    "intitule",
    "description",
    "type_contrat",
    "lieu",
    "heures_hebdo",
    "nb_postes",
    "date_limite",
)


def _appliquer_offre(offre, donnees):
    inconnus = set(donnees) - set(CHAMPS_OFFRE)
    if inconnus:
        raise ValidationError(f"Champs d'offre inconnus : {', '.join(sorted(inconnus))}.")
    for champ, valeur in donnees.items():
        setattr(
            offre, champ, "" if valeur is None and champ in ("type_contrat", "lieu") else valeur
        )
    valider(offre, exclude=["plie", "entreprise", "created_by", "statut"])


def collecter_offre(entreprise, *, par, **donnees) -> OffreEmploi:
    """Enregistre une offre recueillie auprès de l'entreprise (état « collectée »)."""
    exiger_gestion_offres(par, entreprise.plie_id)
    offre = OffreEmploi(plie_id=entreprise.plie_id, entreprise=entreprise, created_by=par)
    _appliquer_offre(offre, donnees)
    offre.save()
    return offre


def modifier_offre(offre, *, par, **donnees) -> OffreEmploi:
    """Corrige une offre encore ouverte (collectée, qualifiée ou diffusée)."""
    exiger_gestion_offres(par, offre.plie_id)
    with transaction.atomic():
        offre = OffreEmploi.objects.select_for_update().get(pk=offre.pk)
        if offre.statut in STATUTS_OFFRE_CLOSE:
            raise ValidationError(
                f"L'offre est {offre.get_statut_display().lower()} : elle n'est plus modifiable."
            )
        _appliquer_offre(offre, donnees)
        if offre.statut != StatutOffre.COLLECTEE and not (offre.type_contrat and offre.lieu):
            raise ValidationError(
                "Une offre qualifiée garde son type de contrat et son lieu de travail."
            )
        offre.save()
    return offre


def qualifier_offre(offre, *, par, motif="", **donnees) -> OffreEmploi:
    """Le ou la CRE a vérifié l'offre avec l'entreprise (poste, contrat, lieu, horaires) ;
    `donnees` complète les champs manquants dans le même geste."""
    with transaction.atomic():
        if donnees:
            exiger_gestion_offres(par, offre.plie_id)
            _appliquer_offre(offre, donnees)
        offre.qualifier(par=par, motif=motif)
        offre.save()
    return offre


def diffuser_offre(
    offre, *, par, canal, referents=(), structures=(), note=""
) -> list[DiffusionOffre]:
    """Partage l'offre avec des référents et/ou des structures du PLIE : une trace par
    destinataire (qui, quand, comment). La première diffusion fait passer l'offre « diffusée » ;
    les suivantes ajoutent des traces. Par courriel : un message part à chaque référent nommé et
    aux référents en activité des structures nommées."""
    exiger_gestion_offres(par, offre.plie_id)
    referents, structures = list(referents), list(structures)
    if not referents and not structures:
        raise ValidationError("Choisissez au moins un référent ou une structure destinataire.")
    if canal not in CanalDiffusion.values:
        raise ValidationError({"canal": [f"Canal de diffusion inconnu : « {canal} »."]})
    hors_plie = [s for s in structures if s.plie_id != offre.plie_id]
    if hors_plie:
        raise ValidationError(f"La structure « {hors_plie[0]} » n'appartient pas à ce PLIE.")
    referents_du_plie = set(
        Membership.objects.actives()
        .filter(role__in=ROLES_REFERENT, structure__plie_id=offre.plie_id)
        .values_list("user_id", flat=True)
    )
    for referent in referents:
        if referent.pk not in referents_du_plie:
            raise ValidationError(f"{referent} n'est pas référent en activité dans ce PLIE.")
    with transaction.atomic():
        offre = (
            OffreEmploi.objects.select_for_update().select_related("entreprise").get(pk=offre.pk)
        )
        if offre.statut == StatutOffre.QUALIFIEE:
            offre.diffuser(par=par, motif=note)
            offre.save()
        elif offre.statut != StatutOffre.DIFFUSEE:
            raise TransitionInterdite(
                f"« Diffuser l'offre » impossible : l'offre est à l'état "
                f"« {offre.get_statut_display()} »"
                + (" (qualifiez-la d'abord)." if offre.statut == StatutOffre.COLLECTEE else ".")
            )
        maintenant = timezone.now()
        traces = DiffusionOffre.objects.bulk_create(
            [
                DiffusionOffre(
                    offre=offre, referent=r, canal=canal, note=note, par=par, at=maintenant
                )
                for r in referents
            ]
            + [
                DiffusionOffre(
                    offre=offre, structure=s, canal=canal, note=note, par=par, at=maintenant
                )
                for s in structures
            ]
        )
        if canal == CanalDiffusion.COURRIEL:
            _envoyer_offre(offre, par, referents, structures)
    return traces


def _envoyer_offre(offre, par, referents, structures):

    ids = {r.pk for r in referents} | set(
        Membership.objects.actives()
        .filter(role__in=ROLES_REFERENT, structure__in=structures)
        .values_list("user_id", flat=True)
    )
    details = [
        f"Entreprise : {offre.entreprise.raison_sociale}",
        f"Contrat : {offre.get_type_contrat_display()}",
        f"Lieu : {offre.lieu}",
    ]
    if offre.heures_hebdo:
        details.append(f"Heures par semaine : {offre.heures_hebdo}")
    if offre.date_limite:
        details.append(f"Candidatures jusqu'au {offre.date_limite:%d/%m/%Y}")
    envoyer_courriel(
        destinataires=list(User.objects.filter(pk__in=ids)),
        sujet=f"Offre d'emploi à pourvoir : {offre.intitule}",
        corps="\n".join(
            [
                "Bonjour,",
                "",
                f"Une offre d'emploi est à pourvoir : {offre.intitule} "
                f"({offre.nb_postes} poste{'s' if offre.nb_postes > 1 else ''}).",
                *details,
                "",
                offre.description,
                "",
                "Proposez vos candidats depuis la fiche de l'offre dans l'application.",
                f"— {par}",
            ]
        ),
        par=par,
    )


def cloturer_offre(offre, *, par, motif) -> OffreEmploi:
    """Clôture sans embauche par le PLIE (annulée, pourvue autrement, date dépassée…)."""
    with transaction.atomic():
        offre.cloturer(par=par, motif=motif)
        offre.save()
    return offre


def pourvoir_offre(offre, *, par, motif="") -> OffreEmploi:
    with transaction.atomic():
        offre.pourvoir(par=par, motif=motif)
        offre.save()
    return offre
