"""Lire le code sans l'exécuter, pour les garde-fous de la maison (tests/test_architecture.py et
les frontières propres à une app) : les modules d'un dossier, leur arbre, leurs imports."""

import ast
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def modules(*dossiers: Path):
    """Les fichiers Python des dossiers, migrations exclues."""
    for dossier in dossiers:
        for chemin in sorted(Path(dossier).rglob("*.py")):
            if "migrations" not in chemin.parts:
                yield chemin


def arbre(chemin: Path) -> ast.Module:
    return ast.parse(chemin.read_text(encoding="utf-8"), filename=str(chemin))


def imports_par_ligne(chemin: Path, racine: Path = RACINE) -> list[tuple[int, str]]:
    """Les modules importés, à tout niveau du fichier (y compris dans une fonction), avec leur
    ligne ; les imports relatifs résolus depuis le paquet du fichier, et `from a import b` compté
    aussi comme `a.b` (`from parcours import acces` importe le paquet `parcours.acces`)."""
    # Le paquet du fichier (pour `__init__.py`, le paquet qu'il définit).
    try:
        paquet = list(chemin.relative_to(racine).with_suffix("").parts)[:-1]
    except ValueError:
        paquet = []
    trouves = []
    for noeud in ast.walk(arbre(chemin)):
        if isinstance(noeud, ast.Import):
            trouves += [(noeud.lineno, alias.name) for alias in noeud.names]
        elif isinstance(noeud, ast.ImportFrom):
            if noeud.level:
                base = paquet[: len(paquet) - (noeud.level - 1)]
                nom = ".".join(base + ([noeud.module] if noeud.module else []))
            else:
                nom = noeud.module or ""
            trouves.append((noeud.lineno, nom))
            trouves += [(noeud.lineno, f"{nom}.{alias.name}") for alias in noeud.names]
    return trouves


def imports(chemin: Path) -> set[str]:
    return {nom for _, nom in imports_par_ligne(chemin)}
