"""Le téléchargement des documents conservés : une seule vue pour tous (docs/documents.md).

`/app/documents/<type>/<pk>/` retrouve l'objet qui tient le document par la politique d'accès,
avec le même droit que la page qui le montre ; sinon 404 (l'existence du document n'est pas
révélée), et la page de connexion sans session. Chaque téléchargement est tracé
(`TypeTrace.TELECHARGEMENT`). Le fichier part en pièce jointe, avec son type de contenu, sans
interprétation par le navigateur ni mise en cache ; en production, le serveur web peut l'envoyer
lui-même (`PLIE_DOCUMENTS_X_ACCEL`, `PLIE_DOCUMENTS_X_SENDFILE`), la vue gardant le contrôle.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import PurePath
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.http import content_disposition_header
from django.views import View

from parcours import acces
from parcours.core.documents import TypeDocument
from parcours.core.fichiers import TYPES_MIME
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer


@dataclass(frozen=True)
class Source:
    """Où est le document et qui le lit.

    Document d'un parcours : `parcours` est le chemin de l'objet au parcours, `droit(user,
    parcours)` le prédicat de la page qui le montre (en plus du parcours visible). Sinon :
    `visibles(user, queryset)` limite les objets (séances, événements).
    """

    modele: str
    champ: str
    parcours: str = ""
    droit: Callable | None = None
    visibles: Callable | None = None


# Le suivi (contrat d'engagement, pièces, preuves, émargements, justificatifs) se lit sur le
# dossier (`acces.voit_le_suivi`, docs/dossier.md) : pas par le prescripteur. Le CV fait partie
# de la prescription, que voit quiconque voit le parcours (prescripteur compris).
SOURCES = {
    TypeDocument.CV: Source("accompagnement.Prescription", "cv", parcours="parcours"),
    TypeDocument.CONTRAT_ENGAGEMENT: Source(
        "accompagnement.ContratEngagement", "fichier", "parcours", acces.voit_le_suivi
    ),
    TypeDocument.CONTRAT_SIGNE: Source(
        "accompagnement.ContratEngagement", "copie_signee", "parcours", acces.voit_le_suivi
    ),
    TypeDocument.PIECE_ENTREE: Source(
        "accompagnement.PieceEntree", "fichier", "parcours", acces.voit_le_suivi
    ),
    TypeDocument.PREUVE_ETAPE: Source(
        "accompagnement.PreuveEtape", "fichier", "etape__parcours", acces.voit_le_suivi
    ),
    TypeDocument.EMARGEMENT_ENTRETIEN: Source(
        "accompagnement.Entretien", "emargement", "parcours", acces.voit_le_suivi
    ),
    TypeDocument.JUSTIFICATIF_CONTRAT: Source(
        "emploi.Contrat", "justificatif", "parcours", acces.peut_voir_emploi
    ),
    TypeDocument.JUSTIFICATIF_SORTIE: Source(
        "emploi.PropositionSortie", "justificatif", "parcours", acces.voit_le_suivi
    ),
    TypeDocument.EMARGEMENT_EVENEMENT: Source(
        "entreprises.Evenement", "feuille_emargement", visibles=acces.evenements_visibles
    ),
    TypeDocument.PROCES_VERBAL: Source(
        "commissions.SessionCommission", "proces_verbal", visibles=acces.sessions_visibles
    ),
}
AUCUN_DOCUMENT = "Aucun document ne correspond à cette adresse."


def trouver(user, type_document: TypeDocument, pk: int):
    """L'objet qui tient le document, son PLIE et sa personne ; 404 hors du droit de lecture."""
    source = SOURCES[type_document]
    objets = apps.get_model(source.modele).objects.all()
    if not source.parcours:
        objet = get_object_or_404(source.visibles(user, objets), pk=pk)
        return objet, objet.plie_id, None
    visibles = acces.parcours_visibles(user).values("pk")
    objet = get_object_or_404(
        objets.filter(**{f"{source.parcours}__in": visibles}).select_related(source.parcours),
        pk=pk,
    )
    parcours = attrgetter(source.parcours.replace("__", "."))(objet)
    if source.droit is not None and not source.droit(user, parcours):
        raise Http404(AUCUN_DOCUMENT)
    return objet, parcours.plie_id, parcours.participant_id


def envoyer(fichier, nom: str) -> HttpResponse:
    """La réponse qui porte le fichier : en pièce jointe, type de contenu d'après l'extension du
    nom de stockage (vérifiée au dépôt), jamais interprété ni mis en cache."""
    type_contenu = TYPES_MIME.get(PurePath(fichier.name).suffix.lower(), "application/octet-stream")
    if settings.PLIE_DOCUMENTS_X_ACCEL:
        # nginx : emplacement `internal` qui pointe sur MEDIA_ROOT (docs/documents.md).
        reponse = HttpResponse(content_type=type_contenu)
        reponse["X-Accel-Redirect"] = quote(
            settings.PLIE_DOCUMENTS_X_ACCEL.rstrip("/") + "/" + fichier.name
        )
    elif settings.PLIE_DOCUMENTS_X_SENDFILE:
        reponse = HttpResponse(content_type=type_contenu)
        reponse["X-Sendfile"] = fichier.path
    else:
        try:
            flux = fichier.storage.open(fichier.name, "rb")
        except FileNotFoundError:
            raise Http404("Le fichier de ce document est introuvable.") from None
        reponse = FileResponse(flux, content_type=type_contenu)
    reponse["Content-Disposition"] = content_disposition_header(True, nom)
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Cache-Control"] = "private, no-store"
    # Ouvert malgré tout dans le navigateur, le document n'exécute rien.
    reponse["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return reponse


class TelechargerView(LoginRequiredMixin, View):
    http_method_names = ["get"]

    def get(self, request, type_document, pk):
        try:
            type_document = TypeDocument(type_document)
        except ValueError:
            raise Http404(AUCUN_DOCUMENT) from None
        objet, plie_id, participant_id = trouver(request.user, type_document, pk)
        fichier = getattr(objet, SOURCES[type_document].champ)
        if not fichier:
            raise Http404(AUCUN_DOCUMENT)
        extension = PurePath(fichier.name).suffix.lower()
        reponse = envoyer(fichier, f"{type_document.value}-{pk}{extension}")
        tracer(
            TypeTrace.TELECHARGEMENT,
            request=request,
            plie=plie_id,
            participant_id=participant_id,
            objet_type=type_document.value,
            objet_id=pk,
            detail=type_document.label,
        )
        return reponse


app_name = "documents"
urlpatterns = [
    path("<str:type_document>/<int:pk>/", TelechargerView.as_view(), name="telecharger"),
]
