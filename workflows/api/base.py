"""Ce que toutes les vues de l'API partagent : paramètres d'adresse stricts, synchronisation par
`updated_since`, corps stricts (un champ inconnu est une erreur), PLIE de la requête, clé
d'idempotence et journal des écritures (qui, par quelle clé, quoi)."""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from parcours.core.cles import completer_ecriture, ecriture_deja_faite, journaliser_ecriture
from parcours.core.models import PLIE, CleApi
from parcours.core.validators import caracteres_interdits

ENTETE_IDEMPOTENCE = "Idempotency-Key"
LONGUEUR_IDEMPOTENCE = 100

APRES_ID = OpenApiParameter(
    "apres_id",
    OpenApiTypes.INT,
    description="Avec updated_since : la suite exacte après l'élément (updated_at, id) déjà "
    "reçu — pagination par clé pour les grandes synchronisations (docs/api.md).",
)
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Synchronisation : seulement ce qui a changé depuis cette date (ISO 8601, "
    "ex. 2026-11-30T08:00:00+01:00 ; une date seule vaut minuit, heure de Paris). La liste "
    "est triée par date de modification croissante.",
)
IDEMPOTENCE = OpenApiParameter(
    ENTETE_IDEMPOTENCE,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Facultatif, 100 caractères au plus : la même clé renvoyée avec la même requête "
    "rejoue la réponse sans rien écrire de nouveau ; avec une autre requête : 409.",
)


class CorpsStrict(serializers.Serializer):
    """Un champ que la ressource ne connaît pas est refusé (400 nommant le champ) plutôt
    qu'ignoré en silence : une faute de frappe ne doit pas perdre une donnée."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            inconnus = sorted(
                set(data) - {nom for nom, f in self.fields.items() if not f.read_only}
            )
            if inconnus:
                raise ValidationError({nom: ["Champ inconnu."] for nom in inconnus})
        return super().to_internal_value(data)


def lire_updated_since(texte: str | None) -> datetime.datetime | None:
    if texte is None:
        return None
    texte = texte.strip()
    try:  # parse_* lèvent ValueError pour une date bien formée mais impossible (2026-13-01)
        moment = parse_datetime(texte) if len(texte) > 10 else None
        if moment is None and len(texte) == 10:
            jour = parse_date(texte)
            moment = datetime.datetime.combine(jour, datetime.time()) if jour else None
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 2100:
        raise ValidationError(
            {
                "updated_since": [
                    "Date ISO 8601 attendue, ex. 2026-11-30T08:00:00+01:00 "
                    f"(reçu « {texte[:40]} »)."
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def lire_apres_id(texte: str | None, moment) -> int | None:
    if texte is None:
        return None
    if moment is None:
        raise ValidationError({"apres_id": ["S'emploie avec updated_since."]})
    if not (texte.isascii() and texte.isdigit()) or len(texte) > 18:
        raise ValidationError(
            {"apres_id": [f"Un identifiant entier est attendu (reçu « {texte[:20]} »)."]}
        )
    return int(texte)


class VueApi(generics.GenericAPIView):
    """Une vue de l'API : refuse les paramètres d'adresse inconnus ; `droits` : le droit de clé
    exigé par méthode (workflows/api/droits.py)."""

    droits: dict[str, str] = {}
    parametres = frozenset({"page", "taille", "updated_since", "apres_id"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        inconnus = sorted(set(request.query_params) - self.parametres)
        if inconnus:
            raise ValidationError({nom: ["Paramètre inconnu."] for nom in inconnus})

    @property
    def cle(self) -> CleApi | None:
        return self.request.auth if isinstance(self.request.auth, CleApi) else None

    def depuis(self, queryset, champ="updated_at"):
        """Filtre et trie pour la synchronisation : `updated_since` (borne incluse) ; avec
        `apres_id`, la suite exacte après l'élément (`updated_since`, `apres_id`) déjà reçu
        (pagination par clé, sans doublon ni OFFSET)."""
        params = self.request.query_params
        moment = lire_updated_since(params.get("updated_since"))
        apres = lire_apres_id(params.get("apres_id"), moment)
        if moment is not None and apres is not None:
            queryset = queryset.filter(
                Q(**{f"{champ}__gt": moment}) | Q(**{champ: moment, "pk__gt": apres})
            )
        elif moment is not None:
            queryset = queryset.filter(**{f"{champ}__gte": moment})
        return queryset.order_by(champ, "pk")

    def lister(self, queryset):
        """Une page de la liste, dans l'ordre de synchronisation (`depuis`)."""
        page = self.paginate_queryset(self.depuis(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def plie_demande(self, code: str | None, plies_permis) -> PLIE:
        """Le PLIE de la requête : celui nommé (dans le périmètre, sinon 404), ou le seul du
        périmètre ; une clé n'agit que dans le PLIE de sa structure."""
        permis = set(plies_permis)
        if self.cle is not None:
            permis &= {self.cle.structure.plie_id}
        if code:
            plie = PLIE.objects.filter(code=code, pk__in=permis).first()
            if plie is None:
                raise Http404
            return plie
        if len(permis) == 1:
            return PLIE.objects.get(pk=next(iter(permis)))
        if not permis:
            raise Http404
        raise ValidationError({"plie": ["Vous agissez dans plusieurs PLIE : indiquez lequel."]})


# — Écritures : idempotence et journal —


def empreinte_requete(request) -> str:
    corps = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{corps}".encode()).hexdigest()


def cle_idempotence(request) -> str:
    valeur = (request.headers.get(ENTETE_IDEMPOTENCE) or "").strip()
    if len(valeur) > LONGUEUR_IDEMPOTENCE or caracteres_interdits(valeur):
        raise ValidationError(
            {ENTETE_IDEMPOTENCE: [f"{LONGUEUR_IDEMPOTENCE} caractères au plus, sur une ligne."]}
        )
    return valeur


class EcritureMixin:
    """`ecrire(...)` : l'écriture une seule fois par clé d'idempotence, journalisée avec la clé
    (ou le compte connecté). `rejouer(objet)` rend la représentation de l'objet déjà écrit."""

    def ecrire(self, *, plie, action: str, faire, rejouer, statut=status.HTTP_201_CREATED):
        request = self.request
        idempotence = cle_idempotence(request)
        empreinte = empreinte_requete(request) if idempotence else ""
        if (deja := ecriture_deja_faite(request.user, idempotence)) is not None:
            return self._rejeu(deja, empreinte, rejouer)
        try:
            with transaction.atomic():
                # La ligne du journal d'abord : elle réserve la clé d'idempotence (index unique).
                # Une même requête envoyée deux fois en même temps attend ici que la première
                # finisse, puis la rejoue, au lieu d'écrire (ou de se croire doublon) une seconde
                # fois.
                ecriture = journaliser_ecriture(
                    user=request.user,
                    cle=self.cle,
                    plie=plie,
                    action=action,
                    cle_idempotence=idempotence,
                    empreinte_requete=empreinte,
                    statut_reponse=statut,
                )
                objet, donnees, detail = faire()
                completer_ecriture(ecriture, objet=objet, detail=detail)
        except IntegrityError:
            # La même clé d'idempotence, envoyée deux fois en même temps : la première gagne.
            deja = ecriture_deja_faite(request.user, idempotence)
            if deja is None:
                raise
            return self._rejeu(deja, empreinte, rejouer)
        return Response(donnees, status=statut)

    def _rejeu(self, deja, empreinte, rejouer):
        if deja.empreinte_requete != empreinte:
            return Response(
                {
                    "detail": f"La clé d'idempotence « {deja.cle_idempotence} » a déjà servi "
                    "pour une autre requête : choisissez-en une nouvelle."
                },
                status=status.HTTP_409_CONFLICT,
            )
        reponse = Response(rejouer(deja), status=deja.statut_reponse or status.HTTP_200_OK)
        reponse["Idempotent-Replayed"] = "true"
        return reponse
