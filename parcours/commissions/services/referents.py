"""Désigner le référent à l'admission : les suggestions (même territoire d'abord, puis la file
active la plus légère) et l'avertissement quand le plafond du PLIE serait dépassé."""

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.models import Membership
from parcours.referentiel.sections import portefeuille as section_portefeuille


@dataclass(frozen=True)
class SuggestionReferent:
    referent: object
    structure: object
    meme_territoire: bool
    file_active: int
    etp: Decimal
    plafond: int | None
    au_dessus_du_plafond: bool
    avertissement: str


def _etp(etp: Decimal) -> str:
    return format(etp.normalize(), "f").replace(".", ",")


def suggerer_referents(parcours, *, date=None) -> list[SuggestionReferent]:
    """Les référents de parcours du PLIE (adhésions actives, rôle référent), ceux dont la
    structure est sur le territoire du dossier d'abord, puis par file active croissante.

    File active : les parcours qu'il suit dans cette structure en admis, en accompagnement,
    suspendus, en emploi ou en sortie proposée. Plafond : plafond du référentiel × ETP de
    l'adhésion. `au_dessus_du_plafond` : cette admission le mettrait au-delà du plafond.
    Une requête pour les référents et leur file active, une pour le référentiel."""
    return suggerer_referents_par_lot([parcours], date=date)[parcours.pk]


def suggerer_referents_par_lot(dossiers, *, date=None) -> dict[int, list[SuggestionReferent]]:
    """`suggerer_referents` pour tout un ordre du jour : par PLIE, une requête pour le
    référentiel et une pour les référents et leur file active, quel que soit le nombre de
    dossiers (l'écran de séance, docs/commissions.md). Clé : l'id du parcours."""
    date = date or timezone.localdate()
    par_plie: dict[int, list] = {}
    for dossier in dossiers:
        par_plie.setdefault(dossier.plie_id, []).append(dossier)
    resultat = {}
    for plie_id, du_plie in par_plie.items():
        portefeuille = section_portefeuille.de(plie_id, date)
        plafond_plein = portefeuille.plafond_par_referent if portefeuille else None
        candidats = _candidats(plie_id, date, plafond_plein)
        # Le classement ne dépend que du territoire du dossier : calculé une fois par territoire.
        par_territoire: dict[int | None, list[SuggestionReferent]] = {}
        for dossier in du_plie:
            territoire = dossier.territoire_id
            if territoire not in par_territoire:
                par_territoire[territoire] = _classer(territoire, candidats)
            resultat[dossier.pk] = list(par_territoire[territoire])
    return resultat


def _candidats(plie_id, date, plafond_plein) -> list[SuggestionReferent]:
    """Une suggestion par (référent, structure), `meme_territoire` encore à fixer par dossier."""
    file_active = (
        Parcours.objects.filter(
            referent_id=OuterRef("user_id"),
            structure_referente_id=OuterRef("structure_id"),
            statut__in=STATUTS_FILE_ACTIVE,
        )
        .order_by()
        .values("referent_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    adhesions = (
        Membership.objects.actives(date)
        .filter(role=Role.REFERENT, structure__plie_id=plie_id, user__is_active=True)
        .select_related("user", "structure__territoire")
        .annotate(file_active=Coalesce(Subquery(file_active), 0))
        .order_by("user_id", "structure_id", "-etp")
    )
    suggestions = {}
    for adhesion in adhesions:
        cle = (adhesion.user_id, adhesion.structure_id)
        if cle in suggestions:
            continue
        plafond = math.floor(plafond_plein * adhesion.etp) if plafond_plein is not None else None
        au_dessus = plafond is not None and adhesion.file_active + 1 > plafond
        avertissement = ""
        if au_dessus:
            avertissement = (
                f"{adhesion.user} suit déjà {adhesion.file_active} participant(s) pour un plafond "
                f"de {plafond} ({_etp(adhesion.etp)} ETP × {plafond_plein}) : cette admission "
                "dépasserait le plafond du PLIE."
            )
        suggestions[cle] = SuggestionReferent(
            referent=adhesion.user,
            structure=adhesion.structure,
            meme_territoire=False,
            file_active=adhesion.file_active,
            etp=adhesion.etp,
            plafond=plafond,
            au_dessus_du_plafond=au_dessus,
            avertissement=avertissement,
        )
    return list(suggestions.values())


def _classer(territoire, candidats) -> list[SuggestionReferent]:
    classees = [
        replace(c, meme_territoire=bool(territoire and c.structure.territoire_id == territoire))
        for c in candidats
    ]
    return sorted(
        classees,
        key=lambda s: (
            not s.meme_territoire,
            s.file_active,
            str(s.referent).lower(),
            s.structure.nom,
        ),
    )
