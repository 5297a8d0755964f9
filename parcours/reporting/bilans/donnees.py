"""Les données d'un bilan : son en-tête (PLIE, période ou opération, date d'édition, auteur) et
un `Tableau` par indicateur du registre, calculés avec les mêmes `Filtres`."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from parcours.reporting.indicateurs import INDICATEURS, Filtres, Tableau, calculer
from parcours.reporting.periode import Periode, periode

# Les indicateurs placés en tête de chaque bilan ; tous les autres codes du registre suivent,
# dans l'ordre du registre (par thème) ; un code absent du registre est ignoré. Le bilan
# d'activité suit le registre ; celui d'exécution ouvre sur ce que le FSE+ demande d'une
# opération : les entrées, les publics entrés, puis les résultats à la sortie (000:L469-479).
ORDRE_ACTIVITE: tuple[str, ...] = ()
ORDRE_EXECUTION = (
    "entrees_par_mois",
    "publics",
    "situation_a_la_sortie",
    "sorties_par_categorie",
    "emploi_apres_sortie",
)

ACTIVITE, EXECUTION = "activite", "execution"
# Au-delà, un bilan mensuel n'est plus lisible (120 mois par tableau) et coûte cher à mettre en
# page : un bilan d'exécution couvre au plus la durée d'une programmation FSE+ et demie.
DUREE_MAX_ANNEES = 10
PREMIERE_ANNEE, DERNIERE_ANNEE = 2000, 2100


@dataclass
class Bilan:
    type: str  # ACTIVITE ou EXECUTION
    titre: str
    objet: str  # ce que le bilan couvre : l'année, ou l'opération
    plie: object
    periode: Periode
    filtres: Filtres
    par: str
    tableaux: list[Tableau]
    operation: object = None
    edite_le: datetime.datetime = field(default_factory=timezone.now)

    @property
    def nom_de_fichier(self) -> str:
        if self.type == ACTIVITE:
            return f"bilan-activite-{self.plie.code}-{self.periode.du.year}"
        return (
            f"bilan-execution-{slugify(self.operation.numero)}-{self.periode.du:%Y%m%d}-"
            f"{self.periode.au:%Y%m%d}"
        )


def codes_du_bilan(ordre=()) -> list[str]:
    """Les codes du registre : ceux de `ordre` d'abord, puis tous les autres."""
    tete = [code for code in ordre if code in INDICATEURS]
    return tete + [code for code in INDICATEURS if code not in tete]


def periode_annee(annee) -> Periode:
    """L'année civile `annee` (1er janvier → 31 décembre)."""
    return periode(datetime.date(annee, 1, 1), datetime.date(annee, 12, 31))


def _plus_annees(jour: datetime.date, n: int) -> datetime.date:
    try:
        return jour.replace(year=jour.year + n)
    except ValueError:  # un 29 février vers une année non bissextile
        return jour.replace(year=jour.year + n, day=28)


def periode_de_bilan(du, au) -> Periode:
    """La période d'un bilan d'exécution : celle de `periode` (bornes lisibles, dans l'ordre),
    entre 2000 et 2100, sur dix ans au plus ; sinon une ValidationError qui dit pourquoi."""
    p = periode(du, au)
    if p.du.year < PREMIERE_ANNEE or p.au.year > DERNIERE_ANNEE:
        raise ValidationError(
            {"du": f"La période doit être comprise entre {PREMIERE_ANNEE} et {DERNIERE_ANNEE}."}
        )
    if p.au >= _plus_annees(p.du, DUREE_MAX_ANNEES):
        raise ValidationError(
            {
                "au": f"Un bilan couvre {DUREE_MAX_ANNEES} ans au plus : raccourcissez la période "
                f"({p})."
            }
        )
    return p


def _auteur(par) -> str:
    if par is None:
        return ""
    return par.get_full_name() or par.get_username()


def _tableaux(filtres: Filtres, ordre) -> list[Tableau]:
    # Chaque indicateur coûte un nombre constant de requêtes : le bilan aussi.
    return [calculer(code, filtres) for code in codes_du_bilan(ordre)]


def bilan_activite(plie, annee: int, par=None) -> Bilan:
    """Le bilan d'activité de l'année `annee` pour tout le PLIE."""
    p = periode_annee(annee)
    filtres = Filtres(plies=frozenset({plie.pk}), periode=p)
    return Bilan(
        type=ACTIVITE,
        titre=f"Bilan d'activité {annee}",
        objet=f"{plie.nom} — année {annee} ({p})",
        plie=plie,
        periode=p,
        filtres=filtres,
        par=_auteur(par),
        tableaux=_tableaux(filtres, ORDRE_ACTIVITE),
    )


def bilan_execution(operation, p: Periode, par=None) -> Bilan:
    """Le bilan d'exécution de l'opération FSE+ `operation` sur la période `p` : les
    indicateurs restreints aux parcours qui y ont une participation pendant la période."""
    filtres = Filtres(
        plies=frozenset({operation.plie_id}), periode=p, operations=frozenset({operation.pk})
    )
    porteur = operation.structure_porteuse
    return Bilan(
        type=EXECUTION,
        titre=f"Bilan d'exécution de l'opération {operation.numero}",
        objet=f"{operation.libelle} — portée par {porteur} — {p}",
        plie=operation.plie,
        periode=p,
        filtres=filtres,
        par=_auteur(par),
        tableaux=_tableaux(filtres, ORDRE_EXECUTION),
        operation=operation,
    )
