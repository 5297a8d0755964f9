"""File active par référent, comparée à son plafond (001:L400-401 : « file active de 80
participants / référent » ; 002:L228, L462 : « comparaison de la file active du conseiller par
rapport à l'objectif conventionnel »).

La file active est un état du jour : les parcours ouverts et admis (admis → sortie proposée,
`STATUTS_FILE_ACTIVE`) suivis par le référent dans sa structure. Le plafond est celui du
référentiel en vigueur (section `portefeuille`), proratisé par l'ETP de l'adhésion, comme sur
l'accueil (workflows/accueil)."""

from django.db.models import Count, F, Q

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres

DEFINITION = (
    "Parcours admis et non sortis (admis, en accompagnement, suspendus, en emploi, sortie "
    "proposée) suivis aujourd'hui par chaque référent en activité, face au plafond du "
    "référentiel proratisé par son temps de travail (ETP). La période ne s'applique pas : "
    "c'est l'état du jour."
)


def plafond(plafond_temps_plein: int | None, etp) -> int | None:
    """Le plafond d'un référent : celui d'un temps plein, proratisé par son ETP (arrondi)."""
    return round(plafond_temps_plein * float(etp)) if plafond_temps_plein else None


@indicateur(
    "file_active_par_referent",
    "File active par référent",
    graphique="barres",
    definition=DEFINITION,
    themes=("portefeuille",),
)
def file_active_par_referent(filtres: Filtres) -> Tableau:
    from parcours.core.enums import Role
    from parcours.core.models import Membership
    from parcours.referentiel.sections import portefeuille

    adhesions = Membership.objects.actives().filter(
        structure__plie_id__in=filtres.plies, role=Role.REFERENT
    )
    if filtres.structures is not None:
        adhesions = adhesions.filter(structure_id__in=filtres.structures)
    if filtres.referents is not None:
        adhesions = adhesions.filter(user_id__in=filtres.referents)
    suivis = parcours_filtres(filtres).filter(statut__in=STATUTS_FILE_ACTIVE)
    charges = (
        adhesions.annotate(
            file_active=Count(
                "user__parcours_suivis",
                filter=Q(
                    user__parcours_suivis__in=suivis,
                    user__parcours_suivis__structure_referente=F("structure"),
                ),
            )
        )
        .order_by("user__last_name", "user__first_name", "structure__nom")
        .values_list(
            "user__first_name",
            "user__last_name",
            "structure__nom",
            "structure__plie_id",
            "etp",
            "file_active",
        )
    )
    plafonds = portefeuille.par_plie(filtres.plies)
    lignes = []
    for prenom, nom, structure, plie_id, etp, file_active in charges:
        ref = plafonds.get(plie_id)
        cap = plafond(ref.plafond_par_referent if ref else None, etp)
        taux = round(100 * file_active / cap) if cap else None
        lignes.append((f"{prenom} {nom} ({structure})", file_active, cap, taux))
    return Tableau(
        "file_active_par_referent",
        "File active par référent",
        ("Référent", "File active", "Plafond", "Occupation (%)"),
        lignes,
        graphique="barres",
        definition=DEFINITION,
    )
