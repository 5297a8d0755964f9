"""Les mises en relation : proposer une personne sur une offre, suivre la réponse de l'entreprise
(entretien, retenue, non retenue), enregistrer l'embauche (le contrat entre au dossier de la
personne, l'offre est pourvue quand tous ses postes le sont)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When

from parcours.accompagnement.enums import Statut
from parcours.core.errors import DonneesTransitionInvalides
from parcours.courriels.services import envoyer_courriel
from parcours.emploi.services import enregistrer_contrat
from parcours.entreprises.enums import STATUTS_OFFRE_OUVERTE, StatutMiseEnRelation
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.models import MiseEnRelation, OffreEmploi

# — Mises en relation —

STATUTS_CANDIDAT = (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI)
# Les personnes à proposer sur une offre (docs/entreprises.md, « Personnes à proposer ») : d'abord
# celles en accompagnement (elles cherchent un emploi), puis les suspendues, et **à part, en
# dernier**, celles déjà en emploi (suivies dans l'emploi : on ne les propose que pour un autre
# poste, par exemple à la fin d'un contrat court). Un rang par état, dans cet ordre.
RANG_CANDIDAT = {Statut.EN_ACCOMPAGNEMENT: 0, Statut.SUSPENDU: 1, Statut.EN_EMPLOI: 2}


def candidats_a_proposer(offre, parcours_visibles):
    """Les parcours que l'on peut proposer sur `offre` parmi `parcours_visibles` (déjà passés
    par la politique d'accès) : du PLIE de l'offre, dans un état candidat, pas encore proposés
    sur elle ; annotés de `rang` (`RANG_CANDIDAT`) et triés : rang, nom, prénom."""
    return (
        parcours_visibles.filter(plie_id=offre.plie_id, statut__in=STATUTS_CANDIDAT)
        .exclude(mises_en_relation__offre=offre)
        .annotate(
            rang=Case(
                *(When(statut=statut, then=Value(rang)) for statut, rang in RANG_CANDIDAT.items()),
                output_field=IntegerField(),
            )
        )
        .select_related("participant")
        .order_by("rang", "participant__nom", "participant__prenom", "id")
    )


def proposer_candidat(offre, parcours, *, par, note="") -> MiseEnRelation:
    """Propose une personne accompagnée sur une offre qualifiée ou diffusée. Le référent du
    parcours est prévenu par courriel quand c'est le ou la CRE qui propose."""
    if not (
        parcours.plie_id == offre.plie_id
        and par.has_perm("entreprises.proposer_candidat", offre)
        and par.has_perm("accompagnement.view_parcours", parcours)
    ):
        raise ActionEntrepriseNonAutorisee(
            "Vous ne pouvez pas proposer cette personne sur cette offre : il faut être CRE ou "
            "référent du PLIE de l'offre et voir son dossier."
        )
    if offre.statut not in STATUTS_OFFRE_OUVERTE:
        raise ValidationError(
            f"L'offre est à l'état « {offre.get_statut_display()} » : on n'y propose de "
            "candidats qu'une fois qualifiée, et tant qu'elle n'est ni pourvue ni clôturée."
        )
    if parcours.statut not in STATUTS_CANDIDAT:
        raise ValidationError(
            f"Le parcours est à l'état « {parcours.get_statut_display()} » : seule une personne "
            "en accompagnement (ou suivie dans l'emploi) peut être proposée."
        )
    mise = MiseEnRelation(offre=offre, parcours=parcours, proposee_par=par, note=note.strip())
    try:
        with transaction.atomic():
            mise.save()
            if parcours.referent_id and parcours.referent_id != par.pk:
                envoyer_courriel(
                    destinataires=[parcours.referent],
                    sujet=f"Candidature proposée : {offre.intitule}",
                    corps=(
                        f"Bonjour,\n\n{par} a proposé {parcours.participant} sur l'offre "
                        f"« {offre.intitule} » de {offre.entreprise.raison_sociale}.\n"
                        + (f"\n{note.strip()}\n" if note.strip() else "")
                    ),
                    parcours=parcours,
                    par=par,
                )
    except IntegrityError:
        raise ValidationError("Cette personne est déjà proposée sur cette offre.") from None
    return mise


def _transition_mise(mise, methode, *, par, **kwargs) -> MiseEnRelation:
    with transaction.atomic():
        getattr(mise, methode)(par=par, **kwargs)
        mise.save()
    return mise


def planifier_entretien(mise, *, par, date_entretien, motif="") -> MiseEnRelation:
    if date_entretien is None:
        raise DonneesTransitionInvalides("Indiquez la date de l'entretien.")
    return _transition_mise(
        mise, "planifier_entretien", par=par, motif=motif, date_entretien=date_entretien
    )


def retenir_candidat(mise, *, par, motif="") -> MiseEnRelation:
    return _transition_mise(mise, "retenir", par=par, motif=motif)


def ne_pas_retenir_candidat(mise, *, par, motif) -> MiseEnRelation:
    return _transition_mise(mise, "ne_pas_retenir", par=par, motif=motif)


def embaucher(mise, *, par, type, debut, fin=None, heures_hebdo=None, motif="", **contrat):
    """L'entreprise embauche la personne retenue : le contrat est enregistré dans son dossier
    (`parcours.emploi.services.enregistrer_contrat`, qui la fait entrer en emploi), la mise en
    relation passe « embauche » et l'offre est pourvue quand tous ses postes le sont.
    Tout ou rien : une erreur sur le contrat n'enregistre rien. Renvoie le contrat."""
    with transaction.atomic():
        mise = (
            MiseEnRelation.objects.select_for_update(of=("self",))
            .select_related("offre__entreprise", "parcours")
            .get(pk=mise.pk)
        )
        # La transition d'abord : droits et état vérifiés avant d'écrire le contrat.
        mise.embaucher(par=par, motif=motif)
        contrat_enregistre = enregistrer_contrat(
            mise.parcours,
            par=par,
            type=type,
            employeur=mise.offre.entreprise.raison_sociale,
            debut=debut,
            fin=fin,
            heures_hebdo=heures_hebdo,
            **contrat,
        )
        mise.contrat = contrat_enregistre
        mise.save()
        offre = OffreEmploi.objects.select_for_update().get(pk=mise.offre_id)
        embauches = offre.mises_en_relation.filter(statut=StatutMiseEnRelation.EMBAUCHE).count()
        if offre.statut in STATUTS_OFFRE_OUVERTE and embauches >= offre.nb_postes:
            offre.pourvoir(
                par=par,
                motif=f"{embauches} embauche{'s' if embauches > 1 else ''} sur "
                f"{offre.nb_postes} poste{'s' if offre.nb_postes > 1 else ''}",
            )
            offre.save()
    return contrat_enregistre
