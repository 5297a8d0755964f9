"""Les écrans des participants : la liste (recherche), la fiche de la personne et le dossier d'un
parcours (docs/dossier.md)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import TransitionParcours
from parcours.accompagnement.suivi import peut_gerer_portefeuilles, peut_suivre
from parcours.dossier.chargement import charger_parcours
from parcours.dossier.evenements import EVENEMENTS_PAR_PAGE, Rubrique
from parcours.dossier.synthese import construire_dossier
from parcours.emploi.sortie import peut_proposer
from parcours.tracabilite.consultations import consultations_du_participant, tracer_consultation
from workflows.alertes import taches_du_parcours
from workflows.rgpd import liens_droit_acces


class ParticipantDetailView(LoginRequiredMixin, generic.DetailView):
    """La fiche : identité, parcours visibles avec leur état et l'historique des transitions."""

    template_name = "participants/participant_detail.html"
    context_object_name = "participant"

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.participants_visibles(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parcours_list"] = parcours_list = list(
            acces.parcours_visibles(self.request.user)
            .filter(participant=self.object)
            .select_related(
                "plie", "territoire", "referent", "structure_referente", "structure_prescriptrice"
            )
            .prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=TransitionParcours.objects.select_related("par").order_by(
                        "-at", "-id"
                    ),
                )
            )
        )
        # Une trace par PLIE dont on voit un parcours : chaque PLIE lit la sienne au journal.
        for plie_id in dict.fromkeys(p.plie_id for p in parcours_list):
            tracer_consultation(
                self.request,
                plie_id=plie_id,
                participant_id=self.object.pk,
                objet_type="participant",
                objet_id=self.object.pk,
                detail="Fiche de la personne",
            )
        # L'export du droit d'accès, pour l'administrateur et la direction du PLIE.
        context["droit_acces"] = liens_droit_acces(self.request.user, self.object.pk)
        return context


class DossierView(LoginRequiredMixin, generic.TemplateView):
    """Le dossier d'un parcours : l'écran principal du référent (docs/dossier.md).

    Identité et situation, une seule frise de tout ce qui est arrivé (paginée, filtrable par
    rubrique), données FSE+, alertes, échéances, qualification de sortie, parcours précédents.
    Nombre de requêtes constant quelle que soit la longueur de l'historique ; 404 hors périmètre.
    """

    template_name = "participants/dossier.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visibles = acces.parcours_visibles(user)
        pk = self.kwargs["pk"]
        vu = get_object_or_404(
            visibles.only(
                "pk", "plie_id", "participant_id", "referent_id", "structure_prescriptrice_id"
            ),
            pk=pk,
        )
        tracer_consultation(
            self.request,
            plie_id=vu.plie_id,
            participant_id=vu.participant_id,
            objet_type="parcours",
            objet_id=pk,
            detail="Dossier du parcours",
        )
        suivi = acces.voit_le_suivi(user, vu)
        parcours = charger_parcours(visibles, pk, suivi=suivi)
        taches = []
        if suivi:
            # Les tâches viewflow du parcours : l'écran assemble le domaine et les flux.
            taches = taches_du_parcours(parcours, user)
        dossier = construire_dossier(parcours, suivi=suivi, visibles=visibles, taches=taches)
        rubrique = self.request.GET.get("rubrique", "")
        evenements = dossier.evenements
        if rubrique in Rubrique.values:
            evenements = [e for e in evenements if e.rubrique == rubrique]
        else:
            rubrique = ""
        # Le plus récent d'abord : la frise longue se lit par pages.
        page = Paginator(evenements[::-1], EVENEMENTS_PAR_PAGE).get_page(
            self.request.GET.get("page")
        )
        ouvertes = {t.alerte for t in dossier.taches_ouvertes if t.alerte}
        context.update(
            dossier=dossier,
            parcours=parcours,
            participant=parcours.participant,
            prescription=dossier.prescription,
            page_obj=page,
            rubrique=rubrique,
            rubriques=dossier.rubriques(),
            alertes=[(a, a.type in ouvertes) for a in dossier.alertes],
            actions=self.actions(dossier),
            # « Qui a consulté ce dossier » : le référent et le pilotage du PLIE (docs/rgpd.md).
            consultations=consultations_du_participant(parcours.participant_id, parcours.plie_id)
            if acces.voit_les_consultations(user, parcours)
            else None,
        )
        return context

    def actions(self, dossier) -> list[tuple[str, str]]:
        """Les écrans où agir sur ce parcours, selon les droits de l'utilisateur."""
        if not dossier.suivi_visible:
            return []
        user, parcours = self.request.user, dossier.parcours
        pk, statut = parcours.pk, parcours.statut
        actions = []
        if peut_suivre(user, parcours):
            actions += [
                ("Enregistrer un entretien", reverse("suivi:entretien_nouveau", args=[pk])),
                ("Entretiens", reverse("suivi:entretiens", args=[pk])),
                ("Étapes", reverse("suivi:etapes", args=[pk])),
            ]
            if statut in (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU):
                actions.append(("Suspension", reverse("suivi:suspension", args=[pk])))
        actions.append(("Contrats et emploi", reverse("emploi:contrats", args=[pk])))
        proposer = peut_proposer(user, parcours)
        if proposer and statut in (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI):
            actions.append(("Proposer la sortie", reverse("emploi:proposer_sortie", args=[pk])))
        if proposer and statut == Statut.SORTI and not dossier.fse.sortie_saisie:
            actions.append(
                ("Saisir les données FSE+ de sortie", reverse("emploi:donnees_sortie", args=[pk]))
            )
        if peut_gerer_portefeuilles(user, parcours.plie_id):
            actions.append(("Changer de référent", reverse("suivi:referent", args=[pk])))
        return actions
