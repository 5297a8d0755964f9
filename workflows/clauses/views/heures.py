"""Les écrans des heures d'insertion (docs/heures.md) : les marchés du PLIE et leurs heures,
la saisie d'un mois pour un marché, l'import d'un fichier (aperçu puis confirmation).

Montés dans `ClausesApplication` (workflows/clauses/application.py) sous /app/clauses/heures/ ;
réservés au facilitateur du PLIE (et à l'admin) : ailleurs, 404 ; sans connexion, la page de
connexion.
"""

import base64
import binascii
import datetime
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Max, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.clauses.heures import (
    TAILLE_MAX_FICHIER,
    FichierIllisible,
    ImportRefuse,
    SaisieNonAutorisee,
    erreurs_resumees,
    historique_heures,
    importer_heures,
    lire_mois,
    modele_csv,
    personnes_embauchees,
    saisir_heures,
)
from parcours.clauses.heures.fichier import PERSONNE_EXEMPLE
from parcours.clauses.models import HeuresRealisees
from parcours.core.nombres import heures
from parcours.core.validators import sur_une_ligne
from workflows.clauses.plies import plies_facilites
from workflows.clauses.views.mixins import NavHeuresMixin, choisir_plie
from workflows.pagination import PaginationBorneeMixin

TAILLE_MAX_IMPORT = TAILLE_MAX_FICHIER  # un fichier mensuel fait quelques kilo-octets


class HeuresView(NavHeuresMixin, PaginationBorneeMixin, generic.ListView):
    """Les marchés du PLIE avec leurs heures : point d'entrée de la saisie et de l'import.
    Pagination bornée (`workflows/pagination.py`) : compte borné, `?page=` et `?taille=` ramenés
    dans les bornes avec un message."""

    template_name = "clauses/heures/index.html"
    context_object_name = "marches"

    def acces(self, user):
        self.plies = list(plies_facilites(user))
        return bool(self.plies)

    def get_queryset(self):
        self.plie = choisir_plie(self.request, self.plies)
        return (
            acces.marches_visibles(self.request.user)
            .filter(plie=self.plie)
            .select_related("operation__donneur_ordre", "attributaire")
            .order_by("numero", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        marches = list(context["marches"])
        # Les heures de la seule page : une requête groupée sur ses marchés.
        totaux = {
            t["marche"]: t
            for t in HeuresRealisees.objects.filter(marche__in=[m.pk for m in marches])
            .values("marche")
            .annotate(
                realisees=Sum("heures"),
                dernier_mois=Max("mois"),
                personnes=Count("participant", distinct=True)
                + Count("candidat_externe", distinct=True),
            )
            .order_by()
        }
        for marche in marches:
            t = totaux.get(marche.pk, {})
            marche.realisees = t.get("realisees") or Decimal(0)
            marche.dernier_mois = t.get("dernier_mois")
            marche.personnes = t.get("personnes", 0)
        context.update(
            plie=self.plie,
            plies=self.plies,
            marches=marches,
            filtres_url=self.url_des_filtres(plie=self.plie.code),
        )
        return context


def _mois_par_defaut() -> datetime.date:
    """Le mois écoulé : on déclare les heures d'un mois une fois celui-ci terminé."""
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class SaisieHeuresView(NavHeuresMixin, generic.TemplateView):
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
                    # La saisie réaffichée après une erreur ; sinon la valeur en vigueur (0 h
                    # compris : une valeur nulle enregistrée reste visible).
                    "heures": valeur
                    if valeur is not None
                    else ("" if p.heures is None else p.heures),
                    "siret": siret or p.siret,
                    # Ce qui est enregistré pour le mois, montré à part : toujours visible, même
                    # quand la case est vide (« inchangé ») ou réaffiche une saisie refusée.
                    "enregistrees": p.heures,
                    "employeur_enregistre": p.siret,
                    "erreurs": erreurs.get(numero, []),
                }
            )
        deja = [ligne["enregistrees"] for ligne in lignes if ligne["enregistrees"] is not None]
        context.update(
            marche=self.marche,
            mois=mois,
            mois_texte=f"{mois:%Y-%m}",
            lignes=lignes,
            nb_enregistrees=len(deja),
            total_enregistre=sum(deja, Decimal(0)),
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


class ImportHeuresView(NavHeuresMixin, generic.TemplateView):
    """Import en deux temps : le fichier est contrôlé (aperçu = --dry-run), puis l'import est
    confirmé ; le contenu repasse par le formulaire et tout est contrôlé de nouveau."""

    template_name = "clauses/heures/import.html"

    def acces(self, user):
        self.plies = list(plies_facilites(user))
        return bool(self.plies)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("plie", choisir_plie(self.request, self.plies))
        context.update(plies=self.plies, personne_exemple=PERSONNE_EXEMPLE)
        return context

    def post(self, request, *args, **kwargs):
        plie = choisir_plie(request, self.plies)
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
                f"{heures(resultat.total_heures)} — {resultat.creees} nouvelle(s), "
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


# Quand le PLIE n'a pas encore de marché : un exemple de la forme attendue.
MARCHE_EXEMPLE, SIRET_EXEMPLE = "2025-BAT-014", "73282932000074"


class ModeleImportView(NavHeuresMixin, generic.View):
    """« Télécharger le modèle » de l'écran d'import : un CSV avec les colonnes attendues et une
    ligne d'exemple (un marché du PLIE et son attributaire, le mois écoulé), à remplacer."""

    def acces(self, user):
        self.plies = list(plies_facilites(user))
        return bool(self.plies)

    def get(self, request, *args, **kwargs):
        plie = choisir_plie(request, self.plies)
        marche = (
            acces.marches_visibles(request.user)
            .filter(plie=plie, attributaire__isnull=False)
            .select_related("attributaire")
            .order_by("-date_debut", "-id")
            .first()
        )
        contenu = modele_csv(
            marche.numero if marche else MARCHE_EXEMPLE,
            marche.attributaire.siret if marche else SIRET_EXEMPLE,
            _mois_par_defaut(),
        )
        reponse = HttpResponse(contenu, content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = 'attachment; filename="modele-import-heures.csv"'
        return reponse
