"""La liste des participants (docs/participants.md) : recherche par numéro, nom (une faute
tolérée) ou date de naissance, filtres, colonnes triables, taille de page, compte borné ; et son
export CSV ou XLSX, streamé, des mêmes lignes (mêmes filtres, même politique d'accès),
journalisé."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import generic

from parcours.accompagnement.enums import Statut
from parcours.dossier.alertes import TypeAlerte
from parcours.participants.models import numero
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows import autocompletion, exports
from workflows.pagination import PaginationParCleMixin
from workflows.participants.filtres import TAILLES, TOUTES_ALERTES, FiltresParticipants
from workflows.participants.requete import resultats

_LIBELLES_ETAT = dict(Statut.choices)
# L'export lit des dictionnaires (`values()`), pas des modèles : 100 000 lignes sans instancier
# 400 000 objets.
CHAMPS_EXPORT = (
    "participant_id",
    "participant__nom",
    "participant__prenom",
    "participant__date_naissance",
    "participant__commune_nom",
    "plie__nom",
    "statut",
    "referent__first_name",
    "referent__last_name",
    "date_entree",
)
COLONNES = [
    exports.Colonne("N°", lambda r: numero(r["participant_id"])),
    exports.Colonne("Nom", lambda r: r["participant__nom"]),
    exports.Colonne("Prénom", lambda r: r["participant__prenom"]),
    exports.Colonne("Naissance", lambda r: r["participant__date_naissance"]),
    exports.Colonne("Commune", lambda r: r["participant__commune_nom"]),
    exports.Colonne("PLIE", lambda r: r["plie__nom"]),
    exports.Colonne("État", lambda r: _LIBELLES_ETAT.get(r["statut"], r["statut"])),
    exports.Colonne(
        "Référent",
        lambda r: " ".join(filter(None, (r["referent__first_name"], r["referent__last_name"]))),
    ),
    exports.Colonne("Entrée", lambda r: r["date_entree"]),
]
CHAMPS = (
    "q",
    "statut",
    "referent",
    "structure",
    "territoire",
    "commune",
    "entree_du",
    "entree_au",
    "alerte",
    "tri",
)
# En-têtes de la liste : (libellé, colonne de tri ou "").
EN_TETES = [
    ("N°", "numero"),
    ("Nom", "nom"),
    ("Prénom", ""),
    ("Naissance", "naissance"),
    ("Commune", "commune"),
    ("PLIE", ""),
    ("État", "etat"),
    ("Référent", "referent"),
    ("Entrée", "entree"),
]


def _participant(parcours):
    """La personne d'une ligne, avec l'état, le PLIE et le référent de son dernier parcours."""
    participant = parcours.participant
    participant.statut_courant = parcours.statut
    participant.statut_libelle = _LIBELLES_ETAT.get(parcours.statut, "")
    participant.plie_courant = parcours.plie.nom
    referent = parcours.referent
    participant.referent_prenom = referent.first_name if referent else ""
    participant.referent_nom = referent.last_name if referent else ""
    return participant


class FiltresMixin:
    def lire_filtres(self) -> FiltresParticipants:
        self.filtres = FiltresParticipants(self.request.user, self.request.GET)
        return self.filtres


class ParticipantListView(
    LoginRequiredMixin, FiltresMixin, PaginationParCleMixin, generic.ListView
):
    """Les participants que l'utilisateur peut voir, une ligne par personne avec son dernier
    parcours visible ; pages lues par clé (la ligne après la dernière vue, pas de `OFFSET`)."""

    template_name = "participants/participant_list.html"
    context_object_name = "lignes"  # les derniers parcours

    def get_queryset(self):
        filtres = self.lire_filtres()
        for message in filtres.messages:
            messages.warning(self.request, message)
        self.resultats = resultats(filtres)
        return self.resultats.lignes

    def cles_de_tri(self):
        return self.resultats.cles

    def requete_du_compte(self):
        return self.resultats.compte

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtres = self.filtres
        valeurs = dict(filtres.valeurs)
        sans_tri = {k: v for k, v in valeurs.items() if k != "tri"}
        context.update(
            participants=[_participant(ligne) for ligne in context["lignes"]],
            filtres=filtres,
            f={cle: valeurs.get(cle, "") for cle in CHAMPS},
            approchee=self.resultats.approchee,
            statuts=Statut.choices,
            alertes=[(TOUTES_ALERTES, "Toutes les alertes"), *TypeAlerte.choices],
            structures=filtres.structures(),
            territoires=filtres.territoires(),
            tailles=TAILLES,
            taille_courante=getattr(self, "taille", None) or self.paginate_by,
            en_tetes=self.en_tetes(sans_tri),
            referents_url=self.url_referents(filtres),
            filtres_url=self.url_des_filtres(**valeurs),
            export_params=urlencode(valeurs),
        )
        return context

    def en_tetes(self, sans_tri) -> list[dict]:
        """Chaque en-tête triable : son lien (ascendant, ou descendant s'il trie déjà)."""
        filtres = self.filtres
        courant = filtres.tri or "nom"
        resultat = []
        for libelle, colonne in EN_TETES:
            entete = {"libelle": libelle, "url": "", "sens": ""}
            if colonne:
                actif = colonne == courant and not (self.resultats.approchee and not filtres.tri)
                descendant = actif and not filtres.descendant
                params = {**sans_tri, "tri": f"-{colonne}" if descendant else colonne}
                if getattr(self, "taille", None):
                    params["taille"] = self.taille
                entete["url"] = "?" + urlencode(params)
                if actif:
                    entete["sens"] = "descending" if filtres.descendant else "ascending"
            resultat.append(entete)
        return resultat

    def url_referents(self, filtres) -> str:
        # L'autocomplétion des référents sert un PLIE : celui de l'utilisateur s'il n'en a qu'un.
        return autocompletion.url("referents", filtres.plies[0]) if len(filtres.plies) == 1 else ""


class ParticipantExportView(LoginRequiredMixin, FiltresMixin, generic.View):
    """`/app/participants/export/<csv|xlsx>/?<filtres de la liste>` : toutes les lignes de la
    liste filtrée (pas seulement la page), dans son ordre, streamées ; la trace dit qui, quand,
    quels filtres et combien de lignes."""

    def get(self, request, format):
        if format not in exports.FORMATS:
            raise Http404
        filtres = self.lire_filtres()
        lignes = resultats(filtres).lignes
        detail = f"{format.upper()} ; filtres : {urlencode(filtres.valeurs) or 'aucun'}"

        def journaliser(nombre, complet):
            tracer(
                TypeTrace.EXPORT,
                request=request,
                objet_type="participants",
                detail=f"{detail} ; {nombre} ligne(s){'' if complet else ' (interrompu)'}",
            )

        return exports.reponse(
            format,
            "participants",
            COLONNES,
            lignes.values(*CHAMPS_EXPORT).iterator(chunk_size=2000),
            a_la_fin=journaliser,
            feuille="Participants",
        )
