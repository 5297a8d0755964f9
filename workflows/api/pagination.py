"""Pagination de chaque liste : `?page=` et `?taille=` (50 par défaut, 100 au plus). Une page
illisible ou au-delà de la dernière, une taille hors des bornes : 400 nommant le paramètre (un
partenaire qui synchronise doit savoir qu'il a mal compté, pas recevoir une autre page).

Le compte est borné comme sur les écrans (`workflows.pagination.PaginateurBorne` : 10 000, puis
`compte_borne` vrai) : ni `COUNT(*)` ni `OFFSET` sur toute une table nationale. Au-delà, on
continue par `updated_since` (la liste est triée par date de modification : docs/api.md)."""

from collections import OrderedDict

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from workflows.pagination import PaginateurBorne

TAILLE_PAR_DEFAUT = 50
TAILLE_MAX = 100


class PaginationApi(PageNumberPagination):
    page_size = TAILLE_PAR_DEFAUT
    page_size_query_param = "taille"
    max_page_size = TAILLE_MAX
    page_query_param = "page"
    django_paginator_class = PaginateurBorne

    def get_page_size(self, request):
        texte = request.query_params.get(self.page_size_query_param)
        if texte is None:
            return self.page_size
        if not (texte.isascii() and texte.isdigit()) or not 1 <= int(texte) <= TAILLE_MAX:
            raise ValidationError(
                {
                    "taille": [
                        f"Un nombre entier de 1 à {TAILLE_MAX} est attendu (reçu « {texte[:20]} »)."
                    ]
                }
            )
        return int(texte)

    def paginate_queryset(self, queryset, request, view=None):
        texte = request.query_params.get(self.page_query_param, "1")
        if not (texte.isascii() and texte.isdigit()) or len(texte) > 9 or int(texte) < 1:
            raise ValidationError(
                {
                    "page": [
                        "Un numéro de page entier, à partir de 1, est attendu "
                        f"(reçu « {texte[:20]} »)."
                    ]
                }
            )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:  # page au-delà de la dernière
            raise ValidationError(
                {"page": [f"La page {texte} n'existe pas : la liste en compte moins."]}
            ) from None

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.page.paginator.count),
                    ("compte_borne", self.page.paginator.depasse),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        reponse = super().get_paginated_response_schema(schema)
        reponse["properties"]["count"]["description"] = (
            "nombre d'éléments, borné à 10 000 (voir compte_borne)"
        )
        reponse["properties"]["compte_borne"] = {
            "type": "boolean",
            "description": "vrai : plus de 10 000 éléments ; continuer par updated_since",
        }
        reponse["required"] = ["count", "compte_borne", "results"]
        return reponse
