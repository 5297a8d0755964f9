"""Le projet n'utilise pas les attributs internes de viewflow (docs/architecture.md) : une
montée de version ne doit pas casser un flux en silence."""

import pathlib
import re

RACINE = pathlib.Path(__file__).resolve().parents[2]
# Les internes que le projet a utilisés puis remplacés (issue 10) : branches d'un Split,
# liste de ses branches à activer, construction des URL d'un viewset, classe de flux du viewset.
INTERNES = re.compile(r"\b(_branches|_activate_next|_get_urls|_flow_class)\b")


def test_aucun_interne_de_viewflow_dans_le_code():
    fautes = []
    for dossier in ("config", "demo", "parcours", "workflows"):
        for fichier in sorted((RACINE / dossier).rglob("*.py")):
            for n, ligne in enumerate(fichier.read_text().splitlines(), 1):
                if INTERNES.search(ligne):
                    fautes.append(f"{fichier.relative_to(RACINE)}:{n}: {ligne.strip()}")
    assert fautes == []
