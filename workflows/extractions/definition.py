"""Ce qu'est une extraction (docs/extractions.md) : des lignes lues par la politique d'accès, des
filtres communs (période, structure, référent, statut ou type) et des colonnes. La page, la
prévisualisation et le fichier lisent la même requête : le fichier contient exactement ce que
la page annonce."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from workflows.exports import Colonne


def nom_complet(prefixe: str) -> Callable[[dict], str]:
    """Le prénom et le nom d'un compte lus dans une ligne `values()`."""
    return lambda r: " ".join(filter(None, (r[f"{prefixe}first_name"], r[f"{prefixe}last_name"])))


def libelle(champ: str, choix) -> Callable[[dict], str]:
    """Le libellé français d'un code (le code lui-même s'il n'est plus au catalogue)."""
    libelles = dict(choix)
    return lambda r: libelles.get(r[champ], r[champ]) if r[champ] else ""


def chevauche(debut: str, fin: str):
    """Présent sur la période : commencé avant sa fin, pas terminé avant son début."""

    def filtre(qs: QuerySet, du, au) -> QuerySet:
        if au:
            qs = qs.filter(**{f"{debut}__lte": au})
        if du:
            qs = qs.filter(Q(**{f"{fin}__isnull": True}) | Q(**{f"{fin}__gte": du}))
        return qs

    return filtre


def entre(champ: str, horodatage: bool = False):
    """La date `champ` (ou le jour d'un horodatage, à l'heure locale) dans la période."""
    chemin = f"{champ}__date" if horodatage else champ

    def filtre(qs: QuerySet, du, au) -> QuerySet:
        if du:
            qs = qs.filter(**{f"{chemin}__gte": du})
        if au:
            qs = qs.filter(**{f"{chemin}__lte": au})
        return qs

    return filtre


@dataclass(frozen=True)
class Extraction:
    nom: str  # dans l'adresse et le nom du fichier
    libelle: str
    description: str
    droit: Callable  # (user) -> bool : qui ouvre l'extraction (404 sinon)
    lignes: Callable  # (user) -> QuerySet lu par la politique d'accès
    colonnes: list[Colonne]
    champs: tuple[str, ...]  # `values()` : des dictionnaires, pas des modèles
    ordre: tuple[str, ...]
    periode: Callable | None = None  # (qs, du, au) -> qs
    libelle_periode: str = ""
    structure: tuple[str, ...] = ()  # champs comparés à la structure choisie (l'un ou l'autre)
    referent: str = ""  # champ du référent
    statut: str = ""  # champ du statut ou du type
    libelle_statut: str = "Statut"
    choix_statut: list = field(default_factory=list)
    annotations: Callable | None = None  # (user) -> dict d'annotations lues par les colonnes

    def requete(self, filtres) -> QuerySet:
        """Les lignes filtrées, dans l'ordre du fichier."""
        qs = self.lignes(filtres.user)
        if self.periode and (filtres.du or filtres.au):
            qs = self.periode(qs, filtres.du, filtres.au)
        if self.structure and filtres.structure:
            condition = Q()
            for champ in self.structure:
                condition |= Q(**{champ: filtres.structure})
            qs = qs.filter(condition)
        if self.referent and filtres.referent:
            qs = qs.filter(**{self.referent: filtres.referent})
        if self.statut and filtres.statut:
            qs = qs.filter(**{self.statut: filtres.statut})
        if self.annotations:
            qs = qs.annotate(**self.annotations(filtres.user))
        return qs.order_by(*self.ordre)

    def valeurs(self, filtres) -> QuerySet:
        champs = self.champs
        if self.annotations:
            champs = (*champs, *self.annotations(filtres.user))
        return self.requete(filtres).values(*champs)
