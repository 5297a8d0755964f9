"""Les tableaux de bord (docs/tableaux_de_bord.md) : un par PLIE, à la mesure de ce que
l'utilisateur y pilote (`acces.portee_pilotage`) ; chaque indicateur du registre avec son
graphique SVG, son tableau et ses exports CSV et XLSX journalisés."""

import re
from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.acces.pilotage import FINANCEUR, PLIE_ENTIER, REFERENT, STRUCTURE
from parcours.core import parametres
from parcours.core.models import PLIE
from parcours.reporting import graphiques
from parcours.reporting.indicateurs import INDICATEURS
from parcours.reporting.indicateurs.publics import PUBLICS
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows import exports
from workflows.pilotage import filtres as lecture_des_filtres
from workflows.pilotage.sections import PAR_CODE, SECTIONS, section_de

TITRES = {
    PLIE_ENTIER: "Tableau de bord du PLIE",
    STRUCTURE: "Tableau de bord de la structure",
    REFERENT: "Tableau de bord de mon portefeuille",
    FINANCEUR: "Tableau de bord du financeur",
}


def indicateurs_lisibles(portee):
    """Les indicateurs du registre que la portée peut lire (aucun nominatif pour le financeur)."""
    return [i for i in INDICATEURS.values() if portee.nominatif or not i.nominatif]


class PilotageMixin(LoginRequiredMixin):
    """Le PLIE de l'URL, la portée de l'utilisateur et ses filtres ; 404 hors périmètre."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        plie = get_object_or_404(PLIE, pk=kwargs["plie"])
        self.portee = acces.portee_pilotage(request.user, plie)
        if self.portee is None:
            raise Http404("Page introuvable.")
        self.choix = self.portee.choix()
        try:
            self.lecture = lecture_des_filtres.lire(request.GET, self.portee, self.choix)
        except acces.HorsPerimetre:
            raise Http404("Page introuvable.") from None
        return super().dispatch(request, *args, **kwargs)


class IndexView(LoginRequiredMixin, generic.View):
    """`/app/pilotage/` : le tableau de bord du premier PLIE piloté (par nom)."""

    def get(self, request):
        plies = acces.plies_pilotes(request.user)
        if not plies:
            raise Http404("Page introuvable.")
        return HttpResponseRedirect(reverse("pilotage:tableau", args=[plies[0].pk]))


class TableauDeBordView(PilotageMixin, generic.TemplateView):
    template_name = "pilotage/tableau_de_bord.html"

    def section(self):
        """La section demandée (`?section=`) ; absente : la première ; inconnue : la première,
        avec un message."""
        code = self.request.GET.get("section", "")
        if code and code not in PAR_CODE:
            messages.warning(
                self.request,
                f"Section « {parametres.recherche(code)[:40]} » inconnue : "
                f"« {SECTIONS[0].titre} » est affichée.",
            )
        return PAR_CODE.get(code, SECTIONS[0])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        portee, lecture = self.portee, self.lecture
        titre = TITRES[portee.nature]
        if portee.nature == STRUCTURE and len(self.choix.structures) == 1:
            titre += f" {self.choix.structures[0][1]}"
        context.update(
            titre=f"{titre} — {portee.plie.nom}",
            portee=portee,
            choix=self.choix,
            f=lecture.valeurs,
            erreurs=lecture.erreurs,
            publics=PUBLICS,
            autres_plies=[p for p in acces.plies_pilotes(self.request.user) if p != portee.plie],
        )
        section = self.section()
        context.update(
            section=section,
            sections=[
                (
                    s,
                    f"?{lecture.requete}&section={s.code}"
                    if lecture.requete
                    else f"?section={s.code}",
                )
                for s in SECTIONS
            ],
        )
        if lecture.filtres is None:
            return context
        context["periode"] = lecture.filtres.periode
        resultats = []
        for ind in indicateurs_lisibles(portee):
            if section_de(ind) != section:
                continue
            tableau = ind.calculer(lecture.filtres)
            resultats.append(
                {
                    "tableau": tableau,
                    "definition": tableau.definition or ind.definition,
                    "svg": graphiques.svg(tableau),
                    "exports": {
                        fmt: reverse("pilotage:export", args=[portee.plie.pk, ind.code, fmt])
                        + "?"
                        + lecture.requete
                        for fmt in exports.FORMATS
                    },
                }
            )
        context["indicateurs"] = resultats
        return context


class ExportView(PilotageMixin, generic.View):
    """Le tableau d'un indicateur, en CSV (`;`, BOM) ou XLSX, mêmes filtres que la page ;
    la trace dit qui, quand, quel indicateur, quels filtres et combien de lignes."""

    def get(self, request, plie, code, format):
        lisibles = {i.code: i for i in indicateurs_lisibles(self.portee)}
        if format not in exports.FORMATS or code not in lisibles:
            raise Http404("Page introuvable.")
        if self.lecture.filtres is None:
            for erreurs in self.lecture.erreurs.values():
                for m in erreurs:
                    messages.error(request, m)
            url = reverse("pilotage:tableau", args=[plie])
            return HttpResponseRedirect(f"{url}?{self.lecture.requete}")
        tableau = lisibles[code].calculer(self.lecture.filtres)
        detail = f"{format.upper()} ; indicateur {code} ; {self.lecture.requete or 'aucun filtre'}"

        def journaliser(nombre, complet):
            tracer(
                TypeTrace.EXPORT,
                request=request,
                plie=plie,
                objet_type="indicateur",
                objet_id=code,
                detail=f"{detail} ; {nombre} ligne(s){'' if complet else ' (interrompu)'}",
            )

        colonnes = [exports.Colonne(nom, itemgetter(i)) for i, nom in enumerate(tableau.colonnes)]
        return exports.reponse(
            format,
            f"indicateur-{code}",
            colonnes,
            iter(tableau.lignes),
            a_la_fin=journaliser,
            feuille=re.sub(r"[\[\]:*?/\\]", " ", tableau.titre),
        )
