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


def charges_des_referents(plie_ids, adhesions=None, suivis=None):
    """Les adhésions de référent actives des PLIE (ou `adhesions`, déjà restreintes), chacune
    annotée de sa file active : les parcours de `suivis` (par défaut tous ceux des PLIE) en file
    active, suivis par le référent dans la structure de l'adhésion. Une requête ; lue aussi par
    l'accueil (workflows/accueil)."""
    from parcours.accompagnement.models import Parcours
    from parcours.core.enums import Role
    from parcours.core.models import Membership

    if adhesions is None:
        adhesions = Membership.objects.actives()
    adhesions = adhesions.filter(structure__plie_id__in=plie_ids, role=Role.REFERENT)
    if suivis is None:
        suivis = Parcours.objects.filter(plie_id__in=plie_ids)
    return (
        adhesions.annotate(
            file_active=Count(
                "user__parcours_suivis",
                filter=Q(
                    user__parcours_suivis__in=suivis.filter(statut__in=STATUTS_FILE_ACTIVE),
                    user__parcours_suivis__structure_referente=F("structure"),
                ),
            )
        )
        .order_by("user__last_name", "user__first_name", "structure__nom")
        .values(
            "structure__plie_id",
            "user_id",
            "user__first_name",
            "user__last_name",
            "structure__nom",
            "etp",
            "file_active",
        )
    )


@indicateur(
    "file_active_par_referent",
    "File active par référent",
    graphique="barres",
    definition=DEFINITION,
    themes=("portefeuille",),
)
def file_active_par_referent(filtres: Filtres) -> Tableau:
    from parcours.core.models import Membership
    from parcours.referentiel.sections import portefeuille

    adhesions = Membership.objects.actives()
    if filtres.structures is not None:
        adhesions = adhesions.filter(structure_id__in=filtres.structures)
    if filtres.referents is not None:
        adhesions = adhesions.filter(user_id__in=filtres.referents)
    charges = charges_des_referents(filtres.plies, adhesions, parcours_filtres(filtres))
    plafonds = portefeuille.par_plie(filtres.plies)
    lignes = []
    for c in charges:
        ref = plafonds.get(c["structure__plie_id"])
        cap = plafond(ref.plafond_par_referent if ref else None, c["etp"])
        taux = round(100 * c["file_active"] / cap) if cap else None
        nom = f"{c['user__first_name']} {c['user__last_name']} ({c['structure__nom']})"
        lignes.append((nom, c["file_active"], cap, taux))
    return Tableau(
        "file_active_par_referent",
        "File active par référent",
        ("Référent", "File active", "Plafond", "Occupation (%)"),
        lignes,
        graphique="barres",
        definition=DEFINITION,
    )
