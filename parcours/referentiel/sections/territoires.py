"""Section `territoires` (obligatoire) : les territoires du PLIE et leurs communes, par code
INSEE. L'import les recopie en base (`parcours/referentiel/services.py`)."""

from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, INSEE, SLUG, Verificateur

CLE = "territoires"
OBLIGATOIRE = True


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str


@dataclass(frozen=True)
class Territoire:
    code: str
    nom: str
    communes: tuple[Commune, ...]


def du_contenu(contenu: dict) -> tuple[Territoire, ...]:
    """Les territoires d'un contenu déjà validé, dans l'ordre du fichier."""
    return tuple(
        Territoire(
            code=t["code"],
            nom=t["nom"],
            communes=tuple(Commune(c["insee"], c["nom"]) for c in t["communes"]),
        )
        for t in contenu[CLE]
    )


def valider(v: Verificateur, territoires) -> None:
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
            _commune(v, commune, f"{chemin}.communes[{j}]", insees)


def _commune(v: Verificateur, commune, chemin, insees):
    if not v.objet(commune, chemin, ("insee", "nom")):
        return
    insee = commune.get("insee", ABSENT)
    if insee is ABSENT:
        pass
    elif not isinstance(insee, str):
        v.erreur(
            f"{chemin}.insee",
            'le code INSEE doit être un texte entre guillemets (ex. "47001")',
        )
    elif not INSEE.match(insee):
        v.erreur(
            f"{chemin}.insee",
            f"« {insee} » n'est pas un code INSEE de commune (5 caractères)",
        )
    elif insee in insees:
        v.erreur(f"{chemin}.insee", f"commune {insee} déjà listée en {insees[insee]}")
    else:
        insees[insee] = chemin
    v.texte(commune.get("nom", ABSENT), f"{chemin}.nom")
