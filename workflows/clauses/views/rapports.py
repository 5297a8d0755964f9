"""Les écrans des bilans des clauses (docs/heures.md) : bilans d'heures, accès équitable aux
heures, tableau d'impact d'un donneur d'ordre (page, XLSX, PDF), tableau de bord mensuel du
facilitateur.

Montés dans `ClausesApplication` (workflows/clauses/application.py) sous /app/clauses/bilans/.
Chaque écran passe par la politique d'accès (`parcours.acces`) : hors périmètre, 404 ; sans
connexion, la page de connexion. Un compte de donneur d'ordre ne lit que les bilans de ses
opérations, en totaux (aucune donnée personnelle).
"""

import tempfile

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.clauses import exports, rapports
from parcours.clauses.models import DonneurOrdre
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows.clauses.forms import PeriodeForm
from workflows.clauses.plies import plies_pilotage_clauses
from workflows.clauses.views.mixins import NavHeuresMixin, choisir_plie


def _avec_taux(lignes, champ="taux"):
    """Ajoute `<champ>_txt` : le taux écrit à la française (17,1 %)."""
    for ligne in lignes:
        ligne[f"{champ}_txt"] = exports.format_valeur(ligne[champ], exports.TAUX)
    return lignes


class BilanMixin(NavHeuresMixin):
    """Les bilans : le périmètre est celui des marchés visibles (`acces.marches_visibles`) ;
    sans donneur d'ordre visible, l'écran n'existe pas (404)."""

    def acces(self, user):
        self.donneurs = list(
            acces.donneurs_ordre_visibles(user).select_related("plie").order_by("plie__nom", "nom")
        )
        return bool(self.donneurs)

    def plies(self):
        vus = {}
        for donneur in self.donneurs:
            vus.setdefault(donneur.plie.code, donneur.plie)
        return list(vus.values())

    def periode_form(self):
        return PeriodeForm(self.request.GET or None)

    def contexte_commun(self, plie, form):
        return {
            "plie": plie,
            "plies": self.plies(),
            "form": form,
            "periode": form.periode(),
            "filtres_url": self.request.GET.urlencode(),
        }


class BilanHeuresView(BilanMixin, generic.TemplateView):
    """Heures prévues et réalisées par donneur d'ordre, opération, marché et entreprise."""

    template_name = "clauses/rapports/heures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plie = choisir_plie(self.request, self.plies())
        form = self.periode_form()
        periode = form.periode()
        marches = acces.marches_visibles(self.request.user).filter(plie=plie)
        context.update(self.contexte_commun(plie, form))
        bilan = rapports.bilan_heures(marches, periode)  # une requête pour les quatre tableaux
        context.update(
            totaux=_avec_taux([bilan["totaux"]])[0],
            donneurs=_avec_taux(bilan["donneurs"]),
            operations=_avec_taux(bilan["operations"]),
            marches=_avec_taux(rapports.par_marche(marches, periode)),
            entreprises=_avec_taux(bilan["entreprises"]),
            contrats=rapports.types_de_contrat(marches, periode),
            publics=rapports.publics(marches, periode),
            impacts=[d for d in self.donneurs if d.plie_id == plie.pk],
        )
        return context


class EquiteView(BilanMixin, generic.TemplateView):
    """Accès équitable aux heures (000:L570) : heures et personnes par public, pour le PLIE et
    pour chaque donneur d'ordre visible."""

    template_name = "clauses/rapports/equite.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plie = choisir_plie(self.request, self.plies())
        form = self.periode_form()
        periode = form.periode()
        marches = acces.marches_visibles(self.request.user).filter(plie=plie)
        context.update(self.contexte_commun(plie, form))
        context.update(
            publics=_avec_taux(rapports.publics(marches, periode), "part"),
            par_donneur=rapports.publics_par_donneur(marches, periode),
            libelles=rapports.PUBLICS,
        )
        return context


class ImpactMixin(BilanMixin):
    def donneur(self) -> DonneurOrdre:
        for donneur in self.donneurs:
            if donneur.pk == self.kwargs["pk"]:
                return donneur
        raise Http404("Donneur d'ordre introuvable.")

    def rapport(self):
        donneur = self.donneur()
        marches = acces.marches_visibles(self.request.user).filter(operation__donneur_ordre=donneur)
        return rapports.tableau_impact(donneur, marches, self.periode_form().periode())


class ImpactView(ImpactMixin, generic.TemplateView):
    template_name = "clauses/rapports/impact.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rapport = self.rapport()
        context.update(
            donneur=self.donneur(),
            rapport=rapport,
            synthese=[(libelle, exports.format_valeur(v, f)) for libelle, v, f in rapport.synthese],
            tableaux=[exports.tableau_affiche(t) for t in rapport.tableaux],
            form=self.periode_form(),
            filtres_url=self.request.GET.urlencode(),
        )
        return context


class ImpactFichierView(ImpactMixin, generic.View):
    """Le tableau d'impact à télécharger : `format` = xlsx ou pdf."""

    format = "xlsx"

    def get(self, request, *args, **kwargs):
        donneur = self.donneur()
        rapport = self.rapport()
        nom = f"tableau-impact-{donneur.pk}-{timezone.localdate():%Y%m%d}"
        # Journal des accès : qui a exporté quel bilan, sur quelle période (docs/rgpd.md).
        tracer(
            TypeTrace.EXPORT,
            request=request,
            plie=donneur.plie_id,
            objet_type="tableau_impact",
            objet_id=donneur.pk,
            detail=f"Tableau d'impact ({self.format.upper()}) — {donneur.nom} — "
            f"{rapport.sous_titre}",
        )
        if self.format == "pdf":
            reponse = HttpResponse(exports.rapport_pdf(rapport), content_type="application/pdf")
            reponse["Content-Disposition"] = f'attachment; filename="{nom}.pdf"'
            return reponse
        # Le classeur s'écrit dans un fichier temporaire, envoyé par morceaux puis supprimé.
        fichier = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse le ferme)
        exports.ecrire_xlsx(rapport, fichier)
        fichier.seek(0)
        return FileResponse(
            fichier, as_attachment=True, filename=f"{nom}.xlsx", content_type=exports.TYPE_XLSX
        )


class TableauDeBordView(NavHeuresMixin, generic.TemplateView):
    """Le tableau de bord mensuel du facilitateur (002:L624) : pour le PLIE, ou ses besoins."""

    template_name = "clauses/rapports/tableau_de_bord.html"

    def acces(self, user):
        self.plies = list(plies_pilotage_clauses(user))
        return bool(self.plies)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plie = choisir_plie(self.request, self.plies)
        try:
            annee = int(self.request.GET.get("annee", ""))
        except ValueError:
            annee = timezone.localdate().year
        if not 2000 <= annee <= 2100:
            raise Http404("Année invalide.")
        mes_besoins = self.request.GET.get("mes_besoins") == "1"
        positionnements = acces.positionnements_visibles(self.request.user).filter(
            besoin__marche__plie=plie
        )
        if mes_besoins:
            positionnements = positionnements.filter(besoin__facilitateur=self.request.user)
        lignes = rapports.tableau_de_bord(positionnements, annee)
        totaux = {c: sum(ligne[c] for ligne in lignes) for c, _, _ in rapports.COMPTEURS}
        context.update(
            plie=plie,
            plies=self.plies,
            annee=annee,
            annees=[annee - 1, annee + 1],
            mes_besoins=mes_besoins,
            compteurs=rapports.COMPTEURS,
            lignes=[
                {"mois": ligne["mois"], "valeurs": [ligne[c] for c, _, _ in rapports.COMPTEURS]}
                for ligne in lignes
            ],
            totaux=[totaux[c] for c, _, _ in rapports.COMPTEURS],
            contrats=rapports.contrats_par_mois(positionnements, annee),
        )
        return context
