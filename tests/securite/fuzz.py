"""Outils du test à données hostiles : lire les formulaires d'une page, les remplir de valeurs
hostiles.

Les formulaires sont lus dans le HTML rendu (comme un navigateur les verrait), pas dans les
classes Python : le test couvre aussi les champs écrits à la main dans les gabarits (boutons
`action`, champs cachés `parcours`, `section`, `version`…).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

LONG = "x" * 100_000
# Une variante par ligne : (texte, date, nombre, mois). Dans la première, les listes, les cases
# et les champs cachés numériques (identifiants : `parcours`, `version`…) reçoivent « abc » ;
# dans les suivantes, ils gardent une valeur valide et une seule sorte de valeur est franchement
# invalide, pour que les autres atteignent les services (une date en l'an 1 avec un texte
# valide, une formule de tableur dans un nom…). La dernière ne change que les champs cachés
# non numériques (`action`, `section`…), les autres restant valides.
VALEURS = [
    (LONG, "0000-01", "1e309", "abc"),
    ("<script>Dupont\nBcc: pirate@example.com\x00\x1b[31m\u2028", "0001-01-01", "-1", "0000-01"),
    ("=cmd|' /C calc'!A0", "9998-12-31", "99999999999999999999", "9999-13"),
    ("@SUM(1+1)", "2026-01-15", "0", "1900-01"),
    ("Martin", "2026-01-15", "1", "2026-01"),
]
VARIANTES = len(VALEURS)
CACHES_HOSTILES = VARIANTES - 1


@dataclass
class Champ:
    nom: str
    type: str  # text, textarea, select, checkbox, radio, hidden, date, number, file…
    valeur: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Formulaire:
    action: str
    methode: str
    champs: list[Champ] = field(default_factory=list)
    boutons: list[tuple[str, str]] = field(default_factory=list)  # (name, value)
    multipart: bool = False


class _Lecteur(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.formulaires: list[Formulaire] = []
        self._courant: Formulaire | None = None
        self._select: Champ | None = None
        self._textarea: Champ | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._courant = Formulaire(
                action=urljoin(self.url, a.get("action") or self.url),
                methode=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.formulaires.append(self._courant)
            return
        f = self._courant
        if f is None:
            return
        nom = a.get("name")
        if tag == "input" and nom:
            type_ = (a.get("type") or "text").lower()
            if type_ in ("submit", "button", "image"):
                f.boutons.append((nom, a.get("value", "")))
                return
            existant = next((c for c in f.champs if c.nom == nom and c.type == type_), None)
            if type_ in ("radio", "checkbox") and existant is not None:
                existant.options.append(a.get("value", "on"))
                existant.multiple = True
                return
            valeur = a.get("value", "")
            f.champs.append(
                Champ(
                    nom, type_, valeur, [valeur or "on"] if type_ in ("radio", "checkbox") else []
                )
            )
        elif tag == "button" and nom:
            f.boutons.append((nom, a.get("value", "")))
        elif tag == "select" and nom:
            self._select = Champ(nom, "select", multiple="multiple" in a)
            f.champs.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "textarea" and nom:
            self._textarea = Champ(nom, "textarea")
            f.champs.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._courant = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.valeur += data


_FORMULAIRE = re.compile(r"<form\b.*?</form\s*>", re.IGNORECASE | re.DOTALL)


def lire_formulaires(html: str, url: str) -> list[Formulaire]:
    """Les formulaires de la page ; seuls les morceaux `<form>…</form>` sont analysés (le reste
    d'une page du cadre viewflow pèse bien plus lourd)."""
    lecteur = _Lecteur(url)
    for morceau in _FORMULAIRE.finditer(html):
        lecteur.feed(morceau.group(0))
    lecteur.close()
    return lecteur.formulaires


def _option_valide(champ: Champ) -> str:
    return next((o for o in champ.options if o), champ.options[0] if champ.options else "")


def signature(formulaire: Formulaire) -> tuple:
    """Ce qui distingue un formulaire d'un autre de même adresse : ses champs et ses boutons."""
    return (
        tuple(sorted((c.nom, c.type, tuple(c.options)) for c in formulaire.champs)),
        tuple(formulaire.boutons),
    )


def remplir(formulaire: Formulaire, variante: int) -> dict[str, list[str]] | None:
    """Les données de la soumission hostile n° `variante` (voir VALEURS) ; None quand la
    variante ne changerait rien à ce formulaire."""
    texte, date, nombre, mois = VALEURS[variante]
    caches = [c for c in formulaire.champs if c.type == "hidden" and c.nom != "csrfmiddlewaretoken"]
    if variante == CACHES_HOSTILES and all(c.valeur.isdigit() for c in caches):
        return None
    donnees: dict[str, list[str]] = {}
    for champ in formulaire.champs:
        if champ.nom == "csrfmiddlewaretoken" or champ.type == "file":
            continue
        if champ.type in ("select", "radio"):
            valeur = "abc" if variante == 0 else _option_valide(champ)
        elif champ.type == "checkbox":
            valeur = "abc" if variante == 0 else (champ.options[0] if champ.options else "on")
        elif champ.type == "hidden":
            numerique = champ.valeur.isdigit()
            if (variante == 0 and numerique) or (variante == CACHES_HOSTILES and not numerique):
                valeur = "abc"
            else:
                valeur = champ.valeur
        elif champ.type == "date":
            valeur = date
        elif champ.type == "month":
            valeur = mois
        elif champ.type == "number":
            valeur = nombre
        else:
            valeur = texte
        donnees[champ.nom] = [valeur]
    return donnees
