"""Ce que partagent les services du suivi : les états où il se tient, le droit de le tenir, la
vérification de l'acteur et de l'état du parcours, les erreurs de saisie rangées par champ.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee

# Le suivi (étapes, entretiens) se tient tant que le dossier est dans la file active.
STATUTS_SUIVI = STATUTS_FILE_ACTIVE


def ajouter_mois(jour: datetime.date, mois: int) -> datetime.date:
    """Durée en mois calendaires (31 janvier + 1 mois = 28 ou 29 février)."""
    return jour + relativedelta(months=mois)


# — Droits —


def peut_suivre(user, parcours: Parcours) -> bool:
    """Tenir le suivi du dossier : son référent (ou suppléant), référent d'étape, animation."""
    return user.has_perm("accompagnement.suivre_parcours", parcours)


def verifier(
    parcours: Parcours,
    par,
    action: str,
    statuts=STATUTS_SUIVI,
    permission="accompagnement.suivre_parcours",
) -> Statut:
    """Droits de l'acteur puis état du parcours (relu et verrouillé : appeler en transaction)."""
    if not par.has_perm(permission, parcours):
        avec_cre = permission == "accompagnement.suivre_emploi"
        qui = "le référent du parcours" + (", le ou la CRE" if avec_cre else "")
        raise TransitionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : seuls {qui} et l'équipe "
            "d'animation du PLIE le peuvent."
        )
    statut = Statut(
        Parcours.objects.select_for_update().values_list("statut", flat=True).get(pk=parcours.pk)
    )
    if statut not in statuts:
        raise TransitionInterdite(
            f"Impossible de {action} : le parcours est à l'état « {statut.label} »."
        )
    return statut


def lever_si_erreurs(erreurs: dict) -> None:
    """Chaque message rangé sous le nom de son champ (formulaires), rien d'enregistré."""
    if erreurs:
        raise ValidationError({k: [v] if isinstance(v, str) else v for k, v in erreurs.items()})
