"""L'ordre des modules sur les deux cœurs de `make test` : les plus longs d'abord.

pytest-xdist (`--dist loadfile`) donne un module entier à un cœur dès qu'il se libère, dans
l'ordre de la collection (`--no-loadscope-reorder` ; par défaut il trierait par nombre de tests,
et les modules de quelques tests très longs, navigateur et démo, finiraient seuls en queue). En
commençant par les plus longs, les petits comblent la fin et les deux cœurs finissent ensemble.

Les durées, en secondes, sont dans tests/durees.txt ; un module absent compte pour zéro (il
garde sa place après les autres). Pour les relever après une exécution complète :
`python -m tests.durees rapport.xml > tests/durees.txt` (rapport de `pytest --junitxml`).
"""

import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

FICHIER = Path(__file__).with_name("durees.txt")
RACINE = Path(__file__).resolve().parent.parent
# Seuls les modules assez longs pour peser sur la fin sont notés.
SEUIL = 3.0


def lire(fichier=FICHIER) -> dict[str, float]:
    """{chemin du module : secondes}."""
    durees = {}
    for ligne in fichier.read_text().splitlines():
        if ligne.strip() and not ligne.startswith("#"):
            secondes, chemin = ligne.split()
            durees[chemin] = float(secondes)
    return durees


def ordonner(items, durees) -> None:
    """Les plus longs modules d'abord ; l'ordre de pytest(-django) gardé dans un module et entre
    modules de même durée (tri stable)."""
    items.sort(key=lambda item: -durees.get(item.nodeid.split("::", 1)[0], 0.0))


def _module(classname: str) -> str:
    """`tests.core.test_x.TestY` → `tests/core/test_x.py` (le rapport ne donne que la classe)."""
    morceaux = classname.split(".")
    for fin in range(len(morceaux), 0, -1):
        chemin = "/".join(morceaux[:fin]) + ".py"
        if (RACINE / chemin).is_file():
            return chemin
    return classname


def depuis_junit(rapport) -> Counter:
    durees = Counter()
    for cas in ET.parse(rapport).getroot().iter("testcase"):
        durees[_module(cas.get("classname"))] += float(cas.get("time") or 0)
    return durees


if __name__ == "__main__":
    print("# Secondes par module, d'une exécution complète (tests/durees.py).")
    for chemin, secondes in depuis_junit(sys.argv[1]).most_common():
        if secondes >= SEUIL:
            print(f"{secondes:.0f} {chemin}")
