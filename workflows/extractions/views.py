"""Les écrans des extractions (docs/extractions.md) : la page « Extractions » (ce que
l'utilisateur peut extraire), l'écran de chaque extraction (filtres, nombre de lignes, aperçu
paginé) et le fichier CSV ou XLSX, streamé et journalisé. Une extraction que l'utilisateur ne
peut pas ouvrir répond 404, comme une extraction inconnue."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows import exports
from workflows.extractions.catalogue import EXTRACTIONS
from workflows.extractions.filtres import FiltresExtraction
from workflows.pagination import PaginationBorneeMixin

CHAMPS = ("du", "au", "structure", "referent", "statut")


def extraction_permise(user, nom: str):
    """L'extraction `nom` si l'utilisateur peut l'ouvrir ; 404 sinon (rien n'est révélé)."""
    extraction = EXTRACTIONS.get(nom)
    if extraction is None or not extraction.droit(user):
        raise Http404("Page introuvable.")
    return extraction


class IndexView(LoginRequiredMixin, generic.TemplateView):
    """« Extractions » : ce que l'utilisateur peut extraire selon ses droits."""

    template_name = "extractions/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        extractions = [
            (e, reverse("extractions:extraction", args=[e.nom]))
            for e in EXTRACTIONS.values()
            if e.droit(user)
        ]
        participants = acces.voit_le_menu_participants(user)
        if not extractions and not participants:
            raise Http404("Page introuvable.")
        context.update(extractions=extractions, participants=participants)
        return context


class ExtractionMixin(LoginRequiredMixin):
    def lire(self):
        self.extraction = extraction_permise(self.request.user, self.kwargs["nom"])
        self.filtres = FiltresExtraction(self.request.user, self.extraction, self.request.GET)
        return self.extraction, self.filtres


class ExtractionView(ExtractionMixin, PaginationBorneeMixin, generic.ListView):
    """L'écran d'une extraction : ses filtres, le nombre de lignes, un aperçu paginé des
    colonnes du fichier, et les liens CSV / XLSX qui gardent les filtres."""

    template_name = "extractions/extraction.html"
    context_object_name = "resultats"

    def get_queryset(self):
        extraction, filtres = self.lire()
        for message in filtres.messages:
            messages.warning(self.request, message)
        return extraction.valeurs(filtres)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        extraction, filtres = self.extraction, self.filtres
        colonnes = extraction.colonnes
        context.update(
            extraction=extraction,
            filtres=filtres,
            f={cle: filtres.valeurs.get(cle, "") for cle in CHAMPS},
            filtres_actifs=bool(filtres.valeurs),
            entetes=[c.libelle for c in colonnes],
            lignes=[[exports.texte(c.valeur(r)) for c in colonnes] for r in context["resultats"]],
            structures=filtres.structures() if extraction.structure else [],
            referents_url=filtres.url_referents() if extraction.referent else "",
            export_params=urlencode(filtres.valeurs),
            filtres_url=self.url_des_filtres(**filtres.valeurs),
        )
        return context


def _plie_unique(user):
    """Le PLIE de la trace : celui de l'utilisateur s'il n'en a qu'un (son journal la lit)."""
    plies = acces.perimetre(user).roles_par_plie
    return next(iter(plies)) if len(plies) == 1 else None


class ExtractionExportView(ExtractionMixin, generic.View):
    """`/app/extractions/<nom>/<csv|xlsx>/?<filtres>` : toutes les lignes de l'écran, dans son
    ordre, lues par curseur (`iterator()`) ; la trace dit qui, quand, quoi, quels filtres et
    combien de lignes, dans le journal des exports (`TypeTrace.EXPORT`)."""

    def get(self, request, nom, format):
        extraction, filtres = self.lire()
        if format not in exports.FORMATS:
            raise Http404
        detail = (
            f"{extraction.libelle} ; {format.upper()} ; "
            f"filtres : {urlencode(filtres.valeurs) or 'aucun'}"
        )
        plie = _plie_unique(request.user)

        def journaliser(nombre, complet):
            tracer(
                TypeTrace.EXPORT,
                request=request,
                plie=plie,
                objet_type=extraction.nom,
                detail=f"{detail} ; {nombre} ligne(s){'' if complet else ' (interrompu)'}",
            )

        return exports.reponse(
            format,
            extraction.nom,
            extraction.colonnes,
            extraction.valeurs(filtres).iterator(chunk_size=2000),
            a_la_fin=journaliser,
            feuille=extraction.libelle,
        )
