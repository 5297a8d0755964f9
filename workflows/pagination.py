"""La pagination des listes à l'échelle (docs/architecture.md « Listes ») : un compte borné
(« plus de 10 000 ») au lieu d'un `COUNT(*)` complet, donc un `OFFSET` borné lui aussi ; un numéro
de page ou une taille de page hors des bornes est ramené dans les bornes avec un message, jamais
une erreur 404 ou 500 ni le parcours de toute la table."""

import math
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
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
