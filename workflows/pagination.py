"""La pagination des listes à l'échelle (docs/architecture.md « Listes ») : un compte borné
(« plus de 10 000 ») au lieu d'un `COUNT(*)` complet, donc un `OFFSET` borné lui aussi ; un numéro
de page ou une taille de page hors des bornes est ramené dans les bornes avec un message, jamais
une erreur 404 ou 500 ni le parcours de toute la table."""

import base64
import json
import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Field, Func, Q, Value, Window
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.functional import cached_property

LIMITE_COMPTE = 10_000
TAILLE_MAX = 100
_ENTIER = re.compile(r"[+-]?[0-9]{1,18}")


class PaginateurBorne(Paginator):
    """Compte au plus `limite` lignes : au-delà, la liste dit « plus de 10 000 » et ne va pas
    plus loin (on affine la recherche plutôt que de feuilleter 400 pages)."""

    limite = LIMITE_COMPTE

    @cached_property
    def compte_reel(self) -> int:
        # SELECT COUNT(*) FROM (… LIMIT limite + 1) : borné quelle que soit la table.
        return self.object_list[: self.limite + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.compte_reel, self.limite)

    @property
    def depasse(self) -> bool:
        return self.compte_reel > self.limite


def _entier(valeur) -> int | None:
    texte = str(valeur).strip() if valeur is not None else ""
    return int(texte) if _ENTIER.fullmatch(texte) else None


def page_bornee(request, brut, dernier: int) -> int:
    """Le numéro de page demandé (`brut` : le paramètre tel quel, « last » pour la dernière)
    ramené entre 1 et `dernier` ; hors des bornes ou illisible, un message le dit."""
    numero = 1 if brut in (None, "", "last") else _entier(brut)
    if brut == "last":
        numero = dernier
    borne = min(max(numero or 1, 1), dernier)
    if brut not in (None, "", "last") and numero != borne:
        messages.warning(
            request, f"Page « {str(brut)[:20]} » hors de la liste : page {borne} sur {dernier}."
        )
    return borne


class PaginationBorneeMixin:
    """Pour une `ListView` : `?page=` et `?taille=` lus et bornés, compte borné."""

    paginate_by = settings.PAGINATE_BY
    paginator_class = PaginateurBorne
    taille_max = TAILLE_MAX

    def get_paginate_by(self, queryset):
        brut = self.request.GET.get("taille")
        if brut in (None, ""):
            return self.paginate_by
        taille = _entier(brut)
        bornee = self.paginate_by if taille is None else min(max(taille, 1), self.taille_max)
        if taille != bornee:
            messages.warning(
                self.request,
                f"Taille de page « {brut[:20]} » hors des bornes (1 à {self.taille_max}) : "
                f"{bornee} lignes par page.",
            )
        self.taille = bornee
        return bornee

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        dernier = max(math.ceil(paginator.count / page_size), 1)
        borne = page_bornee(self.request, self.request.GET.get(self.page_kwarg), dernier)
        page = paginator.page(borne)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = context.get("paginator")
        context["compte_depasse"] = bool(paginator and paginator.depasse)
        context["limite_compte"] = paginator.limite if paginator else LIMITE_COMPTE
        context["taille"] = getattr(self, "taille", None)
        return context

    def url_des_filtres(self, **filtres) -> str:
        """Les filtres de la liste pour les liens de page (`filtres_url`), avec la taille de
        page choisie : changer de page garde les deux."""
        if getattr(self, "taille", None):
            filtres["taille"] = self.taille
        return urlencode(filtres)


# — Pagination par clé (keyset) —
#
# Une page ne se lit plus par son rang (`OFFSET n`, qui lit et jette les n premières lignes)
# mais par la clé de tri de la dernière ligne vue : « les lignes après celle-ci ». La page 400
# coûte autant que la première, et le parcours va au bout de la liste (plus de butée à 10 000).

LONGUEUR_CURSEUR = 1000  # un curseur plus long n'a pas été écrit par nous


@dataclass(frozen=True)
class Cle:
    """Une clé de tri : une expression (champ ou calcul) et son sens. Les valeurs nulles
    viennent toujours en dernier ; la dernière clé d'un tri est unique et jamais nulle.
    `jamais_nulle` : une colonne sans valeur nulle, triée sans `NULLS LAST` — dans les deux sens,
    un index (croissant) la lit alors dans son ordre ou à rebours."""

    expression: object
    descendant: bool = False
    jamais_nulle: bool = False


@dataclass
class PageParCle:
    lignes: list
    suivante: str = ""  # curseur de la page suivante ("" : fin de la liste)
    precedente: str = ""  # curseur de la page précédente ("" : première page)
    premiere: bool = True
    total: int | None = None  # lignes de toute la liste, comptées avec la première page


def _encoder(valeurs) -> str:
    texte = json.dumps(
        [v if isinstance(v, int | float | str) or v is None else str(v) for v in valeurs],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(texte.encode()).decode().rstrip("=")


def _decoder(curseur: str, champs) -> list | None:
    """Les valeurs d'un curseur, typées par les champs des clés ; None s'il est illisible."""
    if not curseur or len(curseur) > LONGUEUR_CURSEUR:
        return None
    try:
        brut = base64.urlsafe_b64decode(curseur + "=" * (-len(curseur) % 4))
        valeurs = json.loads(brut.decode())
        if not isinstance(valeurs, list) or len(valeurs) != len(champs):
            return None
        types = (int, float, str, type(None))
        if any(isinstance(v, bool) or not isinstance(v, types) for v in valeurs):
            return None
        if any(isinstance(v, str) and "\x00" in v for v in valeurs):  # refusé par PostgreSQL
            return None
        valeurs = [
            None if v is None else c.to_python(v) for v, c in zip(valeurs, champs, strict=True)
        ]
        if any(isinstance(v, int) and abs(v) >= 2**63 for v in valeurs):  # hors du bigint
            return None
        return valeurs
    except (ValueError, TypeError, OverflowError, ValidationError, UnicodeDecodeError):
        return None


class _Rangee(Func):
    """`(a, b, c)` : des clés comparées d'un bloc, dans l'ordre lexicographique — une borne
    qu'un index (a, b, c) lit directement (`Index Cond`), là où le `OU` développé ne filtre
    qu'après avoir lu les lignes d'avant le curseur."""

    template = "(%(expressions)s)"

    def __init__(self, *expressions):
        super().__init__(*expressions, output_field=Field())


def _apres(noms, cles, valeurs, avant: bool):
    """Les lignes après (ou avant) celle dont les clés valent `valeurs`, nulles en dernier :
    OU sur i de (clés 0..i-1 égales ET clé i strictement au-delà). Des clés jamais nulles, toutes
    dans le même sens : la même condition écrite en rangée, `(a, b, c) > (x, y, z)`."""
    if all(c.jamais_nulle for c in cles) and len({c.descendant for c in cles}) == 1:
        rangees = _Rangee(*(F(n) for n in noms)), _Rangee(*(Value(v) for v in valeurs))
        return GreaterThan(*rangees) if cles[0].descendant == avant else LessThan(*rangees)
    condition, egales = Q(pk__in=[]), Q()
    for nom, cle, valeur in zip(noms, cles, valeurs, strict=True):
        vers_le_haut = cle.descendant == avant  # « au-delà » = plus grand
        if valeur is None:
            # Après une nulle : seulement des nulles (départagées par la clé suivante) ; avant
            # une nulle : toutes les valeurs non nulles.
            au_dela = Q(**{f"{nom}__isnull": False}) if avant else Q(pk__in=[])
            egale = Q(**{f"{nom}__isnull": True})
        else:
            au_dela = Q(**{f"{nom}__{'gt' if vers_le_haut else 'lt'}": valeur})
            if not avant:
                au_dela |= Q(**{f"{nom}__isnull": True})
            egale = Q(**{nom: valeur})
        condition |= egales & au_dela
        egales &= egale
    return condition


def ordre_des_cles(cles, noms=None, inverse: bool = False) -> list:
    """L'`order_by` des clés (ou de leurs annotations `noms`), à l'envers avec `inverse`."""
    ordre = []
    for i, cle in enumerate(cles):
        expression = F(noms[i]) if noms else cle.expression
        descendant = cle.descendant != inverse
        nulles = {"nulls_first": True} if inverse else {"nulls_last": True}
        if cle.jamais_nulle:
            nulles = {}
        ordre.append(expression.desc(**nulles) if descendant else expression.asc(**nulles))
    return ordre


def page_par_cle(
    queryset, cles: list[Cle], taille: int, apres="", avant="", compter=True
) -> PageParCle:
    """La page de `taille` lignes de `queryset` après le curseur `apres` (ou avant `avant`),
    dans l'ordre de `cles`. Une ligne de plus lue dit s'il y a une suite (pas de `COUNT`).
    Sans curseur, la même requête compte toute la liste (`COUNT(*) OVER ()` : PostgreSQL lit
    de toute façon chaque ligne pour trier) : pas de seconde requête pour le titre. Sauf avec
    `compter=False`, quand un index sert déjà l'ordre : la page s'arrête à sa dernière ligne, la
    liste est comptée à part (`PaginationParCleMixin.requete_du_compte`).
    Lève `CurseurIllisible` pour un curseur qui ne se lit pas."""
    noms = [f"cle_{i}" for i in range(len(cles))]
    qs = queryset.annotate(**{nom: cle.expression for nom, cle in zip(noms, cles, strict=True)})
    champs = [qs.query.annotations[nom].output_field for nom in noms]
    curseur = avant or apres
    if curseur:
        valeurs = _decoder(curseur, champs)
        if valeurs is None:
            raise CurseurIllisible
        qs = qs.filter(_apres(noms, cles, valeurs, avant=bool(avant)))
    elif compter:
        qs = qs.annotate(total_de_la_liste=Window(Count("*")))
    lues = list(qs.order_by(*ordre_des_cles(cles, noms, inverse=bool(avant)))[: taille + 1])
    encore = len(lues) > taille
    lues = lues[:taille]
    if avant:
        lues.reverse()

    def curseur_de(ligne):
        return _encoder(getattr(ligne, nom) for nom in noms)

    page = PageParCle(lues, premiere=not curseur or (bool(avant) and not encore))
    if not curseur and compter:
        page.total = lues[0].total_de_la_liste if lues else 0
    if lues:
        if encore or avant:
            page.suivante = curseur_de(lues[-1])
        if not page.premiere:
            page.precedente = curseur_de(lues[0])
    return page


class CurseurIllisible(ValueError):
    pass


class PaginationParCleMixin(PaginationBorneeMixin):
    """Pour une `ListView` triée par `cles_de_tri()` : `?apres=` / `?avant=` (curseurs écrits
    par les liens « Suivante » et « Précédente »), taille bornée, compte borné pour le titre.
    Un curseur illisible ou qui ne mène plus à rien (la liste a changé) ramène à la première
    page avec un message, jamais une erreur."""

    def cles_de_tri(self) -> list[Cle]:
        raise NotImplementedError

    def requete_du_compte(self):
        """Les lignes de la liste, à compter à part (compte borné) plutôt que dans la requête de
        la première page ; None : la première page les compte (`page_par_cle`)."""
        return None

    def paginate_queryset(self, queryset, page_size):
        get, cles, compte = self.request.GET, self.cles_de_tri(), self.requete_du_compte()
        apres, avant = get.get("apres", ""), get.get("avant", "")
        compter = compte is None
        if get.get(self.page_kwarg) not in (None, "", "1"):
            messages.info(
                self.request,
                "La liste se parcourt par « Suivante » et « Précédente » : première page.",
            )
        try:
            page = page_par_cle(
                queryset, cles, page_size, apres=apres, avant=avant, compter=compter
            )
        except CurseurIllisible:
            messages.warning(self.request, "Lien de page illisible : première page.")
            page = page_par_cle(queryset, cles, page_size, compter=compter)
        if (apres or avant) and not page.lignes:
            messages.warning(
                self.request, "Plus aucune ligne à cet endroit de la liste : première page."
            )
            page = page_par_cle(queryset, cles, page_size, compter=compter)
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        if page.total is not None:
            paginator.compte_reel = page.total  # déjà compté : pas de `COUNT`
        elif compte is not None:
            # Sans ordre : compter n'a rien à trier.
            paginator.compte_reel = compte.order_by()[: paginator.limite + 1].count()
        return paginator, page, page.lignes, bool(page.suivante or page.precedente)
