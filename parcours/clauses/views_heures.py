"""Les écrans des heures d'insertion et des bilans de clauses (docs/heures.md).

Montés dans `ClausesApplication` (workflows/clauses.py) sous /app/clauses/ : `heures/…` (saisie et
import, facilitateur du PLIE) et `bilans/…` (bilans d'heures, tableau d'impact, équité, tableau de
bord). Chaque écran passe par la politique d'accès (`parcours.acces`) : hors périmètre, 404 ;
sans connexion, la page de connexion. Un compte de donneur d'ordre ne lit que les bilans de ses
opérations, en totaux (aucune donnée personnelle).
"""

import base64
import binascii
import datetime
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, DecimalField, Max, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.clauses import exports, rapports
from parcours.clauses.heures import (
    TAILLE_MAX_FICHIER,
    FichierIllisible,
    ImportRefuse,
    SaisieNonAutorisee,
    erreurs_resumees,
    historique_heures,
    importer_heures,
    lire_mois,
    personnes_embauchees,
    saisir_heures,
)
from parcours.clauses.models import DonneurOrdre
from parcours.clauses.rapports import Periode
from parcours.core.form_mixins import SaisieControleeMixin
from parcours.core.models import PLIE
from parcours.core.validators import sur_une_ligne
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

TAILLE_MAX_IMPORT = TAILLE_MAX_FICHIER  # un fichier mensuel fait quelques kilo-octets


def plies_facilitation(user) -> list:
    """Les PLIE où l'utilisateur saisit des heures (facilitateur, admin)."""
    if user.is_superuser:
        return list(PLIE.objects.order_by("nom"))
    ids = acces.perimetre(user).plies(acces.ROLES_FACILITATION)
    return list(PLIE.objects.filter(pk__in=ids).order_by("nom"))


def plies_pilotage_clauses(user) -> list:
    """Les PLIE dont l'utilisateur lit toute l'activité clauses (facilitateur, animation,
    direction) : le tableau de bord du facilitateur."""
    if user.is_superuser:
        return list(PLIE.objects.order_by("nom"))
    ids = acces.perimetre(user).plies(acces.ROLES_LECTURE_CLAUSES)
    return list(PLIE.objects.filter(pk__in=ids).order_by("nom"))


class Acces404Mixin(LoginRequiredMixin):
    """`acces(user)` faux : 404 (l'écran n'existe pas pour lui). Le menu des heures et bilans
    n'affiche que les écrans que l'utilisateur peut ouvrir."""

    def acces(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.acces(request.user):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        p = acces.perimetre(user)
        context["nav_heures"] = user.is_superuser or bool(p.plies(acces.ROLES_FACILITATION))
        context["nav_tableau_de_bord"] = user.is_superuser or bool(
            p.plies(acces.ROLES_LECTURE_CLAUSES)
        )
        return context


def _avec_taux(lignes, champ="taux"):
    """Ajoute `<champ>_txt` : le taux écrit à la française (17,1 %)."""
    for ligne in lignes:
        ligne[f"{champ}_txt"] = exports.format_valeur(ligne[champ], exports.TAUX)
    return lignes


def _choisir_plie(request, plies):
    """Le PLIE demandé (`?plie=<code>`) parmi ceux permis, sinon le premier."""
    code = request.GET.get("plie") or request.POST.get("plie")
    for plie in plies:
        if plie.code == code:
            return plie
    if code:
        raise Http404("PLIE introuvable.")
    return plies[0]


# — Heures : liste des marchés, saisie, import —


class HeuresView(Acces404Mixin, generic.TemplateView):
    """Les marchés du PLIE avec leurs heures : point d'entrée de la saisie et de l'import."""

    template_name = "clauses/heures/index.html"

    def acces(self, user):
        self.plies = plies_facilitation(user)
        return bool(self.plies)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plie = _choisir_plie(self.request, self.plies)
        marches = (
            acces.marches_visibles(self.request.user)
            .filter(plie=plie)
            .select_related("operation__donneur_ordre", "attributaire")
            .annotate(
                realisees=Coalesce(
                    Sum("heures__heures"),
                    Value(0, output_field=DecimalField(max_digits=12, decimal_places=2)),
                ),
                dernier_mois=Max("heures__mois"),
                personnes=Count("heures__participant", distinct=True)
                + Count("heures__candidat_externe", distinct=True),
            )
            .order_by("numero")
        )
        context.update(plie=plie, plies=self.plies, marches=marches)
        return context


class SaisieForm(SaisieControleeMixin, forms.Form):
    mois = forms.CharField(
        label="Mois (AAAA-MM)",
        widget=forms.TextInput(attrs={"type": "month", "required": True}),
    )

    def clean_mois(self):
        mois = lire_mois(self.cleaned_data["mois"].strip())
        if mois is None:
            raise forms.ValidationError(
                "Mois attendu au format AAAA-MM (ex. 2026-03), de 1900 à 2100."
            )
        return mois


def _mois_par_defaut() -> datetime.date:
    """Le mois écoulé : on déclare les heures d'un mois une fois celui-ci terminé."""
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class SaisieHeuresView(Acces404Mixin, generic.TemplateView):
    """Les heures d'un mois pour chaque personne embauchée sur le marché : une ligne par
    personne, l'employeur (attributaire ou sous-traitant) et les heures ; vide = inchangé."""

    template_name = "clauses/heures/saisie.html"

    def acces(self, user):
        self.marche = get_object_or_404(
            acces.marches_visibles(user).select_related("plie", "attributaire"),
            pk=self.kwargs["pk"],
        )
        return acces.peut_faciliter(user, self.marche.plie_id)

    def mois(self):
        texte = self.request.POST.get("mois") or self.request.GET.get("mois")
        if texte:
            mois = lire_mois(texte)
            if mois is None:
                raise Http404("Mois invalide.")
            return mois
        return _mois_par_defaut()

    def employeurs(self):
        employeurs = list(self.marche.sous_traitants.order_by("raison_sociale"))
        if self.marche.attributaire_id:
            employeurs.insert(0, self.marche.attributaire)
        return employeurs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mois = kwargs.get("mois_saisi") or self.mois()
        personnes = personnes_embauchees(self.marche, mois)
        saisies = kwargs.get("saisies", {})
        erreurs = kwargs.get("erreurs_par_ligne", {})
        lignes = []
        for numero, p in enumerate(personnes, start=1):
            valeur, siret = saisies.get(str(p.personne), (None, None))
            lignes.append(
                {
                    "numero": numero,
                    "cle": str(p.personne),
                    "libelle": p.libelle,
                    "date_embauche": p.date_embauche,
                    "heures": valeur if valeur is not None else (p.heures or ""),
                    "siret": siret or p.siret,
                    "erreurs": erreurs.get(numero, []),
                }
            )
        context.update(
            marche=self.marche,
            mois=mois,
            mois_texte=f"{mois:%Y-%m}",
            lignes=lignes,
            employeurs=self.employeurs(),
            erreurs_generales=kwargs.get("erreurs_generales", []),
            historique=historique_heures(self.marche, mois),
        )
        return context

    def post(self, request, *args, **kwargs):
        mois = self.mois()
        personnes = personnes_embauchees(self.marche, mois)
        saisies, liste = {}, []
        for p in personnes:
            cle = str(p.personne)
            heures = request.POST.get(f"heures_{cle}", "")
            siret = request.POST.get(f"siret_{cle}", "")
            saisies[cle] = (heures, siret)
            liste.append((p.personne, siret, heures))
        try:
            resultat = saisir_heures(self.marche, mois, liste, par=request.user)
        except SaisieNonAutorisee:
            raise Http404("Page introuvable.") from None
        except ImportRefuse as refus:
            par_ligne, generales = {}, []
            for erreur in refus.erreurs:
                if erreur.numero:
                    par_ligne.setdefault(erreur.numero, []).append(erreur.message)
                else:
                    generales.append(erreur.message)
            context = self.get_context_data(
                mois_saisi=mois,
                saisies=saisies,
                erreurs_par_ligne=par_ligne,
                erreurs_generales=generales,
            )
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            f"Heures de {mois:%m/%Y} enregistrées pour le marché {self.marche.numero} : "
            f"{resultat.creees} nouvelle(s), {resultat.remplacees} remplacée(s).",
        )
        url = reverse("clauses:heures_saisie", args=[self.marche.pk])
        return HttpResponseRedirect(f"{url}?mois={mois:%Y-%m}")


class ImportHeuresView(Acces404Mixin, generic.TemplateView):
    """Import en deux temps : le fichier est contrôlé (aperçu = --dry-run), puis l'import est
    confirmé ; le contenu repasse par le formulaire et tout est contrôlé de nouveau."""

    template_name = "clauses/heures/import.html"

    def acces(self, user):
        self.plies = plies_facilitation(user)
        return bool(self.plies)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("plie", _choisir_plie(self.request, self.plies))
        context.update(plies=self.plies)
        return context

    def post(self, request, *args, **kwargs):
        plie = _choisir_plie(request, self.plies)
        confirmer = "confirmer" in request.POST
        if confirmer:
            nom = request.POST.get("nom", "")
            if len(contenu_b64 := request.POST.get("contenu", "")) > TAILLE_MAX_IMPORT * 2:
                return self._erreurs(plie, ["Fichier trop volumineux (2 Mo au plus)."])
            try:
                contenu = base64.b64decode(contenu_b64, validate=True)
            except (binascii.Error, ValueError):
                contenu = b""
        else:
            fichier = request.FILES.get("fichier")
            if fichier is None:
                return self._erreurs(plie, ["Choisissez un fichier CSV ou XLSX."])
            if fichier.size > TAILLE_MAX_IMPORT:
                return self._erreurs(plie, ["Fichier trop volumineux (2 Mo au plus)."])
            nom, contenu = fichier.name, fichier.read()
        # Le nom revient dans la page, le message et le journal des heures (255 caractères).
        nom = sur_une_ligne(nom)[:200]
        if not contenu:
            return self._erreurs(plie, ["Le fichier est vide."])
        try:
            resultat = importer_heures(plie, contenu, nom, par=request.user, dry_run=not confirmer)
        except FichierIllisible as exc:
            return self._erreurs(plie, [str(exc)], nom=nom)
        except SaisieNonAutorisee:
            raise Http404("Page introuvable.") from None
        except ImportRefuse as refus:
            return self._erreurs(plie, refus.erreurs, nom=nom)
        if confirmer:
            messages.success(
                request,
                f"Import de « {nom} » : {len(resultat.lignes)} ligne(s), "
                f"{resultat.total_heures} h — {resultat.creees} nouvelle(s), "
                f"{resultat.remplacees} remplacée(s).",
            )
            return HttpResponseRedirect(f"{reverse('clauses:heures')}?plie={plie.code}")
        context = self.get_context_data(
            plie=plie,
            apercu=resultat,
            nom=nom,
            contenu=base64.b64encode(contenu).decode("ascii"),
        )
        return self.render_to_response(context)

    def _erreurs(self, plie, erreurs, nom=""):
        context = self.get_context_data(
            plie=plie, erreurs=erreurs_resumees(erreurs), total_erreurs=len(erreurs), nom=nom
        )
        return self.render_to_response(context, status=400)


# — Bilans —


class PeriodeForm(SaisieControleeMixin, forms.Form):
    debut = forms.CharField(label="Du mois", required=False)
    fin = forms.CharField(label="Au mois", required=False)

    def _mois(self, champ):
        texte = (self.cleaned_data.get(champ) or "").strip()
        if not texte:
            return None
        mois = lire_mois(texte)
        if mois is None:
            raise forms.ValidationError("Mois attendu au format AAAA-MM. Années de 1900 à 2100.")
        return mois

    def clean_debut(self):
        return self._mois("debut")

    def clean_fin(self):
        return self._mois("fin")

    def periode(self) -> Periode:
        if not self.is_valid():
            return Periode()
        return Periode(self.cleaned_data["debut"], self.cleaned_data["fin"])


class BilanMixin(Acces404Mixin):
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
        plie = _choisir_plie(self.request, self.plies())
        form = self.periode_form()
        periode = form.periode()
        marches = acces.marches_visibles(self.request.user).filter(plie=plie)
        context.update(self.contexte_commun(plie, form))
        context.update(
            totaux=_avec_taux([rapports.totaux(marches, periode)])[0],
            donneurs=_avec_taux(rapports.par_donneur_ordre(marches, periode)),
            operations=_avec_taux(rapports.par_operation(marches, periode)),
            marches=_avec_taux(rapports.par_marche(marches, periode)),
            entreprises=_avec_taux(rapports.par_entreprise(marches, periode)),
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
        plie = _choisir_plie(self.request, self.plies())
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


class TableauDeBordView(Acces404Mixin, generic.TemplateView):
    """Le tableau de bord mensuel du facilitateur (002:L624) : pour le PLIE, ou ses besoins."""

    template_name = "clauses/rapports/tableau_de_bord.html"

    def acces(self, user):
        self.plies = plies_pilotage_clauses(user)
        return bool(self.plies)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plie = _choisir_plie(self.request, self.plies)
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
