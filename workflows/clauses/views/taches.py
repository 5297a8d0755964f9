"""Les écrans des tâches d'une candidature (`CandidatureFlow`, workflows/clauses/flows.py) :
chaque tâche relit la candidature, appelle le service du nœud et ne termine la tâche
(`activation.execute()`) qu'après son succès ; une erreur métier réaffiche le formulaire."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import generic

from parcours.clauses import services
from parcours.clauses.models import Positionnement
from parcours.referentiel.sections.etapes import de as catalogue_etapes
from workflows.clauses.forms import (
    DecisionEntrepriseForm,
    EmbaucheForm,
    InscrireAuParcoursForm,
    PositionnerForm,
    VerifierEligibiliteForm,
)
from workflows.taches import ERREURS_METIER


class TacheCandidatureView(generic.FormView):
    """Une tâche portant une candidature ; `executer(form)` appelle le service du nœud."""

    template_name = "clauses/tache.html"
    message = ""

    def get_positionnement(self):
        if not hasattr(self, "_positionnement"):
            pk = self.request.activation.process.artifact_object_id
            self._positionnement = Positionnement.objects.select_related(
                "besoin__marche__attributaire",
                "participant",
                "candidat_externe",
                "propose_par",
            ).get(pk=pk)
        return self._positionnement

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        positionnement = self.get_positionnement()
        context.update(
            candidature=positionnement,
            personne=positionnement.personne,
            besoin=positionnement.besoin,
            tache=self.request.activation.task,
            titre=self.request.activation.flow_task.task_title,
        )
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.executer(form)
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        self.request.activation.execute()
        positionnement = self.get_positionnement()
        positionnement.refresh_from_db()
        services.informer_proposant(positionnement, par=self.request.user)
        messages.success(self.request, self.message)
        return HttpResponseRedirect(
            reverse("clauses:candidature", args=[self.get_positionnement().pk])
        )


class VerifierEligibiliteView(TacheCandidatureView):
    form_class = VerifierEligibiliteForm
    message = "Éligibilité enregistrée."

    def get_context_data(self, **kwargs):
        # L'explication affichée est celle du référentiel en vigueur aujourd'hui.
        services.evaluer_eligibilite_clause(self.get_positionnement())
        return super().get_context_data(**kwargs)

    def executer(self, form):
        services.verifier_eligibilite(
            self.get_positionnement(),
            par=self.request.user,
            eligible=form.cleaned_data["decision"] == "eligible",
            motif=form.cleaned_data["motif"],
        )


class PositionnerView(TacheCandidatureView):
    form_class = PositionnerForm
    message = "Candidature positionnée auprès de l'entreprise."

    def executer(self, form):
        services.positionner(
            self.get_positionnement(), par=self.request.user, motif=form.cleaned_data["motif"]
        )


class DecisionEntrepriseView(TacheCandidatureView):
    form_class = DecisionEntrepriseForm
    message = "Décision de l'entreprise enregistrée."

    def executer(self, form):
        services.enregistrer_decision_entreprise(
            self.get_positionnement(),
            par=self.request.user,
            retenue=form.cleaned_data["decision"] == "retenue",
            motif=form.cleaned_data["motif"],
        )


class EmbaucheView(TacheCandidatureView):
    form_class = EmbaucheForm
    message = "Embauche enregistrée."

    def get_initial(self):
        besoin = self.get_positionnement().besoin
        return {
            "date_embauche": besoin.date_debut,
            "date_fin": besoin.date_fin,
            "type_contrat": besoin.type_contrat,
            "employeur": str(besoin.marche.attributaire or ""),
        }

    def executer(self, form):
        services.enregistrer_embauche(
            self.get_positionnement(), par=self.request.user, **form.cleaned_data
        )


class InscrireAuParcoursView(TacheCandidatureView):
    """Le référent inscrit l'embauche dans le parcours : contrat et étape (types du catalogue)."""

    form_class = InscrireAuParcoursForm
    message = "Embauche inscrite au parcours : contrat et étape enregistrés."

    def types_etape(self):
        catalogue = catalogue_etapes(self.get_positionnement().besoin.marche.plie_id)
        # Les types d'emploi d'abord (une embauche sur une clause est une étape emploi).
        types = sorted(catalogue.types, key=lambda t: ("emploi" not in t.categorie.lower(), t.code))
        return [(t.code, f"{t.libelle} ({t.categorie})") for t in types]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["types"] = self.types_etape()
        return kwargs

    def executer(self, form):
        services.inscrire_embauche_au_parcours(
            self.get_positionnement(),
            par=self.request.user,
            type_etape=form.cleaned_data["type_etape"],
            intitule=form.cleaned_data["intitule"],
            periode_essai_jours=form.cleaned_data["periode_essai_jours"],
        )
