"""L'accès aux écrans des clauses, écrit une fois (les écrans des clauses et ceux des heures et
bilans en avaient chacun une copie).

Chaque écran dit dans `acces(user)` si l'utilisateur tient un rôle qui l'ouvre : sinon 404 (la
page n'existe pas pour lui) ; sans connexion, la page de connexion. Les listes et les fiches
filtrent ensuite par la politique d'accès (`parcours.acces`) : hors périmètre, 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.core import parametres
from workflows.clauses.forms import signature
from workflows.pagination import PaginationBorneeMixin


class AccesMixin(LoginRequiredMixin):
    """`acces(user)` : l'utilisateur tient-il un rôle qui ouvre cet écran ? Sinon 404."""

    def acces(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.acces(request.user):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)


def facilite_les_clauses(user) -> bool:
    """Facilitateur (ou admin) dans au moins un PLIE : il crée et modifie, il saisit des heures."""
    return user.is_superuser or bool(acces.perimetre(user).plies(acces.ROLES_FACILITATION))


class NavHeuresMixin(AccesMixin):
    """Les écrans des heures et des bilans : leur menu n'affiche que les écrans que
    l'utilisateur peut ouvrir."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["nav_heures"] = facilite_les_clauses(user)
        context["nav_tableau_de_bord"] = user.is_superuser or bool(
            acces.perimetre(user).plies(acces.ROLES_LECTURE_CLAUSES)
        )
        return context


def choisir_plie(request, plies):
    """Le PLIE demandé (`?plie=<code>`) parmi ceux permis, sinon le premier."""
    code = request.GET.get("plie") or request.POST.get("plie")
    for plie in plies:
        if plie.code == code:
            return plie
    if code:
        raise Http404("PLIE introuvable.")
    return plies[0]


class ListeMixin(AccesMixin, PaginationBorneeMixin, generic.ListView):
    """Une liste des clauses : pagination bornée (`workflows/pagination.py`)."""

    filtres: tuple[str, ...] = ("q",)

    def valeurs_filtres(self):
        return {f: parametres.recherche(self.request.GET.get(f)) for f in self.filtres}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valeurs = self.valeurs_filtres()
        context["filtres"] = valeurs
        context["filtres_url"] = self.url_des_filtres(**{k: v for k, v in valeurs.items() if v})
        context["peut_creer"] = facilite_les_clauses(self.request.user)
        return context


class ModificationMixin(AccesMixin):
    """Créer ou modifier : réservé au facilitateur du PLIE de l'objet (403 s'il le voit sans
    pouvoir le modifier, 404 s'il ne le voit pas) ; une modification concurrente est refusée."""

    template_name = "clauses/formulaire.html"
    titre = ""

    def acces(self, user):
        return facilite_les_clauses(user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def plie_id_de(self, objet) -> int:
        raise NotImplementedError

    def verifier(self, objet):
        if (
            objet is not None
            and objet.pk
            and not acces.peut_faciliter(self.request.user, self.plie_id_de(objet))
        ):
            raise PermissionDenied("Seul le facilitateur clauses du PLIE modifie cette fiche.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objet = getattr(self, "object", None)
        context["titre"] = self.titre if not (objet and objet.pk) else f"Modifier : {objet}"
        context["retour"] = self.retour()
        return context

    def retour(self):
        return reverse("clauses:index")

    def form_valid(self, form):
        try:
            with transaction.atomic():
                if form.instance.pk:
                    actuel = (
                        type(form.instance).objects.select_for_update().get(pk=form.instance.pk)
                    )
                    if form.cleaned_data.get("version") != signature(actuel):
                        form.add_error(
                            None,
                            "Cette fiche vient d'être modifiée par une autre personne : "
                            "rechargez la page pour voir ses valeurs actuelles.",
                        )
                        return self.form_invalid(form)
                if not acces.peut_faciliter(self.request.user, self.plie_id_de(form.instance)):
                    raise PermissionDenied(
                        "Seul le facilitateur clauses du PLIE modifie cette fiche."
                    )
                self.object = form.save()
        except IntegrityError:
            form.add_error(None, "Cet enregistrement existe déjà (doublon).")
            return self.form_invalid(form)
        messages.success(self.request, f"« {self.object} » enregistré.")
        return HttpResponseRedirect(self.get_success_url())
