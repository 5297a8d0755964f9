"""Les écrans des tâches du suivi dans l'emploi et de la sortie (nœuds de `flows.py`).

- `TacheSuiviView` : un contact de suivi (appel, retour au référent, visite, contact mensuel).
- `ProposerSortieMixin`, `DonneesSortieMixin` : proposer la sortie, saisir les données FSE+ de
  sortie ; partagés par la tâche (ici) et par l'écran hors tâche (`views.py`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.views import generic

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import CanalContact
from parcours.emploi import services as emploi
from parcours.emploi import sortie
from parcours.emploi.models import Contrat
from workflows.emploi.forms import (
    CompteRenduForm,
    ContactMensuelForm,
    DonneesSortieForm,
    PropositionSortieForm,
    erreurs_dans,
)
from workflows.taches import ERREURS_METIER, TacheMixin

# — Suivi d'un contrat —


# Ce que chaque tâche de suivi enregistre au dossier : le canal du contact avec la personne.
# Le retour au référent n'en est pas un (le CRE informe le référent, pas la personne) : il reste
# dans la tâche, sans remettre à zéro l'alerte « sans contact ». Le contact mensuel : le canal
# choisi par le référent.
CANAL_DU_CONTACT = {
    "appel": CanalContact.TELEPHONE,
    "visite": CanalContact.PHYSIQUE_INDIVIDUEL,
}


def _instant_du_contact(jour: datetime.date) -> datetime.datetime:
    """Un contact du jour : maintenant ; d'un jour passé : à midi (l'heure n'est pas saisie)."""
    if jour == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(12, 0)))


class TacheSuiviView(TacheMixin, generic.FormView):
    """Un contact de suivi dans l'emploi (appel, retour, visite, contact mensuel) : sa date et
    son compte rendu, gardés dans la tâche (qui, quand : la tâche viewflow) ; un contact avec la
    personne est aussi enregistré au dossier (`suivi.enregistrer_contact_emploi`, même
    transaction que la fin de la tâche)."""

    template_name = "emploi/tache_suivi.html"

    def get_form_class(self):
        if self.request.activation.flow_task.name == "contact_mensuel":
            return ContactMensuelForm
        return CompteRenduForm

    def get_initial(self):
        return {"date_contact": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contrat"] = Contrat.objects.filter(
            pk=self.request.activation.process.data.get("contrat")
        ).first()
        echeance = self.request.activation.task.data.get("echeance")
        context["echeance"] = datetime.datetime.fromisoformat(echeance) if echeance else None
        return context

    def enregistrer_contact(self, form, canal):
        """L'entretien du dossier ; `None` (erreurs dans le formulaire) s'il est refusé."""
        try:
            return suivi.enregistrer_contact_emploi(
                self.get_parcours(),
                self.request.user,
                date=_instant_du_contact(form.cleaned_data["date_contact"]),
                canal=canal,
                note=form.cleaned_data["compte_rendu"],
            )
        except ValidationError as exc:
            for champ, liste in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                champ = {"date": "date_contact", "note": "compte_rendu"}.get(champ, champ)
                for m in liste:
                    form.add_error(champ if champ in form.fields else None, m)
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
        return None

    def form_valid(self, form):
        tache = self.request.activation.task
        donnees = {
            "date_contact": form.cleaned_data["date_contact"].isoformat(),
            "compte_rendu": form.cleaned_data["compte_rendu"],
        }
        canal = form.cleaned_data.get("canal") or CANAL_DU_CONTACT.get(tache.flow_task.name)
        if canal:
            entretien = self.enregistrer_contact(form, canal)
            if entretien is None:
                return self.form_invalid(form)
            donnees["entretien"] = entretien.pk
        tache.data = {**tache.data, **donnees}
        tache.save(update_fields=["data"])
        titre = self.request.activation.flow_task.task_title
        return self.terminer(
            f"{titre} : compte rendu enregistré pour {self.get_parcours().participant}."
        )


# — Sortie —


class ProposerSortieMixin:
    template_name = "emploi/proposer_sortie.html"
    form_class = PropositionSortieForm

    def get_initial(self):
        parcours = self.get_parcours()
        q = emploi.qualification_du_parcours(parcours)
        initial = {"date_sortie": timezone.localdate()}
        if q.qualifie:
            initial["type_sortie"] = "emploi_durable"
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            qualification=(q := emploi.qualification_du_parcours(parcours)),
            categorie_sortie=emploi.libelle_categorie(q),
            contrats=list(parcours.contrats.all()),
            propositions=list(parcours.propositions_sortie.select_related("proposee_par")),
        )
        return context

    def proposer(self, form):
        """La proposition ; `None` (et le formulaire réaffiché avec l'erreur) si elle est
        refusée."""
        d = form.cleaned_data
        try:
            return sortie.proposer_la_sortie(
                self.get_parcours(),
                par=self.request.user,
                type_sortie=d["type_sortie"],
                date_sortie=d["date_sortie"],
                commentaire=d["commentaire"],
                relais=d["relais"],
                justificatif=d.get("justificatif"),
            )
        except sortie.SortieInvalide as exc:
            erreurs_dans(form, exc)
        except (sortie.SortieNonAutorisee, *ERREURS_METIER) as exc:
            form.add_error(None, str(exc))
        return None

    @staticmethod
    def message(proposition):
        parcours = proposition.parcours
        inscription = (
            parcours.inscriptions_commission.filter(objet="sortie")
            .select_related("session")
            .order_by("-id")
            .first()
        )
        texte = (
            f"Sortie de {parcours.participant} proposée ({proposition.get_type_sortie_display()})"
        )
        if inscription and inscription.session.est_ouverte:
            return texte + f" : inscrite à la {inscription.session.libelle}."
        return texte + " : aucune commission de sortie planifiée, l'animation l'inscrira."


class ProposerSortieTacheView(ProposerSortieMixin, TacheMixin, generic.FormView):
    def form_valid(self, form):
        proposition = self.proposer(form)
        if proposition is None:
            return self.form_invalid(form)
        return self.terminer(self.message(proposition))


class DonneesSortieMixin:
    template_name = "emploi/donnees_sortie.html"
    form_class = DonneesSortieForm

    def get_initial(self):
        parcours = self.get_parcours()
        existantes = getattr(parcours, "donnees_sortie_fse", None)
        if existantes is not None:
            return {champ: getattr(existantes, champ) for champ in sortie.CHAMPS_FSE}
        contrat = parcours.contrats.order_by("-debut").first()
        if contrat and parcours.type_sortie == "emploi_durable":
            return {
                "situation": "emploi",
                "type_contrat": contrat.type,
                "employeur": contrat.employeur,
            }
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            echeance_fse=sortie.echeance_donnees_sortie(parcours),
            aujourdhui=timezone.localdate(),
        )
        return context

    def saisir(self, form):
        try:
            return sortie.saisir_donnees_sortie(
                self.get_parcours(), par=self.request.user, **form.cleaned_data
            )
        except sortie.SortieInvalide as exc:
            erreurs_dans(form, exc)
        except sortie.SortieNonAutorisee as exc:
            form.add_error(None, str(exc))
        return None


class DonneesSortieTacheView(DonneesSortieMixin, TacheMixin, generic.FormView):
    def form_valid(self, form):
        if self.saisir(form) is None:
            return self.form_invalid(form)
        return self.terminer(
            f"Données FSE+ de sortie de {self.get_parcours().participant} enregistrées."
        )
