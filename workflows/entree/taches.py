"""Les écrans des tâches du flux d'entrée (`workflows/entree/flows.py`) : recevabilité,
compléments de la prescription, premier entretien."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.views import generic

from parcours import acces
from parcours.accompagnement import engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import QuestionnaireFSE
from parcours.accompagnement.services import accorder_derogation, evaluer_eligibilite
from parcours.courriels.services import envoyer_courriel
from parcours.participants.doublons import separer_par_perimetre, trouver_doublons
from workflows.entree.forms import (
    ContratForm,
    PieceForm,
    RecevabiliteForm,
    SignaturesForm,
    SituationForm,
    questionnaire_form_class,
)
from workflows.taches import ERREURS_METIER, TacheMixin


class RecevabiliteView(TacheMixin, generic.FormView):
    template_name = "workflows/recevabilite.html"
    form_class = RecevabiliteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.get_parcours().participant
        correspondances = trouver_doublons(
            participant.nom,
            participant.prenom,
            participant.date_naissance,
            participant.commune_insee,
            exclure=participant,
        )
        context["doublons"], context["doublons_hors_perimetre"] = separer_par_perimetre(
            correspondances, acces.participants_visibles(self.request.user)
        )
        return context

    def form_valid(self, form):
        parcours = self.get_parcours()
        decision, motif = form.cleaned_data["decision"], form.cleaned_data["motif"]
        try:
            with transaction.atomic():
                if form.cleaned_data["derogation"]:
                    accorder_derogation(
                        parcours.prescription,
                        par=self.request.user,
                        motif=form.cleaned_data["derogation_motif"],
                    )
                transition = {
                    "recevable": parcours.declarer_recevable,
                    "incomplet": parcours.demander_complements,
                    "irrecevable": parcours.declarer_irrecevable,
                }[decision]
                transition(par=self.request.user, motif=motif)
                parcours.save()
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        self.informer_prescripteur(parcours, decision, motif)
        return self.terminer(lambda: self.message_de_decision(parcours))

    @staticmethod
    def message_de_decision(parcours):
        """Après la suite du flux : le dossier a pu être placé sur une séance de commission."""
        parcours.refresh_from_db()
        texte = f"Prescription de {parcours.participant} : {parcours.get_statut_display().lower()}"
        if parcours.statut == Statut.EN_COMMISSION_ENTREE:
            inscription = (
                parcours.inscriptions_commission.select_related("session").order_by("-id").first()
            )
            texte = (
                f"Prescription de {parcours.participant} recevable, inscrite à la "
                f"{inscription.session.libelle}"
            )
        elif parcours.statut == Statut.RECEVABLE:
            texte += (
                " : aucune séance à venir n'accepte encore de dossier (ordre du jour figé ou "
                "séance en cours) ; il sera placé d'office sur la prochaine séance planifiée"
            )
        return texte + "."

    def informer_prescripteur(self, parcours, decision, motif):
        if decision == "recevable":
            return
        sujet, texte = {
            "incomplet": (
                "Prescription à compléter",
                "La prescription de {p} est incomplète. Compléments demandés :\n\n{m}\n\n"
                "La tâche « Compléter la prescription » vous attend dans votre boîte de tâches.",
            ),
            "irrecevable": (
                "Prescription irrecevable",
                "La prescription de {p} n'a pas été retenue par l'équipe d'animation "
                "({plie}).\n\nMotif : {m}",
            ),
        }[decision]
        envoyer_courriel(
            destinataires=[parcours.prescripteur],
            sujet=f"{sujet} — {parcours.participant}",
            corps=texte.format(p=parcours.participant, m=motif, plie=parcours.plie),
            parcours=parcours,
            par=self.request.user,
        )


class CompleterPrescriptionView(TacheMixin, generic.UpdateView):
    template_name = "workflows/completer.html"
    form_class = SituationForm

    def get_object(self, queryset=None):
        return self.get_parcours().prescription

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        demande = (
            self.get_parcours()
            .transitions.filter(transition="demander_complements")
            .order_by("-at")
            .first()
        )
        context["demande"] = demande
        return context

    def form_valid(self, form):
        parcours = self.get_parcours()
        try:
            with transaction.atomic():
                prescription = form.save()
                prescription.statuts.all().delete()
                prescription.statuts.bulk_create(
                    prescription.statuts.model(prescription=prescription, code=code, depuis=depuis)
                    for code, depuis in form.statuts_coches()
                )
                evaluer_eligibilite(prescription)
                parcours.completer(par=self.request.user)
                parcours.save()
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return self.terminer(
            f"Prescription de {parcours.participant} complétée : elle repart en recevabilité."
        )


class PremierEntretienView(TacheMixin, generic.TemplateView):
    """Le premier entretien : contrat d'engagement, questionnaire FSE+, pièces d'entrée.

    Chaque partie s'enregistre séparément (la tâche reste ouverte) ; « Engager l'accompagnement »
    termine la tâche quand tout est complet, sinon la page dit ce qui manque.
    """

    template_name = "workflows/premier_entretien.html"
    SECTIONS = ("contrat", "signatures", "questionnaire", "piece", "engager")

    def formulaires(self, data=None, files=None, section=None):
        parcours = self.get_parcours()
        contrat = engagement.contrat_de(parcours)
        questionnaire = engagement.questionnaire_de(parcours)
        QuestionnaireForm = questionnaire_form_class()
        lie = lambda nom: data if section == nom else None  # noqa: E731
        # Pré-rempli d'après la prescription, pour les seules questions encore sans réponse.
        suggestions = engagement.donnees_initiales(parcours, questionnaire)
        formulaire_fse = QuestionnaireForm(
            lie("questionnaire"), instance=questionnaire, initial=suggestions
        )
        formulaire_fse.suggestions = [QuestionnaireFSE.libelle(c) for c in suggestions]
        return {
            "contrat": ContratForm(
                lie("contrat"), initial={"objectifs": contrat.objectifs if contrat else ""}
            ),
            "signatures": SignaturesForm(
                lie("signatures"), files if section == "signatures" else None, contrat=contrat
            )
            if contrat
            else None,
            "questionnaire": formulaire_fse,
            "piece": PieceForm(lie("piece"), files if section == "piece" else None),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.setdefault("forms", self.formulaires())
        context.update(
            contrat=engagement.contrat_de(parcours),
            etat=engagement.etat_engagement(parcours),
            pieces=engagement.pieces_entree(parcours),
        )
        return context

    def post(self, request, *args, **kwargs):
        section = request.POST.get("section")
        if section not in self.SECTIONS:
            return HttpResponseRedirect(request.path)
        parcours = self.get_parcours()
        forms = self.formulaires(request.POST, request.FILES, section)
        form = forms.get(section)
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(forms=forms, section=section))
        try:
            if section == "contrat":
                engagement.generer_contrat(
                    parcours, request.user, objectifs=form.cleaned_data["objectifs"]
                )
                message = "Contrat d'engagement généré."
            elif section == "signatures":
                engagement.enregistrer_signatures(
                    engagement.contrat_de(parcours),
                    request.user,
                    form.dates(),
                    copie_signee=form.cleaned_data.get("copie_signee"),
                )
                message = "Signatures enregistrées."
            elif section == "questionnaire":
                engagement.enregistrer_questionnaire(
                    parcours, request.user, {k: form.cleaned_data.get(k) for k in form.Meta.fields}
                )
                message = "Questionnaire FSE+ enregistré."
            elif section == "piece":
                engagement.deposer_piece(
                    parcours, form.cleaned_data["code"], form.cleaned_data["fichier"], request.user
                )
                message = "Pièce déposée."
            else:
                with transaction.atomic():
                    engagement.engager_parcours(parcours, request.user)
                    return self.terminer(f"Accompagnement de {parcours.participant} engagé.")
        except ValidationError as exc:
            cible = form if form is not None else forms["questionnaire"]
            for champ, messages_champ in getattr(
                exc, "message_dict", {"__all__": exc.messages}
            ).items():
                for m in messages_champ:
                    cible.add_error(champ if champ in cible.fields else None, m)
            return self.render_to_response(self.get_context_data(forms=forms, section=section))
        except ERREURS_METIER as exc:
            messages.error(request, str(exc))
            return self.render_to_response(self.get_context_data(forms=forms, section=section))
        messages.success(request, message)
        return HttpResponseRedirect(request.path)
