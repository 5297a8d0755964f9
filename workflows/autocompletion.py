"""L'autocomplétion (docs/architecture.md « Listes ») : plus de liste déroulante qui énumère les
référents, participants ou entreprises d'un PLIE. Un champ texte avec `<datalist>` que remplit
`static/plie/autocompletion.js` (fichier du site, compatible CSP) depuis une petite vue JSON par
ressource, passée par la politique d'accès, 20 résultats au plus.

Le choix revient sous la forme « libellé (n° 12) » ; `ChampAutocompletion` en lit l'identifiant
et le cherche dans le queryset du formulaire (déjà limité par l'accès) : une seule ligne lue.
"""

import re

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views import View

from parcours import acces
from parcours.accompagnement.suivi import referents_du_plie
from parcours.core import parametres
from parcours.core.models import Membership, Structure, User
from parcours.entreprises.models import Entreprise
from parcours.participants.models import Participant

RESULTATS_MAX = 20
LONGUEUR_MIN = 2
CHOIX_MAX = 100  # lignes d'un champ à choix multiples lues au plus
_CHOIX = re.compile(r"(?:.*\(n° ?)?([0-9]{1,18})\)?\s*")


def libelle_choix(libelle: str, pk: int) -> str:
    """La valeur proposée à la personne et renvoyée par le navigateur."""
    return f"{libelle} (n° {pk})"


def identifiant_choisi(texte) -> int | None:
    """L'identifiant d'une valeur « libellé (n° 12) » ou « 12 » ; None sinon."""
    trouve = _CHOIX.fullmatch(str(texte or "").strip())
    return parametres.identifiant(trouve.group(1)) if trouve else None


class Autocompletion(forms.TextInput):
    """Un champ texte relié à une liste de propositions chargée au fil de la frappe."""

    def __init__(self, url="", attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        liste = f"{context['widget']['attrs'].get('id') or name}-choix"
        context["widget"]["attrs"].update(
            {"list": liste, "autocomplete": "off", "data-autocompletion": self.url}
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        champ = super().render(name, value, attrs, renderer)
        liste = f"{(attrs or {}).get('id') or name}-choix"
        return format_html('{}<datalist id="{}"></datalist>', champ, liste)


class ChampAutocompletion(forms.ModelChoiceField):
    """Un `ModelChoiceField` saisi au clavier : rien n'est énuméré au rendu."""

    default_error_messages = {
        "invalid_choice": "Choisissez une proposition de la liste (tapez au moins deux lettres).",
    }

    def __init__(self, *args, url="", libelle=str, **kwargs):
        kwargs.setdefault("widget", Autocompletion(url))
        super().__init__(*args, **kwargs)
        self.libelle = libelle

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return libelle_choix(self.libelle(value), value.pk)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = identifiant_choisi(value)
        if pk is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice")
        return super().to_python(pk)


class AutocompletionMultiple(forms.Widget):
    """Plusieurs champs texte du même nom, chacun relié à la liste de propositions : les choix
    déjà faits, puis `vides` lignes libres. Rien n'est énuméré au rendu."""

    def __init__(self, url="", vides=3, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.vides = vides

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        valeurs = getlist(name) if getlist else data.get(name)
        if isinstance(valeurs, str | int):
            valeurs = [valeurs]
        return [v for v in (valeurs or []) if str(v).strip()]

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        valeurs = [v for v in (value or []) if v not in (None, "")]
        base = (attrs or {}).get("id") or f"id_{name}"
        libelle = getattr(self, "libelle", "Choix")
        champs = []
        for i, valeur in enumerate([*valeurs, *[""] * self.vides]):
            # La première ligne porte le libellé du champ (<label for>) ; les suivantes le
            # reprennent avec leur rang (« Référents (2) »).
            identifiant = f"{base}-{i}" if i else base
            nom_accessible = format_html(' aria-label="{} ({})"', libelle, i + 1) if i else ""
            champs.append(
                format_html(
                    '<input type="text" name="{}" value="{}" id="{}" list="{}-choix" '
                    'autocomplete="off" data-autocompletion="{}"{}>'
                    '<datalist id="{}-choix"></datalist>',
                    name,
                    valeur,
                    identifiant,
                    identifiant,
                    self.url,
                    nom_accessible,
                    identifiant,
                )
            )
        return format_html(
            '<div class="plie-autocompletion-multiple">{}</div>',
            format_html_join("", "{}", ((c,) for c in champs)),
        )


class ChampAutocompletionMultiple(forms.ModelMultipleChoiceField):
    """Un `ModelMultipleChoiceField` saisi au clavier, une ligne par choix (« libellé (n° 12) »
    ou « 12 ») : rien n'est énuméré au rendu ; les identifiants sont cherchés dans le queryset du
    formulaire (déjà limité par l'accès), en une requête."""

    default_error_messages = {
        "invalid_choice": "« %(value)s » : choisissez une proposition de la liste "
        "(tapez au moins deux lettres).",
        "invalid_pk_value": "« %(pk)s » : choisissez une proposition de la liste.",
    }

    def __init__(self, *args, url="", vides=3, libelle=str, **kwargs):
        kwargs.setdefault("widget", AutocompletionMultiple(url, vides))
        kwargs.setdefault(
            "help_text",
            "Tapez au moins deux lettres puis choisissez dans la liste ; une ligne par choix.",
        )
        super().__init__(*args, **kwargs)
        self.libelle = libelle
        self.widget.libelle = str(self.label or "Choix")

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        valeurs = []
        for v in value:
            valeurs.append(libelle_choix(self.libelle(v), v.pk) if hasattr(v, "_meta") else v)
        return valeurs

    def clean(self, value):
        if len(value or []) > CHOIX_MAX:
            raise forms.ValidationError(
                f"{CHOIX_MAX} choix au plus à la fois.", code="trop_de_choix"
            )
        identifiants = []
        for texte in value or []:
            pk = identifiant_choisi(texte)
            if pk is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(texte)[:80]},
                )
            identifiants.append(pk)
        return super().clean(list(dict.fromkeys(identifiants)))


class AutocompletionView(LoginRequiredMixin, View):
    """`?q=` (au moins deux lettres) -> `{"resultats": [{"id", "libelle", "valeur"}]}`."""

    def get(self, request, *args, **kwargs):
        q = parametres.recherche(request.GET.get("q"))
        resultats = []
        if len(q) >= LONGUEUR_MIN:
            for pk, libelle in self.chercher(request.user, q)[:RESULTATS_MAX]:
                valeur = libelle_choix(libelle, pk)
                resultats.append({"id": pk, "libelle": libelle, "valeur": valeur})
        return JsonResponse({"resultats": resultats})

    def plie(self, user, roles=None) -> int:
        """Le PLIE demandé (`?plie=`), s'il est dans le périmètre de l'utilisateur ; 404 sinon."""
        plie_id = parametres.identifiant(self.request.GET.get("plie"))
        if plie_id is None:
            raise Http404
        p = acces.perimetre(user)
        if not user.is_superuser and plie_id not in (p.plies(roles) if roles else p.roles_par_plie):
            raise Http404
        return plie_id


class ReferentsView(AutocompletionView):
    """Les référents de parcours d'un PLIE où l'utilisateur tient un rôle ; avec `?etape=1`,
    les référents d'étape aussi (destinataires de la diffusion d'une offre)."""

    def chercher(self, user, q):
        plie_id = self.plie(user)
        if self.request.GET.get("etape") == "1":
            adhesions = Membership.objects.actives().filter(
                role__in=acces.ROLES_REFERENT, structure__plie_id=plie_id
            )
            referents = User.objects.filter(pk__in=adhesions.values("user_id")).order_by(
                "last_name", "first_name", "pk"
            )
        else:
            referents = referents_du_plie(plie_id)
        for mot in q.split():
            referents = referents.filter(last_name__icontains=mot) | referents.filter(
                first_name__icontains=mot
            )
        return [(u.pk, u.get_full_name() or u.username) for u in referents[:RESULTATS_MAX]]


class ParcoursView(AutocompletionView):
    """Les parcours visibles d'un PLIE, cherchés par le nom de la personne (index de recherche)."""

    def chercher(self, user, q):
        plie_id = self.plie(user)
        personnes = Participant.objects.recherche(q).values("pk")
        parcours = (
            acces.parcours_visibles(user)
            .filter(plie_id=plie_id, participant__in=personnes)
            .select_related("participant")
            .order_by("participant__nom", "participant__prenom", "-date_prescription", "-id")
        )
        return [
            (p.pk, f"{p.participant} — {p.get_statut_display()}") for p in parcours[:RESULTATS_MAX]
        ]


class ParticipantsView(AutocompletionView):
    """Les personnes dont l'utilisateur voit un parcours dans ce PLIE."""

    def chercher(self, user, q):
        visibles = acces.parcours_visibles(user).filter(plie_id=self.plie(user))
        personnes = Participant.objects.recherche(q).filter(
            pk__in=visibles.values("participant_id")
        )
        personnes = personnes.order_by("nom", "prenom", "pk")[:RESULTATS_MAX]
        return [(p.pk, f"{p} — né·e le {p.date_naissance:%d/%m/%Y}") for p in personnes]


class EntreprisesView(AutocompletionView):
    """Les entreprises visibles, par raison sociale ou SIRET."""

    def chercher(self, user, q):
        entreprises = acces.entreprises_visibles(user, Entreprise.objects.all())
        for mot in q.split():
            entreprises = entreprises.filter(raison_sociale__icontains=mot) | entreprises.filter(
                siret__startswith=mot
            )
        entreprises = entreprises.order_by("raison_sociale", "pk")[:RESULTATS_MAX]
        return [(e.pk, f"{e.raison_sociale} ({e.siret})") for e in entreprises]


class StructuresView(AutocompletionView):
    """Les structures d'un PLIE où l'utilisateur tient un rôle, qui ont des référents (les
    destinataires de la diffusion d'une offre), par nom."""

    def chercher(self, user, q):
        structures = Structure.objects.filter(
            plie_id=self.plie(user),
            pk__in=Membership.objects.actives()
            .filter(role__in=acces.ROLES_REFERENT)
            .values("structure_id"),
        )
        for mot in q.split():
            structures = structures.filter(nom__icontains=mot)
        return [(s.pk, s.nom) for s in structures.order_by("nom", "pk")[:RESULTATS_MAX]]


def url(nom: str, plie_id: int | None = None) -> str:
    """L'adresse d'une vue d'autocomplétion (`referents`, `parcours`, `participants`,
    `entreprises`, `structures`)."""
    adresse = reverse(f"autocompletion:{nom}")
    return f"{adresse}?plie={plie_id}" if plie_id is not None else adresse


app_name = "autocompletion"
urlpatterns = [
    path("referents/", ReferentsView.as_view(), name="referents"),
    path("parcours/", ParcoursView.as_view(), name="parcours"),
    path("participants/", ParticipantsView.as_view(), name="participants"),
    path("entreprises/", EntreprisesView.as_view(), name="entreprises"),
    path("structures/", StructuresView.as_view(), name="structures"),
]
