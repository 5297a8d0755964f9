"""La sortie du PLIE : proposition du référent, décision de la commission de sortie, données FSE+
de sortie (docs/emploi.md).

- `proposer_la_sortie` : transition `proposer_sortie`, une `PropositionSortie` (type, date,
  éléments, relais pour une sortie « autre », justificatif, qualification calculée), et
  l'inscription à la prochaine commission de sortie (s'il y en a une de planifiée ; sinon
  l'animation l'inscrira : le dossier figure dans `commissions.dossiers_a_inscrire`).
- La décision est prise en séance (`parcours.commissions.services.decider`) : les transitions
  `valider_sortie` / `refuser_sortie` mettent à jour la proposition (receveurs ci-dessous).
- `saisir_donnees_sortie` : la situation à la sortie, pour le FSE+.
"""

import contextlib
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django_fsm.signals import post_transition

from parcours.accompagnement.enums import CategorieSortie, Statut, TypeSortie
from parcours.accompagnement.models import Parcours
from parcours.commissions.errors import AucuneSessionPlanifiee
from parcours.commissions.services import inscrire_a_la_prochaine_session
from parcours.core.fichiers import verifier_fichier
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import (
    DonneesSortieFSE,
    PropositionSortie,
    SituationSortie,
    StatutProposition,
)
from parcours.emploi.services import qualification_du_parcours
from parcours.referentiel.sections import suivi_emploi

# Proposer la sortie, saisir les données FSE+ : le référent du parcours et l'animation (les
# rôles de la transition `proposer_sortie`).
STATUTS_PROPOSABLES = (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI)


class SortieInvalide(ValidationError):
    def __str__(self):
        return " ; ".join(self.messages)


class SortieNonAutorisee(PermissionDenied):
    pass


def _verrouiller(parcours) -> Parcours:
    return (
        Parcours.objects.select_for_update(of=("self",))
        .select_related("participant", "plie", "territoire")
        .get(pk=parcours.pk)
    )


def peut_proposer(user, parcours) -> bool:
    return user.has_perm("accompagnement.suivre_parcours", parcours)


def proposer_la_sortie(
    parcours,
    *,
    par,
    type_sortie,
    date_sortie=None,
    commentaire="",
    relais="",
    justificatif=None,
) -> PropositionSortie:
    """Le référent propose la sortie ; le dossier part à la prochaine commission de sortie.

    Refusé sans rien changer (message français) : parcours dans un état qui ne le permet pas,
    type inconnu, date avant l'entrée, sortie « autre » sans relais, justificatif refusé.
    """
    erreurs = {}
    if type_sortie not in TypeSortie.values:
        erreurs["type_sortie"] = f"Type de sortie inconnu : « {type_sortie or ''} »."
    relais = (relais or "").strip()
    if (
        type_sortie in TypeSortie.values
        and TypeSortie(type_sortie).categorie == CategorieSortie.AUTRE
        and not relais
    ):
        erreurs["relais"] = (
            "Pour une sortie « autre », indiquez l'accompagnement relais recherché (vers qui la "
            "personne est orientée)."
        )
    if justificatif:
        try:
            verifier_fichier(justificatif, champ="Justificatif de la sortie")
        except ValidationError as exc:
            erreurs["justificatif"] = exc.messages
    if erreurs:
        raise SortieInvalide(erreurs)
    date_sortie = date_sortie or timezone.localdate()

    with transaction.atomic():
        parcours = _verrouiller(parcours)
        if not peut_proposer(par, parcours):
            raise SortieNonAutorisee(
                "Vous ne pouvez pas proposer la sortie de ce parcours : c'est le rôle de son "
                "référent ou de l'équipe d'animation."
            )
        if parcours.statut not in STATUTS_PROPOSABLES:
            raise SortieInvalide(
                f"La sortie ne peut pas être proposée : le parcours est à l'état « "
                f"{parcours.get_statut_display()} » (il doit être en accompagnement, suspendu ou "
                "en emploi)."
            )
        qualification = qualification_du_parcours(parcours, date_sortie)
        try:
            parcours.proposer_sortie(
                par=par, motif=commentaire, type_sortie=type_sortie, date_sortie=date_sortie
            )
        except ValueError as exc:  # DonneesTransitionInvalides : date avant l'entrée
            raise SortieInvalide({"date_sortie": str(exc)}) from None
        parcours.save()
        proposition = PropositionSortie(
            parcours=parcours,
            type_sortie=type_sortie,
            date_sortie=date_sortie,
            commentaire=(commentaire or "").strip(),
            relais=relais,
            qualification=qualification.as_dict(),
            proposee_par=par,
        )
        if justificatif:
            proposition.justificatif = justificatif
        proposition.save()
        with contextlib.suppress(AucuneSessionPlanifiee):
            inscrire_a_la_prochaine_session(parcours, par=par)
    return proposition


def proposition_en_attente(parcours) -> PropositionSortie | None:
    return parcours.propositions_sortie.filter(statut=StatutProposition.EN_ATTENTE).first()


@receiver(post_transition, sender=Parcours)
def _decision_sur_la_proposition(sender, instance, name, method_kwargs, **kwargs):
    """La commission valide ou refuse : la proposition en attente garde la décision et son motif
    (la transition et la ligne de décision sont dans la même transaction)."""
    if "exception" in kwargs or name not in ("valider_sortie", "refuser_sortie"):
        return
    valide = name == "valider_sortie"
    PropositionSortie.objects.filter(
        parcours_id=instance.pk, statut=StatutProposition.EN_ATTENTE
    ).update(
        statut=StatutProposition.VALIDEE if valide else StatutProposition.REFUSEE,
        decidee_le=timezone.now(),
        motif_refus="" if valide else method_kwargs.get("motif", ""),
    )


@receiver(post_save, sender="commissions.Decision")
def _lier_la_decision(sender, instance, created, **kwargs):
    if not created or instance.type not in ("sortie_validee", "sortie_refusee"):
        return
    proposition = (
        PropositionSortie.objects.filter(parcours_id=instance.parcours_id, decision__isnull=True)
        .exclude(statut=StatutProposition.EN_ATTENTE)
        .order_by("-decidee_le", "-id")
        .first()
    )
    if proposition is not None:
        proposition.decision = instance
        proposition.save(update_fields=["decision"])


# — Données FSE+ de sortie —

CHAMPS_FSE = (
    "situation",
    "type_contrat",
    "employeur",
    "temps_plein",
    "intitule_formation",
    "qualification_obtenue",
    "intitule_qualification",
    "precision",
)


def echeance_donnees_sortie(parcours) -> datetime.date | None:
    """La date limite de saisie : la sortie + `suivi.fse_sortie_semaines` (4 par défaut)."""
    if parcours.date_sortie is None:
        return None
    semaines = suivi_emploi.de(parcours.plie, parcours.date_sortie).fse_sortie_semaines
    return parcours.date_sortie + datetime.timedelta(weeks=semaines)


def saisir_donnees_sortie(parcours, *, par, **donnees) -> DonneesSortieFSE:
    """Enregistre (ou corrige) la situation à la sortie d'un parcours sorti."""
    inconnus = set(donnees) - set(CHAMPS_FSE)
    if inconnus:
        raise SortieInvalide(f"Champs inconnus : {', '.join(sorted(inconnus))}.")
    d = {champ: donnees.get(champ) for champ in CHAMPS_FSE}
    for champ in ("type_contrat", "employeur", "intitule_formation", "intitule_qualification"):
        d[champ] = (d[champ] or "").strip()
    d["precision"] = (d["precision"] or "").strip()
    d["qualification_obtenue"] = bool(d["qualification_obtenue"])
    erreurs = {}
    situation = d["situation"]
    if situation not in SituationSortie.values:
        erreurs["situation"] = "Choisissez la situation de la personne à la sortie."
    if situation == SituationSortie.QUALIFICATION:
        d["qualification_obtenue"] = True
    if situation == SituationSortie.EMPLOI and d["type_contrat"] not in TypeContrat.values:
        erreurs["type_contrat"] = "En emploi : indiquez le type de contrat."
    if situation == SituationSortie.FORMATION and not d["intitule_formation"]:
        erreurs["intitule_formation"] = "En formation : indiquez la formation suivie."
    if d["qualification_obtenue"] and not d["intitule_qualification"]:
        erreurs["intitule_qualification"] = (
            "Qualification obtenue : indiquez le diplôme, le titre ou le certificat."
        )
    if situation == SituationSortie.AUTRE and not d["precision"]:
        erreurs["precision"] = "Autre situation : précisez laquelle."
    if erreurs:
        raise SortieInvalide(erreurs)
    with transaction.atomic():
        parcours = _verrouiller(parcours)
        if not par.has_perm("accompagnement.suivre_parcours", parcours):
            raise SortieNonAutorisee(
                "Vous ne pouvez pas saisir les données de sortie de ce parcours : c'est le rôle "
                "de son référent ou de l'équipe d'animation."
            )
        if parcours.statut != Statut.SORTI:
            raise SortieInvalide(
                f"Les données FSE+ de sortie se saisissent une fois la sortie validée ; le "
                f"parcours est à l'état « {parcours.get_statut_display()} »."
            )
        donnees_sortie, cree = DonneesSortieFSE.objects.get_or_create(
            parcours=parcours, defaults={**d, "saisie_par": par}
        )
        if not cree:
            for champ, valeur in d.items():
                setattr(donnees_sortie, champ, valeur)
            donnees_sortie.saisie_par = par
            donnees_sortie.saisie_le = timezone.now()
            donnees_sortie.save()
    return donnees_sortie
