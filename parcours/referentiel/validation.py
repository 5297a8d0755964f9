"""Validation d'un fichier de référentiel (format décrit dans docs/referentiel.md).

Chaque erreur nomme le fichier, le chemin dans le fichier (`territoires[0].communes[3].insee`)
et le problème, en français. Rien n'est enregistré tant qu'une erreur subsiste.
"""

import datetime
import re
from dataclasses import dataclass

FORMATS_CONNUS = {1}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
TYPES_COMMISSION = ("entree", "sortie")
# Clé absente : déjà signalée comme « clé obligatoire absente », sans seconde erreur de type.
ABSENT = object()


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


class _Verificateur:
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
                self.erreur(_joindre(chemin, cle), "clé obligatoire absente")
        for cle in valeur:
            if cle not in obligatoires and cle not in facultatives:
                self.erreur(_joindre(chemin, str(cle)), "clé inconnue")
        return True

    def texte(self, valeur, chemin, motif=None, message=None):
        if valeur is ABSENT:
            return
        if not isinstance(valeur, str) or not valeur.strip():
            self.erreur(chemin, "un texte non vide est attendu")
        elif motif is not None and not motif.match(valeur):
            self.erreur(chemin, message or "format invalide")

    def entier(self, valeur, chemin, minimum=None):
        if valeur is ABSENT:
            return
        if isinstance(valeur, bool) or not isinstance(valeur, int):
            self.erreur(chemin, "un nombre entier est attendu")
        elif minimum is not None and valeur < minimum:
            self.erreur(chemin, f"doit être supérieur ou égal à {minimum}")

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


def _joindre(chemin, cle):
    return f"{chemin}.{cle}" if chemin else cle


def valider(contenu, fichier: str, code_attendu: str | None = None) -> None:
    """Lève ReferentielInvalide avec toutes les erreurs trouvées."""
    v = _Verificateur()
    if not v.objet(
        contenu,
        "",
        ("format", "plie", "version", "territoires", "commissions", "portefeuille"),
    ):
        raise ReferentielInvalide(fichier, v.erreurs)

    if "format" in contenu and contenu["format"] not in FORMATS_CONNUS:
        v.erreur("format", f"format inconnu (attendu : {', '.join(map(str, FORMATS_CONNUS))})")

    plie = contenu.get("plie", ABSENT)
    if plie is not ABSENT and v.objet(plie, "plie", ("code", "nom"), ("structure_porteuse",)):
        v.texte(
            plie.get("code", ABSENT), "plie.code", SLUG, "code en minuscules, chiffres et tirets"
        )
        code = plie.get("code", ABSENT)
        if code_attendu and isinstance(code, str) and code != code_attendu:
            v.erreur(
                "plie.code",
                f"« {plie.get('code')} » ne correspond pas au nom du fichier ({code_attendu})",
            )
        v.texte(plie.get("nom", ABSENT), "plie.nom")

    version = contenu.get("version", ABSENT)
    if version is not ABSENT and v.objet(version, "version", ("date_effet",), ("libelle",)):
        v.date(version.get("date_effet", ABSENT), "version.date_effet")

    territoires = contenu.get("territoires", ABSENT)
    if territoires is not ABSENT:
        _territoires(v, territoires)

    commissions = contenu.get("commissions", ABSENT)
    if commissions is not ABSENT and v.objet(commissions, "commissions", TYPES_COMMISSION):
        for type_commission in TYPES_COMMISSION:
            c = commissions.get(type_commission)
            chemin = f"commissions.{type_commission}"
            if c is not ABSENT and v.objet(
                c, chemin, ("nom", "cadence_par_an"), ("par_territoire",)
            ):
                v.texte(c.get("nom", ABSENT), f"{chemin}.nom")
                v.entier(c.get("cadence_par_an", ABSENT), f"{chemin}.cadence_par_an", minimum=1)
                if "par_territoire" in c:
                    v.booleen(c["par_territoire"], f"{chemin}.par_territoire")

    portefeuille = contenu.get("portefeuille", ABSENT)
    if portefeuille is not ABSENT and v.objet(
        portefeuille, "portefeuille", ("plafond_par_referent",)
    ):
        v.entier(
            portefeuille.get("plafond_par_referent", ABSENT), "portefeuille.plafond_par_referent", 1
        )

    if v.erreurs:
        raise ReferentielInvalide(fichier, v.erreurs)


def _territoires(v: _Verificateur, territoires):
    if not isinstance(territoires, list) or not territoires:
        v.erreur("territoires", "une liste non vide de territoires est attendue")
        return
    codes, insees = {}, {}
    for i, territoire in enumerate(territoires):
        chemin = f"territoires[{i}]"
        if not v.objet(territoire, chemin, ("code", "nom", "communes")):
            continue
        code = territoire.get("code", ABSENT)
        v.texte(code, f"{chemin}.code", SLUG, "code en minuscules, chiffres et tirets")
        if isinstance(code, str) and code in codes:
            v.erreur(
                f"{chemin}.code", f"code « {code} » déjà utilisé par territoires[{codes[code]}]"
            )
        codes.setdefault(code, i)
        v.texte(territoire.get("nom", ABSENT), f"{chemin}.nom")
        communes = territoire.get("communes", ABSENT)
        if communes is ABSENT:
            continue
        if not isinstance(communes, list) or not communes:
            v.erreur(f"{chemin}.communes", "une liste non vide de communes est attendue")
            continue
        for j, commune in enumerate(communes):
            cchemin = f"{chemin}.communes[{j}]"
            if not v.objet(commune, cchemin, ("insee", "nom")):
                continue
            insee = commune.get("insee", ABSENT)
            if insee is ABSENT:
                pass
            elif not isinstance(insee, str):
                v.erreur(
                    f"{cchemin}.insee",
                    'le code INSEE doit être un texte entre guillemets (ex. "47001")',
                )
            elif not INSEE.match(insee):
                v.erreur(
                    f"{cchemin}.insee",
                    f"« {insee} » n'est pas un code INSEE de commune (5 caractères)",
                )
            elif insee in insees:
                v.erreur(f"{cchemin}.insee", f"commune {insee} déjà listée en {insees[insee]}")
            else:
                insees[insee] = cchemin
            v.texte(commune.get("nom", ABSENT), f"{cchemin}.nom")
