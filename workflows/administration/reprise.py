"""La reprise de l'historique depuis l'écran de l'administrateur du PLIE (docs/reprise.md,
« Depuis l'écran ») : dépôt des fichiers et choix de la correspondance, aperçu (contrôle à
blanc), confirmation qui reprend les mêmes fichiers gardés sous un jeton, rapport et son
classeur. Un dépôt n'est visible que de l'administrateur qui l'a fait, dans son PLIE (404 sinon).

Jusqu'à `travaux.SEUIL_FOND` lignes, la confirmation reprend dans la requête (quelques
secondes) ; au-delà, elle crée un travail de fond (`parcours/reprise/travaux.py`) et mène à sa
page, qui se rafraîchit seule jusqu'au rapport. Les travaux se voient par tout administrateur du
PLIE (qui les a lancés y est dit) ; ceux d'un autre PLIE répondent 404.
"""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views import generic

from parcours import acces
from parcours.reprise import apercu, depot, travaux
from parcours.reprise.models import TravailReprise
from workflows.administration import forms
from workflows.administration.views import INTROUVABLE, AdministrationMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RepriseView(AdministrationMixin, generic.FormView):
    template_name = "administration/reprise.html"
    form_class = forms.RepriseForm
    TRAVAUX_LISTES = 10

    def get_context_data(self, **kwargs):
        derniers = TravailReprise.objects.filter(plie=self.plie).select_related("lance_par")
        return super().get_context_data(travaux=derniers[: self.TRAVAUX_LISTES], **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        nouveau = apercu.apercevoir(
            self.plie,
            self.request.user,
            d["fichiers"],
            d["correspondance_texte"],
            d["correspondance_nom"],
        )
        return self.vers("reprise_depot", nouveau.jeton)


class DepotMixin(AdministrationMixin):
    def get_depot(self):
        try:
            trouve = depot.retrouver(self.kwargs["jeton"])
        except depot.DepotIntrouvable:
            raise Http404(INTROUVABLE) from None
        if trouve.plie_id != self.plie.pk or not acces.voit_le_depot_de_reprise(
            self.request.user, trouve.plie_id, trouve.depositaire_id
        ):
            raise Http404(INTROUVABLE)
        return trouve


class DepotView(DepotMixin, generic.TemplateView):
    """L'aperçu (et sa confirmation), ou le rapport de la reprise faite ou refusée."""

    template_name = "administration/reprise_depot.html"

    def get_context_data(self, **kwargs):
        trouve = self.get_depot()
        return super().get_context_data(
            depot=trouve,
            rapport=apercu.rapport_depuis(trouve),
            confirmable=trouve.etat == "apercu" and not trouve.perime,
            **kwargs,
        )


class ConfirmerView(DepotMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        trouve = self.get_depot()
        try:
            if trouve.etat == "apercu" and travaux.en_fond(trouve):
                travail = travaux.mettre_en_fond(self.plie, request.user, trouve)
                messages.success(
                    request,
                    "Reprise lancée en tâche de fond : cette page montre son avancement, puis "
                    "son rapport. Vous recevrez aussi un courriel à la fin.",
                )
                return self.vers("reprise_travail", travail.pk)
            apercu.confirmer(self.plie, request.user, trouve)
        except depot.DepotDejaPris:
            messages.error(
                request,
                "Cet aperçu a déjà servi : la reprise a déjà été confirmée (ou refusée). "
                "Rien n'a été repris une seconde fois.",
            )
            return self.vers("reprise_depot", trouve.jeton)
        except depot.DepotPerime:
            messages.error(
                request,
                "Cet aperçu est périmé (plus d'une heure) : ses fichiers ont été supprimés. "
                "Déposez-les à nouveau pour un nouvel aperçu.",
            )
            return self.vers("reprise")
        if trouve.etat == "confirme":
            messages.success(request, "Reprise enregistrée.")
        else:
            messages.error(request, "Reprise refusée : rien n'a été enregistré (tout ou rien).")
        return self.vers("reprise_depot", trouve.jeton)


class RapportView(DepotMixin, generic.View):
    """Le rapport de l'aperçu ou de la reprise, en classeur."""

    def get(self, request, *args, **kwargs):
        trouve = self.get_depot()
        chemin = apercu.classeur(trouve)
        if chemin is None:
            raise Http404(INTROUVABLE)
        nom = f"reprise-{self.plie.code}-{trouve.cree_le:%Y%m%d-%H%M}.xlsx"
        reponse = FileResponse(
            chemin.open("rb"), as_attachment=True, filename=nom, content_type=XLSX
        )
        reponse["Cache-Control"] = "no-store"
        return reponse


class TravailMixin(AdministrationMixin):
    def get_travail(self) -> TravailReprise:
        travail = (
            TravailReprise.objects.filter(plie=self.plie, pk=self.kwargs["pk"])
            .select_related("lance_par", "courriel")
            .first()
        )
        if travail is None:
            raise Http404(INTROUVABLE)
        return travail


class TravailView(TravailMixin, generic.TemplateView):
    """L'état d'une reprise en tâche de fond ; rafraîchie par la page elle-même (sans script)
    tant qu'elle n'est pas finie, puis son rapport."""

    template_name = "administration/reprise_travail.html"
    RAFRAICHIR_SECONDES = 10

    def get_context_data(self, **kwargs):
        travail = self.get_travail()
        return super().get_context_data(
            travail=travail,
            rapport=travail.rapport,
            rafraichir=None if travail.fini else self.RAFRAICHIR_SECONDES,
            **kwargs,
        )


class TravailRapportView(TravailMixin, generic.View):
    def get(self, request, *args, **kwargs):
        travail = self.get_travail()
        if not travail.rapport_xlsx:
            raise Http404(INTROUVABLE)
        try:
            classeur = default_storage.open(travail.rapport_xlsx, "rb")
        except OSError:  # retiré du stockage : rien à servir
            raise Http404(INTROUVABLE) from None
        nom = f"reprise-{self.plie.code}-{travail.lance_le:%Y%m%d-%H%M}.xlsx"
        reponse = FileResponse(
            classeur,
            as_attachment=True,
            filename=nom,
            content_type=XLSX,
        )
        reponse["Cache-Control"] = "no-store"
        return reponse
