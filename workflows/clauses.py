"""Le flux d'une candidature sur une clause sociale : qui agit ensuite (docs/clauses.md).

Le facilitateur enregistre un besoin et le diffuse (courriel aux référents et prescripteurs du
PLIE) ; un référent, un prescripteur ou le facilitateur propose une personne (`ProposerView`),
ce qui démarre `CandidatureFlow` :

    vérifier l'éligibilité (facilitateur) → non éligible : fin
      → positionner auprès de l'entreprise (facilitateur)
      → décision de l'entreprise (le facilitateur l'enregistre) → non retenue : fin
      → embauche (facilitateur) → pour un participant : inscrire l'embauche au parcours
        (contrat et étape, par son référent) → fin

Chaque nœud appelle un service de `parcours.clauses.services`, sous le verrou du processus.
La classe `ClausesApplication` (en bas) monte tous les écrans des clauses sous /app/clauses/.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views import generic
from viewflow import this
from viewflow.urls import Application
from viewflow.workflow import flow, lock

from parcours import acces
from parcours.clauses import services
from parcours.clauses import views as ecrans
from parcours.clauses import views_heures as heures
from parcours.clauses.enums import StatutBesoin, StatutPositionnement
from parcours.clauses.forms import DATE, CandidatExterneForm, PropositionForm
from parcours.clauses.models import Positionnement
from parcours.core.form_mixins import SaisieControleeMixin
from parcours.emploi.enums import TypeContrat
from workflows import nodes
from workflows.access import artefact_frais

# — Les écrans des tâches —


class VerifierEligibiliteForm(SaisieControleeMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("eligible", "Éligible à la clause"), ("non_eligible", "Non éligible")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour « non éligible », et pour confirmer une personne que les "
        "critères du référentiel ne retiennent pas.",
    )


class PositionnerForm(SaisieControleeMixin, forms.Form):
    motif = forms.CharField(
        label="Commentaire (CV validé, entretien prévu…)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionEntrepriseForm(SaisieControleeMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision de l'entreprise",
        choices=[("retenue", "Candidature retenue"), ("non_retenue", "Candidature non retenue")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        donnees = super().clean()
        if donnees.get("decision") == "non_retenue" and not (donnees.get("motif") or "").strip():
            self.add_error("motif", "Indiquez pourquoi l'entreprise n'a pas retenu la candidature.")
        return donnees


class EmbaucheForm(SaisieControleeMixin, forms.Form):
    date_embauche = forms.DateField(label="Date d'embauche", widget=DATE)
    type_contrat = forms.ChoiceField(label="Type de contrat", choices=TypeContrat.choices)
    employeur = forms.CharField(
        label="Employeur",
        max_length=200,
        help_text="L'attributaire, ou la SIAE, le GEIQ, l'agence d'intérim qui embauche.",
    )
    date_fin = forms.DateField(label="Fin du contrat", required=False, widget=DATE)
    heures_hebdo = forms.DecimalField(
        label="Heures par semaine", required=False, min_value=0, max_value=48, decimal_places=2
    )

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_embauche"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin du contrat doit suivre la date d'embauche.")
        return donnees


class InscrireAuParcoursForm(SaisieControleeMixin, forms.Form):
    type_etape = forms.ChoiceField(label="Type d'étape du parcours")
    intitule = forms.CharField(label="Intitulé de l'étape", max_length=200, required=False)
    # La période d'essai dit quand l'embauche est confirmée (tableau de bord du facilitateur) et
    # quand le CRE doit avoir visité l'employeur (suivi dans l'emploi).
    periode_essai_jours = forms.IntegerField(
        label="Période d'essai (jours)", required=False, min_value=0, max_value=365
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_etape"].choices = types


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
        except ecrans.ERREURS_METIER as exc:
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
        from parcours.accompagnement.suivi import catalogue_etapes

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


# — Le flux —


def _positionnement(activation) -> Positionnement:
    return activation.process.artifact


def _facilitateur(activation):
    return _positionnement(activation).besoin.facilitateur


def _referent_a_informer(activation):
    parcours = services.parcours_du_positionnement(_positionnement(activation))
    return parcours.referent if parcours is not None else None


def _droit_de_facilitation(user, task) -> bool:
    """Les tâches du facilitateur : facilitateur (ou admin) actif dans le PLIE du marché."""
    positionnement = artefact_frais(task, Positionnement)
    return positionnement is not None and acces.peut_faciliter(
        user, positionnement.besoin.marche.plie_id
    )


def _droit_du_referent(user, task) -> bool:
    """Inscrire l'embauche au parcours : qui agit comme référent sur ce parcours aujourd'hui."""
    positionnement = artefact_frais(task, Positionnement)
    parcours = positionnement and services.parcours_du_positionnement(positionnement)
    return parcours is not None and acces.peut_effectuer(user, parcours, acces.ROLES_REFERENT)


class CandidatureFlow(flow.Flow):
    """Une candidature sur un besoin : éligibilité, positionnement, décision, embauche."""

    process_title = "Candidature sur une clause"
    process_description = "De la proposition d'un candidat à son embauche par l'entreprise."
    process_summary_template = "{{ process.artifact }}"
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.demarrer)
        .Annotation(title="Candidature proposée")
        .Next(this.verifier_eligibilite)
    )

    verifier_eligibilite = (
        nodes.View(VerifierEligibiliteView.as_view())
        .Annotation(
            title="Vérifier l'éligibilité à la clause",
            description="Le facilitateur confirme l'éligibilité, l'explication sous les yeux.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.aiguiller_eligibilite)
    )

    aiguiller_eligibilite = (
        flow.Switch()
        .Annotation(title="Éligible ?")
        .Case(
            this.non_eligible,
            lambda act: _positionnement(act).statut == StatutPositionnement.NON_ELIGIBLE,
        )
        .Default(this.positionner)
    )

    positionner = (
        nodes.View(PositionnerView.as_view())
        .Annotation(
            title="Positionner auprès de l'entreprise",
            description="Le facilitateur présente la candidature (CV validé) à l'entreprise.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.decision_entreprise)
    )

    decision_entreprise = (
        nodes.View(DecisionEntrepriseView.as_view())
        .Annotation(
            title="Décision de l'entreprise",
            description="Retenue ou non retenue (avec le motif), après l'entretien.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.aiguiller_decision)
    )

    aiguiller_decision = (
        flow.Switch()
        .Annotation(title="Retenue ?")
        .Case(
            this.non_retenue,
            lambda act: _positionnement(act).statut == StatutPositionnement.NON_RETENUE,
        )
        .Default(this.embauche)
    )

    embauche = (
        nodes.View(EmbaucheView.as_view())
        .Annotation(
            title="Enregistrer l'embauche",
            description="Date, type de contrat, employeur : l'embauche de la personne retenue.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.aiguiller_embauche)
    )

    aiguiller_embauche = (
        flow.Switch()
        .Annotation(title="Participant du PLIE ?")
        .Case(this.inscrire_au_parcours, lambda act: _referent_a_informer(act) is not None)
        .Default(this.embauchee)
    )

    inscrire_au_parcours = (
        nodes.View(InscrireAuParcoursView.as_view())
        .Annotation(
            title="Inscrire l'embauche au parcours",
            description="Le référent enregistre le contrat et l'étape emploi du participant.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_referent_a_informer)
        .Droit(_droit_du_referent)
        .Next(this.embauchee)
    )

    non_eligible = flow.End().Annotation(title="Non éligible")
    non_retenue = flow.End().Annotation(title="Non retenue")
    embauchee = flow.End().Annotation(title="Embauchée")

    def demarrer(self, activation, positionnement):
        activation.process.artifact = positionnement
        return activation.process

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated


# — Proposer une candidature (démarre le flux) —


class ProposerView(LoginRequiredMixin, generic.TemplateView):
    """Proposer quelqu'un sur un besoin ouvert : un de ses participants, un candidat externe
    déjà enregistré, ou une nouvelle personne hors PLIE (données minimales)."""

    template_name = "clauses/proposer.html"

    def get_besoin(self):
        if not hasattr(self, "_besoin"):
            user = self.request.user
            self._besoin = get_object_or_404(
                acces.besoins_visibles(user).select_related("marche__attributaire"),
                pk=self.kwargs["pk"],
            )
            if not acces.peut_proposer(user, self._besoin.marche.plie_id):
                raise Http404("Page introuvable.")
        return self._besoin

    def formulaires(self, data=None):
        besoin = self.get_besoin()
        user = self.request.user
        plie_id = besoin.marche.plie_id
        return {
            "form": PropositionForm(
                data,
                participants=acces.participants_proposables(user, plie_id).order_by(
                    "nom", "prenom"
                ),
                externes=acces.candidats_externes_visibles(user)
                .filter(plie_id=plie_id)
                .order_by("nom", "prenom"),
            ),
            "externe_form": CandidatExterneForm(data),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formulaires", self.formulaires())
        context["besoin"] = self.get_besoin()
        return context

    def get(self, request, *args, **kwargs):
        if self.get_besoin().statut != StatutBesoin.OUVERT:
            messages.error(request, "Ce besoin est clos : il ne reçoit plus de candidatures.")
            return HttpResponseRedirect(reverse("clauses:besoin", args=[self.get_besoin().pk]))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        besoin = self.get_besoin()
        formulaires = self.formulaires(request.POST)
        form, externe_form = formulaires["form"], formulaires["externe_form"]
        valide = form.is_valid()
        if valide and form.cleaned_data["nouveau"]:
            valide = externe_form.is_valid()
        if not valide:
            return self.render_to_response(self.get_context_data(formulaires=formulaires))
        try:
            with transaction.atomic():
                externe = form.cleaned_data["candidat_externe"]
                if form.cleaned_data["nouveau"]:
                    externe = services.enregistrer_candidat_externe(
                        par=request.user, plie=besoin.marche.plie, **externe_form.cleaned_data
                    )
                positionnement = services.proposer_candidature(
                    par=request.user,
                    besoin=besoin,
                    participant=form.cleaned_data["participant"],
                    candidat_externe=externe,
                    commentaire=form.cleaned_data["commentaire"],
                )
                CandidatureFlow.start.run(positionnement=positionnement)
        except ecrans.ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(formulaires=formulaires))
        messages.success(
            request,
            f"Candidature de {positionnement.personne} proposée : le facilitateur vérifie son "
            "éligibilité.",
        )
        return HttpResponseRedirect(reverse("clauses:candidature", args=[positionnement.pk]))


# — L'application « Clauses » —


class ClausesApplication(Application):
    """Les écrans des clauses (menu « Clauses »). Le helper « heures » ajoute ici ses chemins
    (`heures_path`, `rapports_path`…) : voir l'en-tête de parcours/clauses/views.py."""

    title = "Clauses"
    icon = "handshake"
    app_name = "clauses"
    menu_template_name = None
    # Pas de `permission` : le middleware de viewflow répondrait 403 (et non la page de
    # connexion ou 404) ; chaque écran applique la politique d'accès.

    index_path = path("", ecrans.BesoinListView.as_view(), name="index")
    besoin_creer_path = path(
        "besoins/nouveau/", ecrans.BesoinCreateView.as_view(), name="besoin_creer"
    )
    besoin_path = path("besoins/<int:pk>/", ecrans.BesoinDetailView.as_view(), name="besoin")
    besoin_diffuser_path = path(
        "besoins/<int:pk>/diffuser/",
        ecrans.BesoinActionView.as_view(action="diffuser"),
        name="besoin_diffuser",
    )
    besoin_clore_path = path(
        "besoins/<int:pk>/clore/",
        ecrans.BesoinActionView.as_view(action="clore"),
        name="besoin_clore",
    )
    besoin_proposer_path = path(
        "besoins/<int:pk>/proposer/", ProposerView.as_view(), name="besoin_proposer"
    )
    candidature_path = path(
        "candidatures/<int:pk>/", ecrans.CandidatureDetailView.as_view(), name="candidature"
    )
    donneurs_ordre_path = path(
        "donneurs-ordre/", ecrans.DonneurOrdreListView.as_view(), name="donneurs_ordre"
    )
    donneur_ordre_creer_path = path(
        "donneurs-ordre/nouveau/",
        ecrans.DonneurOrdreCreateView.as_view(),
        name="donneur_ordre_creer",
    )
    donneur_ordre_path = path(
        "donneurs-ordre/<int:pk>/", ecrans.DonneurOrdreDetailView.as_view(), name="donneur_ordre"
    )
    donneur_ordre_modifier_path = path(
        "donneurs-ordre/<int:pk>/modifier/",
        ecrans.DonneurOrdreUpdateView.as_view(),
        name="donneur_ordre_modifier",
    )
    operations_path = path("operations/", ecrans.OperationListView.as_view(), name="operations")
    operation_creer_path = path(
        "operations/nouvelle/", ecrans.OperationCreateView.as_view(), name="operation_creer"
    )
    operation_path = path(
        "operations/<int:pk>/", ecrans.OperationDetailView.as_view(), name="operation"
    )
    operation_modifier_path = path(
        "operations/<int:pk>/modifier/",
        ecrans.OperationUpdateView.as_view(),
        name="operation_modifier",
    )
    marches_path = path("marches/", ecrans.MarcheListView.as_view(), name="marches")
    marche_creer_path = path(
        "marches/nouveau/", ecrans.MarcheCreateView.as_view(), name="marche_creer"
    )
    marche_path = path("marches/<int:pk>/", ecrans.MarcheDetailView.as_view(), name="marche")
    marche_modifier_path = path(
        "marches/<int:pk>/modifier/", ecrans.MarcheUpdateView.as_view(), name="marche_modifier"
    )
    lot_creer_path = path(
        "marches/<int:marche_pk>/lots/nouveau/", ecrans.LotCreateView.as_view(), name="lot_creer"
    )
    lot_modifier_path = path(
        "lots/<int:pk>/modifier/", ecrans.LotUpdateView.as_view(), name="lot_modifier"
    )
    # Heures d'insertion et bilans (helper « heures » : parcours/clauses/views_heures.py).
    heures_path = path("heures/", heures.HeuresView.as_view(), name="heures")
    heures_import_path = path(
        "heures/import/", heures.ImportHeuresView.as_view(), name="heures_import"
    )
    heures_saisie_path = path(
        "heures/marches/<int:pk>/", heures.SaisieHeuresView.as_view(), name="heures_saisie"
    )
    bilans_path = path("bilans/", heures.BilanHeuresView.as_view(), name="bilans")
    equite_path = path("bilans/equite/", heures.EquiteView.as_view(), name="equite")
    tableau_de_bord_path = path(
        "bilans/tableau-de-bord/", heures.TableauDeBordView.as_view(), name="tableau_de_bord"
    )
    impact_path = path("bilans/impact/<int:pk>/", heures.ImpactView.as_view(), name="impact")
    impact_xlsx_path = path(
        "bilans/impact/<int:pk>/xlsx/",
        heures.ImpactFichierView.as_view(format="xlsx"),
        name="impact_xlsx",
    )
    impact_pdf_path = path(
        "bilans/impact/<int:pk>/pdf/",
        heures.ImpactFichierView.as_view(format="pdf"),
        name="impact_pdf",
    )
