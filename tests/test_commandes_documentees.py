"""Les commandes du README (« Outils en ligne de commande ») marchent comme documentées dans un
shell neuf, sans DJANGO_DEBUG ni réglages de production (issue 12) : `evaluer_sortie` et
`evaluer_eligibilite` ne lisent que des fichiers (config/settings_outils.py) ;
`importer_heures`, qui écrit en base, dit en une ligne comment la lancer en développement, et
marche ainsi."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

RACINE = Path(__file__).resolve().parent.parent
# Ce qu'un shell neuf n'a pas : aucun réglage du projet.
VARIABLES_DU_PROJET = ("DJANGO_", "DATABASE_URL", "PLIE_", "AWS_")


def shell_neuf(**variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith(VARIABLES_DU_PROJET)}
    return {**env, **variables}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def commande_du_readme(nom: str) -> str:
    """La ligne du README qui documente la commande (elle doit y être)."""
    readme = (RACINE / "README.md").read_text(encoding="utf-8")
    trouve = re.search(rf"`python manage\.py {nom} [^`]+`", readme.replace("\n    ", " "))
    assert trouve, f"{nom} n'est plus documentée dans le README"
    return trouve.group(0)


def test_evaluer_sortie_dans_un_shell_neuf(tmp_path):
    assert "--referentiel referentiels/bordeaux.yaml" in commande_du_readme("evaluer_sortie")
    contrats = tmp_path / "contrats.json"
    contrats.write_text(
        json.dumps(
            {
                "date": "2026-12-06",
                "contrats": [
                    {
                        "type": "cdd",
                        "employeur": "mairie",
                        "debut": "2026-12-07",
                        "fin": "2027-06-30",
                        "heures_hebdo": 35,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    resultat = manage(
        "evaluer_sortie",
        "--referentiel",
        "referentiels/bordeaux.yaml",
        "--contrats",
        str(contrats),
        env=shell_neuf(),
    )
    assert (resultat.returncode, resultat.stderr) == (0, "")
    assert json.loads(resultat.stdout)["previsionnel_le"] == "2027-06-06"


def test_evaluer_eligibilite_dans_un_shell_neuf(tmp_path):
    assert "--referentiel referentiels/agenais.yaml" in commande_du_readme("evaluer_eligibilite")
    personne = tmp_path / "personne.json"
    personne.write_text(
        json.dumps(
            {
                "date": "2024-03-01",
                "date_naissance": "1980-05-17",
                "commune_insee": "47001",
                "sans_emploi_depuis": "2022-06-01",
                "statuts": [],
                "freins": [],
                "niveau_qualification": 5,
                "bac": True,
                "rqth_jusqu_au": None,
                "suivi_mission_locale": False,
                "suivi_cap_emploi": False,
                "via_clause": False,
            }
        ),
        encoding="utf-8",
    )
    resultat = manage(
        "evaluer_eligibilite",
        "--referentiel",
        "referentiels/agenais.yaml",
        "--personne",
        str(personne),
        env=shell_neuf(),
    )
    assert (resultat.returncode, resultat.stderr) == (0, "")
    assert json.loads(resultat.stdout)["eligible"] is True


def test_importer_heures_dit_comment_la_lancer_en_developpement(tmp_path):
    assert "--plie agenais heures.csv" in commande_du_readme("importer_heures")
    resultat = manage(
        "importer_heures", "--plie", "agenais", str(tmp_path / "heures.csv"), env=shell_neuf()
    )
    assert resultat.returncode == 2
    assert resultat.stdout == ""
    assert "Traceback" not in resultat.stderr
    [ligne] = resultat.stderr.splitlines()
    assert ligne.startswith("manage.py importer_heures : réglages incomplets : DJANGO_SECRET_KEY")
    assert "DJANGO_DEBUG=1 python manage.py importer_heures" in ligne


@pytest.mark.django_db
def test_importer_heures_avec_django_debug_comme_le_dit_le_readme(tmp_path):
    """La forme documentée pour le développement : DJANGO_DEBUG=1 (la base est ici celle des
    tests, donnée par DATABASE_URL au lieu du serveur embarqué)."""
    assert "DJANGO_DEBUG=1 python manage.py" in (RACINE / "README.md").read_text(encoding="utf-8")
    reglages = connection.settings_dict
    # L'hôte peut être le répertoire de socket du serveur embarqué : en paramètre, comme l'URL
    # que donne config/embedded_pg.py.
    url = f"postgresql://{reglages['USER']}@/{reglages['NAME']}?" + urlencode(
        {
            "host": reglages["HOST"] or reglages["OPTIONS"].get("host", ""),
            "port": reglages["PORT"] or reglages["OPTIONS"].get("port", 5432),
        }
    )
    resultat = manage(
        "importer_heures",
        "--plie",
        "inconnu",
        str(tmp_path / "heures.csv"),
        "--dry-run",
        env=shell_neuf(DJANGO_DEBUG="1", DATABASE_URL=url),
    )
    # Les réglages sont chargés et la base lue : la commande répond sur le fond.
    assert resultat.returncode == 2
    assert resultat.stderr.strip() == "CommandError: PLIE inconnu : « inconnu »."
