"""Le contrat commun des indicateurs (issue 13) : des filtres, un tableau, un registre.

Chaque indicateur est défini une fois ici (agrégation SQL, nombre de requêtes constant) et lu
par les tableaux de bord, les exports de tableaux et les bilans. Le périmètre (quels PLIE,
structures, référents, opérations) est fixé par la politique d'accès avant l'appel : un
indicateur applique les `Filtres` qu'on lui donne et n'en élargit aucun."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef, Q, QuerySet

from parcours.reporting.periode import Periode


@dataclass(frozen=True)
class Filtres:
    """Le périmètre et les filtres d'un calcul. `None` : pas de restriction sur ce critère."""

    plies: frozenset[int]
    periode: Periode
    territoire: int | None = None
    structures: frozenset[int] | None = None  # structure du référent du parcours
    referents: frozenset[int] | None = None
    operations: frozenset[int] | None = None  # parcours ayant une participation FSE+ à l'une
    public: str | None = None  # un code de PUBLICS (indicateurs/publics.py)

    def avec(self, **changements) -> "Filtres":
        return replace(self, **changements)


@dataclass(frozen=True)
class Tableau:
    """Le résultat d'un indicateur : un tableau (en-têtes, lignes) et le graphique qui le lit.

    La première colonne porte les libellés (mois, type de sortie, tranche…), les suivantes des
    nombres. `graphique` : "barres", "courbe", "histogramme", "barres_empilees" ou None (tableau
    seul). `definition` dit en une phrase ce qui est compté, pour l'utilisateur."""

    code: str
    titre: str
    colonnes: tuple[str, ...]
    lignes: list[tuple]
    graphique: str | None = None
    definition: str = ""
    unite: str = ""


@dataclass(frozen=True)
class Indicateur:
    code: str
    titre: str
    calculer: Callable[[Filtres], Tableau]
    graphique: str | None = None
    definition: str = ""
    # Nomme des personnes (référents…) : jamais montré à une portée « chiffres seulement »
    # (financeur) ; aucun indicateur ne nomme un participant.
    nominatif: bool = False
    themes: tuple[str, ...] = field(default_factory=tuple)


# Le registre, dans l'ordre d'affichage des tableaux de bord et des bilans.
INDICATEURS: dict[str, Indicateur] = {}


def indicateur(code: str, titre: str, *, graphique=None, definition="", themes=(), nominatif=False):
    """Enregistre une fonction `(filtres) -> Tableau` sous `code`."""

    def enregistrer(fonction):
        if code in INDICATEURS:
            raise ValueError(f"Indicateur « {code} » déclaré deux fois.")
        INDICATEURS[code] = Indicateur(
            code,
            titre,
            fonction,
            graphique,
            definition,
            nominatif=nominatif,
            themes=tuple(themes),
        )
        return fonction

    return enregistrer


def parcours_filtres(filtres: Filtres) -> QuerySet:
    """Les parcours du périmètre, tous critères appliqués sauf la période (chaque indicateur dit
    laquelle de ses dates la période borne : entrée, sortie, activité…)."""
    from parcours.accompagnement.models import Parcours, ParticipationFse

    qs = Parcours.objects.filter(plie_id__in=filtres.plies)
    if filtres.territoire is not None:
        qs = qs.filter(territoire_id=filtres.territoire)
    if filtres.structures is not None:
        qs = qs.filter(structure_referente_id__in=filtres.structures)
    if filtres.referents is not None:
        qs = qs.filter(referent_id__in=filtres.referents)
    if filtres.operations is not None:
        qs = qs.filter(
            Exists(
                ParticipationFse.objects.filter(
                    parcours_id=OuterRef("pk"), operation_id__in=filtres.operations
                ).filter(
                    Q(date_sortie__isnull=True) | Q(date_sortie__gte=filtres.periode.du),
                    date_entree__lte=filtres.periode.au,
                )
            )
        )
    if filtres.public:
        from parcours.reporting.indicateurs.publics import filtre_public

        qs = qs.filter(filtre_public(filtres.public, filtres.periode))
    return qs
