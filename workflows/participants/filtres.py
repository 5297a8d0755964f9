"""Les filtres de la liste des participants, lus dans l'adresse (docs/participants.md).

Chaque valeur est contrôlée avant d'aller en base : une valeur inconnue (un état qui n'existe
pas, une date impossible, une structure d'un autre PLIE, un tri inconnu) est ignorée et la liste
le dit par un message, jamais une erreur. Les filtres gardés reviennent dans le formulaire, les
liens de page et l'adresse de l'export : l'export écrit exactement ce que la liste montre.
"""

import datetime
import re

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core import parametres
from parcours.core.models import Structure, Territoire
from parcours.core.roles import ROLES_PILOTAGE
from parcours.dossier.alertes import TypeAlerte
from parcours.participants.recherche import lire
from workflows.autocompletion import identifiant_choisi

TOUTES_ALERTES = "toutes"
# Colonne triable -> champs du parcours (dernier parcours visible de chaque personne).
TRIS = {
    "numero": ("participant_id",),
    # La copie tenue sur le parcours (`Parcours.nom_de_tri`) : l'ordre de l'index d'un PLIE.
    "nom": ("nom_de_tri", "prenom_de_tri"),
    "naissance": ("participant__date_naissance",),
    "commune": ("participant__commune_nom",),
    "etat": ("statut",),
    "entree": ("date_entree",),
    "referent": ("referent__last_name", "referent__first_name"),
}
TRI_DEFAUT = "nom"
TAILLES = (10, 25, 50, 100)
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_FR = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
LIBELLES = {
    "statut": "État",
    "structure": "Structure",
    "territoire": "Territoire",
    "alerte": "Alerte",
    "tri": "Tri",
    "entree_du": "Entrée du",
    "entree_au": "Entrée au",
    "referent": "Référent",
}


def lire_date(brut: str) -> datetime.date | None:
    if trouve := _DATE_ISO.fullmatch(brut):
        annee, mois, jour = (int(x) for x in trouve.groups())
    elif trouve := _DATE_FR.fullmatch(brut):
        jour, mois, annee = (int(x) for x in trouve.groups())
    else:
        return None
    try:
        return datetime.date(annee, mois, jour)
    except ValueError:
        return None


class FiltresParticipants:
    """Les filtres de la liste pour `user` : `valeurs` (ce qui est gardé, pour le formulaire et
    les liens), `messages` (ce qui est ignoré et pourquoi), et les valeurs typées."""

    def __init__(self, user, donnees):
        self.user = user
        self.messages: list[str] = []
        self.valeurs: dict[str, str] = {}
        self.q = parametres.recherche(donnees.get("q"))
        self.saisie = lire(self.q)
        if self.q:
            self.valeurs["q"] = self.q
        self.plies = self._plies()
        self.statut = self._choix(donnees, "statut", dict(Statut.choices))
        self.alerte = self._choix(
            donnees, "alerte", {TOUTES_ALERTES: "Toutes", **dict(TypeAlerte.choices)}
        )
        self.commune = parametres.recherche(donnees.get("commune"))[:80]
        if self.commune:
            self.valeurs["commune"] = self.commune
        self.referent = self._referent(donnees)
        self.entree_du = self._date(donnees, "entree_du")
        self.entree_au = self._date(donnees, "entree_au")
        if self.entree_du and self.entree_au and self.entree_du > self.entree_au:
            self.messages.append(
                "La date d'entrée « du » est après la date « au » : les deux dates sont échangées."
            )
            self.entree_du, self.entree_au = self.entree_au, self.entree_du
            self.valeurs["entree_du"] = self.entree_du.isoformat()
            self.valeurs["entree_au"] = self.entree_au.isoformat()
        self.tri, self.descendant = self._tri(donnees)
        # Structures et territoires : ceux des PLIE de l'utilisateur (listes courtes, lues
        # seulement si le filtre est demandé ou le formulaire affiché : `choix_*`).
        self._structure_brute = (donnees.get("structure") or "").strip()
        self._territoire_brut = (donnees.get("territoire") or "").strip()
        self.structure = self._dans("structure", self._structure_brute, self.structures())
        self.territoire = self._dans("territoire", self._territoire_brut, self.territoires())

    # — lecture —

    def _plies(self) -> list[int]:
        p = acces.perimetre(self.user)
        return sorted(p.roles_par_plie) if p.roles_par_plie else []

    def _ignore(self, cle: str, brut: str, raison: str = "inconnu"):
        self.messages.append(
            f"{LIBELLES.get(cle, cle)} « {str(brut)[:40]} » {raison} : filtre ignoré."
        )

    def _choix(self, donnees, cle, connus) -> str:
        brut = (donnees.get(cle) or "").strip()
        if not brut:
            return ""
        if brut not in connus:
            self._ignore(cle, brut)
            return ""
        self.valeurs[cle] = brut
        return brut

    def _date(self, donnees, cle) -> datetime.date | None:
        brut = (donnees.get(cle) or "").strip()
        if not brut:
            return None
        date = lire_date(brut)
        if date is None:
            self._ignore(cle, brut, "n'est pas une date (jj/mm/aaaa)")
            return None
        self.valeurs[cle] = date.isoformat()
        return date

    def _referent(self, donnees) -> int | None:
        brut = (donnees.get("referent") or "").strip()
        if not brut:
            return None
        pk = identifiant_choisi(brut)
        if pk is None:
            self._ignore("referent", brut, "n'est pas une proposition de la liste")
            return None
        self.valeurs["referent"] = brut[:200]
        return pk

    def _tri(self, donnees) -> tuple[str, bool]:
        brut = (donnees.get("tri") or "").strip()
        colonne = brut.removeprefix("-")
        if not brut:
            return "", False
        if colonne not in TRIS:
            self._ignore("tri", brut)
            return "", False
        self.valeurs["tri"] = brut
        return colonne, brut.startswith("-")

    def _dans(self, cle, brut, choix) -> int | None:
        if not brut:
            return None
        pk = parametres.identifiant(brut)
        if pk is None or pk not in dict(choix):
            self._ignore(cle, brut)
            return None
        self.valeurs[cle] = str(pk)
        return pk

    # — listes de choix (bornées par les PLIE de l'utilisateur) —

    def structures(self) -> list[tuple[int, str]]:
        if not hasattr(self, "_structures"):
            qs = Structure.objects.filter(plie_id__in=self.plies).order_by("nom", "pk")
            self._structures = list(qs.values_list("pk", "nom")) if self.plies else []
        return self._structures

    def territoires(self) -> list[tuple[int, str]]:
        if not hasattr(self, "_territoires"):
            qs = Territoire.objects.filter(plie_id__in=self.plies).order_by("nom", "pk")
            self._territoires = list(qs.values_list("pk", "nom")) if self.plies else []
        return self._territoires

    @property
    def pilote(self) -> bool:
        return bool(acces.perimetre(self.user).plies(ROLES_PILOTAGE))

    @property
    def actifs(self) -> bool:
        """Un filtre ou une recherche en cours (la liste vide le dit autrement)."""
        return bool(set(self.valeurs) - {"tri"})
