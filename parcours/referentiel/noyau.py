"""Le noyau du référentiel : erreurs, vérificateur commun, lecture de la version en vigueur.

Les modules de section (`parcours/referentiel/sections/`) s'appuient sur ce module et jamais
l'inverse : il n'importe aucune section. Chaque erreur nomme le chemin dans le fichier
(`territoires[0].communes[3].insee`) et le problème, en français (docs/referentiel.md).
"""

import datetime
import re
from dataclasses import dataclass

# Clé absente : déjà signalée comme « clé obligatoire absente », sans seconde erreur de type.
ABSENT = object()
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
# Code d'un critère, d'une règle, d'une pièce, d'une étape : minuscules, chiffres, - et _.
CODE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class Erreur:
    chemin: str
    probleme: str

    def format(self, fichier: str) -> str:
        return f"{fichier}: {self.chemin or '(racine)'}: {self.probleme}"


class ReferentielInvalide(Exception):
    def __init__(self, fichier: str, erreurs: list[Erreur]):
        self.fichier = fichier
        self.erreurs = erreurs
        super().__init__("\n".join(e.format(fichier) for e in erreurs))


def joindre(chemin, cle):
    return f"{chemin}.{cle}" if chemin else cle


def est_entier(valeur) -> bool:
    return isinstance(valeur, int) and not isinstance(valeur, bool)


def montrer(valeur) -> str:
    """La valeur reçue, telle qu'on la cite dans un message (`null`, `« texte »`, `une liste`)."""
    if valeur is None:
        return "null"
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, str):
        return f"« {valeur} »"
    if isinstance(valeur, list):
        return "une liste"
    if isinstance(valeur, dict):
        return "un objet"
    return str(valeur)


class Verificateur:
    """Accumule les erreurs d'un fichier ; chaque méthode vérifie une valeur à un chemin."""

    def __init__(self):
        self.erreurs: list[Erreur] = []

    def erreur(self, chemin, probleme):
        self.erreurs.append(Erreur(chemin, probleme))

    def objet(self, valeur, chemin, obligatoires, facultatives=()):
        if not isinstance(valeur, dict):
            self.erreur(chemin, "une table (clé: valeur) est attendue")
            return False
        for cle in obligatoires:
            if cle not in valeur:
                self.erreur(joindre(chemin, cle), "clé obligatoire absente")
        for cle in valeur:
            if cle not in obligatoires and cle not in facultatives:
                self.erreur(joindre(chemin, str(cle)), "clé inconnue")
        return True

    def texte(self, valeur, chemin, motif=None, message=None):
        if valeur is ABSENT:
            return
        if not isinstance(valeur, str) or not valeur.strip():
            self.erreur(chemin, "un texte non vide est attendu")
        elif motif is not None and not motif.match(valeur):
            self.erreur(chemin, message or "format invalide")

    def entier(self, valeur, chemin, minimum=None, maximum=None):
        if valeur is ABSENT:
            return
        if not est_entier(valeur):
            self.erreur(chemin, "un nombre entier est attendu")
        elif minimum is not None and valeur < minimum:
            self.erreur(chemin, f"doit être supérieur ou égal à {minimum}")
        elif maximum is not None and valeur > maximum:
            self.erreur(chemin, f"doit être inférieur ou égal à {maximum}")

    def nombre(self, valeur, chemin, maximum=None):
        """Un nombre (entier ou décimal) strictement positif."""
        if isinstance(valeur, bool) or not isinstance(valeur, int | float):
            self.erreur(chemin, "un nombre est attendu")
        elif valeur <= 0:
            self.erreur(chemin, "doit être strictement positif")
        elif maximum is not None and valeur > maximum:
            self.erreur(chemin, f"doit être inférieur ou égal à {maximum}")

    def booleen(self, valeur, chemin):
        if valeur is ABSENT:
            return
        if not isinstance(valeur, bool):
            self.erreur(chemin, "true ou false est attendu")

    def date(self, valeur, chemin):
        if valeur is ABSENT:
            return
        if isinstance(valeur, datetime.date) and not isinstance(valeur, datetime.datetime):
            return
        if isinstance(valeur, str):
            try:
                datetime.date.fromisoformat(valeur)
                return
            except ValueError:
                pass
        self.erreur(chemin, "une date AAAA-MM-JJ est attendue")

    def liste_de_codes(self, valeur, chemin, connus, quoi):
        """Une liste non vide de codes connus, sans doublon (statuts, freins, signataires)."""
        if valeur is ABSENT:
            return
        if not isinstance(valeur, list) or not valeur:
            self.erreur(chemin, f"une liste non vide de codes de {quoi} est attendue")
            return
        vus = {}
        for i, code in enumerate(valeur):
            if not isinstance(code, str) or code not in connus:
                self.erreur(
                    f"{chemin}[{i}]",
                    f"code de {quoi} inconnu « {code} » (codes connus : {', '.join(connus)})",
                )
            elif code in vus:
                self.erreur(f"{chemin}[{i}]", f"« {code} » déjà listé en {chemin}[{vus[code]}]")
            else:
                vus[code] = i


def erreurs_de(verifier, section) -> list[Erreur]:
    """Les erreurs d'une section seule : `verifier(v, section)` est le validateur de la section."""
    v = Verificateur()
    verifier(v, section)
    return v.erreurs


def contenu_en_vigueur(plie, date=None) -> dict | None:
    """Le contenu de la version en vigueur à `date` (aujourd'hui par défaut), ou None.

    `plie` : un PLIE ou son identifiant. Seuls les modules du référentiel lisent ce contenu ;
    les autres passent par l'accesseur typé de chaque section (`sections.<section>.de`).
    """
    # Import local : les vocabulaires des sections sont importés par les modèles d'autres
    # applications pendant le chargement de Django, avant que les modèles soient prêts.
    from parcours.referentiel.models import Referentiel

    referentiel = Referentiel.objects.en_vigueur(plie, date)
    return referentiel.contenu if referentiel else None


class ContenusEnVigueur(dict):
    """{plie_id: contenu en vigueur ou None} de plusieurs PLIE, lus en une requête : passés aux
    `par_plie(…, contenus=…)` de plusieurs sections, ils ne sont lus qu'une fois par page."""


def contenus_en_vigueur(plie_ids, date=None) -> ContenusEnVigueur:
    from django.utils import timezone

    from parcours.referentiel.models import Referentiel

    date = date or timezone.localdate()
    plie_ids = set(plie_ids)
    contenus = ContenusEnVigueur.fromkeys(plie_ids)
    vus = set()
    for plie_id, contenu in (
        Referentiel.objects.filter(plie_id__in=plie_ids, date_effet__lte=date)
        .order_by("plie_id", "-date_effet")
        .values_list("plie_id", "contenu")
    ):
        if plie_id not in vus:
            vus.add(plie_id)
            contenus[plie_id] = contenu
    return contenus
