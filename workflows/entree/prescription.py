"""Prescrire : la fiche de prescription, la détection des doublons et le départ du flux d'entrée."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.accompagnement.services import DoublonPossible, prescrire
from parcours.core.errors import DonneesTransitionInvalides, TransitionNonAutorisee
from parcours.core.models import PLIE
from parcours.core.roles import ROLES_PRESCRIPTION
from parcours.participants.doublons import separer_par_perimetre
from workflows.entree.flows import EntreeFlow
from workflows.entree.forms import DoublonForm, IdentiteForm, SituationForm
from workflows.rgpd import NoticeForm, contexte_notice


def plies_de_prescription(user):
    return PLIE.objects.filter(pk__in=acces.perimetre(user).plies(ROLES_PRESCRIPTION)).order_by(
        "nom"
    )


def prescrire_et_demarrer(**donnees):
    """Enregistre la prescription (service du domaine : validation, doublons, éligibilité) et
    démarre le flux d'entrée, tout ou rien : l'écran et l'API (workflows/api/) passent ici."""
    with transaction.atomic():
        parcours = prescrire(**donnees)
        EntreeFlow.start.run(parcours=parcours)
    return parcours


class PrescriptionView(LoginRequiredMixin, generic.TemplateView):
    """Une fiche pour un PLIE donné (`?plie=<code>` quand l'utilisateur prescrit dans plusieurs)."""

    template_name = "workflows/prescription.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        plies = list(plies_de_prescription(request.user))
        if not plies:
            raise Http404("Vous ne prescrivez dans aucun PLIE.")
        code = request.GET.get("plie") or request.POST.get("plie")
        self.plies = plies
        self.plie = next((p for p in plies if p.code == code), plies[0])
        return super().dispatch(request, *args, **kwargs)

    def formulaires(self, data=None, files=None):
        communes = list(self.plie.communes.order_by("nom"))
        return {
            "identite": IdentiteForm(data, files, communes=communes, prefix="identite"),
            "situation": SituationForm(data, prefix="situation"),
            "doublon": DoublonForm(data, prefix="doublon"),
            # La notice d'information (RGPD) remise à la personne : obligatoire (docs/rgpd.md).
            "notice": NoticeForm(data, prefix="notice"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("forms", self.formulaires())
        context.update(plie=self.plie, plies=self.plies, notice=contexte_notice(self.plie))
        return context

    def post(self, request, *args, **kwargs):
        forms = self.formulaires(request.POST, request.FILES)
        valides = [forms[nom].is_valid() for nom in ("identite", "situation", "notice")]
        if not all(valides):
            return self.render_to_response(self.get_context_data(forms=forms))
        participant = None
        forms["doublon"].is_valid()
        rattacher_a = forms["doublon"].cleaned_data.get("rattacher_a")
        if rattacher_a:
            # On ne rattache qu'à une personne que l'on voit.
            participant = acces.participants_visibles(request.user).filter(pk=rattacher_a).first()
        try:
            parcours = prescrire_et_demarrer(
                par=request.user,
                plie=self.plie,
                identite=forms["identite"].identite(),
                situation=forms["situation"].situation(),
                statuts=forms["situation"].statuts_coches(),
                participant=participant,
                nouvelle_personne_confirmee=forms["doublon"].cleaned_data.get(
                    "nouvelle_personne", False
                ),
                cv=forms["identite"].cleaned_data.get("cv"),
                notice_remise=forms["notice"].cleaned_data["recue"],
            )
        except DoublonPossible as exc:
            visibles, hors_perimetre = separer_par_perimetre(
                exc.correspondances, acces.participants_visibles(request.user)
            )
            forms["doublon"] = DoublonForm(prefix="doublon")
            return self.render_to_response(
                self.get_context_data(
                    forms=forms,
                    doublons=visibles,
                    doublons_hors_perimetre=hors_perimetre,
                    message_doublon=str(exc),
                )
            )
        except (DonneesTransitionInvalides, TransitionNonAutorisee) as exc:
            forms["identite"].add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(
            request,
            f"Prescription de {parcours.participant} enregistrée : "
            "l'équipe d'animation va en vérifier la recevabilité.",
        )
        return HttpResponseRedirect(reverse("participants:detail", args=[parcours.participant_id]))
