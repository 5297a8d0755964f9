"""Ce que partagent les écrans du suivi d'un parcours : le dossier relu dans le périmètre de
l'utilisateur (404 sinon), le droit d'agir, la trace de consultation, le retour après un envoi,
l'erreur d'un service réaffichée sous son champ.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from parcours import acces
from parcours.accompagnement import suivi
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.roles import ROLES_SUIVI
from parcours.tracabilite.consultations import tracer_consultation

# Le libellé de chaque page du suivi dans le journal des accès (docs/rgpd.md).
PAGES_SUIVI = {
    "etapes": "étapes",
    "entretiens": "entretiens",
    "suspension": "suspension",
    "referent": "référent",
}
# Voir le suivi : ceux qui le tiennent, et la direction du PLIE (lecture).
ROLES_LECTURE = frozenset({*ROLES_SUIVI, Role.DIRECTION})


def reporter(form, exc) -> None:
    """Réaffiche une erreur de service sous le champ concerné (ou en tête du formulaire)."""
    if isinstance(exc, ValidationError):
        erreurs = getattr(exc, "message_dict", None) or {"__all__": exc.messages}
        for champ, liste in erreurs.items():
            for message in liste:
                form.add_error(champ if champ in form.fields else None, message)
    else:
        form.add_error(None, str(exc))


class SuiviMixin(LoginRequiredMixin):
    """Une page du suivi d'un parcours : le dossier (404 hors périmètre) et les droits d'agir."""

    onglet = ""

    def get_parcours(self) -> Parcours:
        if not hasattr(self, "_parcours"):
            user = self.request.user
            parcours = get_object_or_404(
                acces.parcours_visibles(user).select_related(
                    "participant", "plie", "referent", "structure_referente"
                ),
                pk=self.kwargs["pk"],
            )
            if not acces.peut_effectuer(user, parcours, ROLES_LECTURE):
                raise Http404("Aucun parcours ne correspond à cette adresse.")
            self._parcours = parcours
        return self._parcours

    def peut_agir(self) -> bool:
        if not hasattr(self, "_peut_agir"):
            self._peut_agir = suivi.peut_suivre(self.request.user, self.get_parcours())
        return self._peut_agir

    def exiger_droit_d_agir(self):
        if not self.peut_agir():
            raise Http404("Aucun parcours ne correspond à cette adresse.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        tracer_consultation(
            self.request,
            plie_id=parcours.plie_id,
            participant_id=parcours.participant_id,
            objet_type="parcours",
            objet_id=parcours.pk,
            detail=f"Suivi : {PAGES_SUIVI.get(self.onglet, 'parcours')}",
        )
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            peut_agir=self.peut_agir(),
            peut_gerer=acces.peut_gerer_portefeuilles(self.request.user, parcours.plie_id),
            onglet=self.onglet,
        )
        return context

    def retour(self, nom, message, **kwargs):
        messages.success(self.request, message)
        return HttpResponseRedirect(
            reverse(f"suivi:{nom}", kwargs={"pk": self.get_parcours().pk, **kwargs})
        )
