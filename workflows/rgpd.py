"""Les droits des personnes à l'écran (docs/rgpd.md) : l'export « droit d'accès » depuis la fiche
d'une personne, la notice d'information remise à la prescription."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.core.models import PLIE
from parcours.referentiel.sections.conservation import de as regles_du_plie
from parcours.rgpd.droit_acces import exporter
from parcours.rgpd.pdf import pdf_droit_acces, pdf_notice
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows.formulaires import SaisieControleeMixin

FORMATS = ("pdf", "json")


def plies_du_droit_acces(user, participant_id: int):
    """Les PLIE où `user` peut exporter les données de cette personne : ceux où il tient un rôle
    de `acces.ROLES_JOURNAL` et où la personne a (eu) un parcours."""
    plies = PLIE.objects.filter(parcours__participant_id=participant_id).distinct().order_by("nom")
    if not user.is_superuser:
        plies = plies.filter(pk__in=acces.perimetre(user).plies(acces.ROLES_JOURNAL))
    return list(plies)


def liens_droit_acces(user, participant_id: int) -> list[tuple[PLIE, str, str]]:
    """(PLIE, adresse du PDF, adresse du JSON) pour la fiche de la personne."""
    liens = []
    for plie in plies_du_droit_acces(user, participant_id):
        base = lambda f, plie=plie: (  # noqa: E731
            reverse("participants:droit_acces", args=[participant_id, f]) + f"?plie={plie.code}"
        )
        liens.append((plie, base("pdf"), base("json")))
    return liens


class DroitAccesView(LoginRequiredMixin, generic.View):
    """Tout ce que le PLIE détient sur la personne, en PDF ou en JSON, tracé au journal.

    Pour l'administrateur et la direction du PLIE (`acces.peut_exporter_droit_acces`) ; 404
    pour les autres, comme pour une personne hors périmètre."""

    def get(self, request, pk, format):
        if format not in FORMATS:
            raise Http404("Format inconnu.")
        participant = get_object_or_404(acces.participants_visibles(request.user), pk=pk)
        plies = plies_du_droit_acces(request.user, participant.pk)
        code = request.GET.get("plie")
        if code:
            plie = next((p for p in plies if p.code == code), None)
        else:
            plie = plies[0] if plies else None
        if plie is None or not acces.peut_exporter_droit_acces(request.user, plie.pk):
            raise Http404("Aucune personne ne correspond à cette adresse.")
        export = exporter(
            participant,
            plie,
            par=request.user,
            taches_par_parcours=self.taches(participant, plie),
        )
        tracer(
            TypeTrace.DROIT_ACCES,
            request=request,
            plie=plie,
            participant_id=participant.pk,
            objet_type="participant",
            objet_id=participant.pk,
            detail=f"Export des données de la personne ({format.upper()})",
        )
        nom = f"droit-acces-{participant.numero}-{plie.code}.{format}"
        if format == "json":
            reponse = JsonResponse(
                export.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 2}
            )
        else:
            reponse = HttpResponse(pdf_droit_acces(export), content_type="application/pdf")
        reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
        reponse["Cache-Control"] = "private, no-store"
        reponse["X-Content-Type-Options"] = "nosniff"
        return reponse

    def taches(self, participant, plie):
        from parcours.accompagnement.models import Parcours
        from workflows.alertes import taches_du_parcours

        return {
            p.pk: taches_du_parcours(p, self.request.user)
            for p in Parcours.objects.filter(participant=participant, plie=plie)
        }


# — La notice d'information remise à la prescription —


class NoticeForm(SaisieControleeMixin, forms.Form):
    """La personne a reçu la notice d'information : la prescription ne s'enregistre pas sans."""

    recue = forms.BooleanField(
        label="La personne a reçu la notice d'information",
        error_messages={
            "required": "Cochez « La personne a reçu la notice d'information » : la notice "
            "(données personnelles, RGPD) lui est remise avant d'enregistrer la prescription."
        },
    )


def contexte_notice(plie) -> dict:
    """Ce que la notice dit du PLIE : ses durées de conservation (référentiel en vigueur)."""
    return {"plie": plie, "regles": regles_du_plie(plie)}


class NoticeView(LoginRequiredMixin, generic.View):
    """La notice d'information à imprimer (PDF), pour qui prescrit dans ce PLIE ; 404 sinon."""

    def get(self, request):
        from workflows.entree.prescription import plies_de_prescription

        plies = list(plies_de_prescription(request.user))
        code = request.GET.get("plie")
        plie = next((p for p in plies if p.code == code), None) if code else None
        if plie is None and not code and plies:
            plie = plies[0]
        if plie is None:
            raise Http404("Vous ne prescrivez pas dans ce PLIE.")
        contexte = contexte_notice(plie)
        reponse = HttpResponse(pdf_notice(plie, contexte["regles"]), content_type="application/pdf")
        reponse["Content-Disposition"] = f'inline; filename="notice-information-{plie.code}.pdf"'
        return reponse
