"""Les filtres d'une extraction, lus dans l'adresse : période, structure, référent, statut (ou
type). Une valeur inconnue est ignorée et la page le dit, jamais une erreur ; les valeurs gardées
suivent les liens de téléchargement : le fichier contient ce que la page annonce."""

from parcours import acces
from parcours.core import parametres
from parcours.core.models import Structure
from workflows import autocompletion
from workflows.participants.filtres import lire_date


class FiltresExtraction:
    def __init__(self, user, extraction, donnees):
        self.user = user
        self.extraction = extraction
        self.messages: list[str] = []
        self.valeurs: dict[str, str] = {}
        self.plies = sorted(acces.perimetre(user).roles_par_plie)
        self.du = self._date(donnees, "du", "Du")
        self.au = self._date(donnees, "au", "Au")
        if self.du and self.au and self.du > self.au:
            self.messages.append(
                "La date « du » est après la date « au » : les deux dates sont échangées."
            )
            self.du, self.au = self.au, self.du
            self.valeurs.update(du=self.du.isoformat(), au=self.au.isoformat())
        self.structure = self._structure(donnees) if extraction.structure else None
        self.referent = self._referent(donnees) if extraction.referent else None
        self.statut = self._statut(donnees) if extraction.statut else ""

    def _ignore(self, libelle: str, brut: str, raison: str = "inconnu"):
        self.messages.append(f"{libelle} « {str(brut)[:40]} » {raison} : filtre ignoré.")

    def _date(self, donnees, cle, libelle):
        brut = (donnees.get(cle) or "").strip()
        if not brut:
            return None
        date = lire_date(brut)
        if date is None:
            self._ignore(libelle, brut, "n'est pas une date (jj/mm/aaaa)")
            return None
        self.valeurs[cle] = date.isoformat()
        return date

    def _structure(self, donnees) -> int | None:
        brut = (donnees.get("structure") or "").strip()
        if not brut:
            return None
        pk = parametres.identifiant(brut)
        if pk is None or pk not in dict(self.structures()):
            self._ignore("Structure", brut)
            return None
        self.valeurs["structure"] = str(pk)
        return pk

    def _referent(self, donnees) -> int | None:
        brut = (donnees.get("referent") or "").strip()
        if not brut:
            return None
        pk = autocompletion.identifiant_choisi(brut)
        if pk is None:
            self._ignore("Référent", brut, "n'est pas une proposition de la liste")
            return None
        self.valeurs["referent"] = brut[:200]
        return pk

    def _statut(self, donnees) -> str:
        brut = (donnees.get("statut") or "").strip()
        if not brut:
            return ""
        if brut not in dict(self.extraction.choix_statut):
            self._ignore(self.extraction.libelle_statut, brut)
            return ""
        self.valeurs["statut"] = brut
        return brut

    def structures(self) -> list[tuple[int, str]]:
        """Les structures des PLIE de l'utilisateur (une requête, lue une fois)."""
        if not hasattr(self, "_structures"):
            qs = Structure.objects.filter(plie_id__in=self.plies).order_by("nom", "pk")
            self._structures = list(qs.values_list("pk", "nom")) if self.plies else []
        return self._structures

    def url_referents(self) -> str:
        # L'autocomplétion des référents sert un PLIE : celui de l'utilisateur s'il n'en a qu'un.
        if len(self.plies) == 1:
            return autocompletion.url("referents", self.plies[0])
        return ""
