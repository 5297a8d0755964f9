"""Le mode production : `check --deploy` propre, et pas de valeurs de développement par défaut."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-7f3b9c2e1d4a5b6c8e9f0a1b2c3d4e5f",
    "DJANGO_ALLOWED_HOSTS": "plie.example.org",
    "DATABASE_URL": "postgresql://plie@db.invalid:5432/plie",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "PLIE_", "AWS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=RACINE,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_sans_avertissement():
    resultat = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert resultat.returncode == 0, resultat.stderr + resultat.stdout
    assert "no issues" in resultat.stdout


@pytest.mark.parametrize("absente", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuse_de_demarrer_sans_configuration(absente):
    env = {k: v for k, v in PRODUCTION.items() if k != absente}
    resultat = manage("check", env=env)
    assert resultat.returncode != 0
    assert absente in resultat.stderr


S3 = {"PLIE_STOCKAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "plie-documents"}


def test_documents_sur_s3_check_deploy_propre():
    resultat = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION | S3)
    assert resultat.returncode == 0, resultat.stderr + resultat.stdout


@pytest.mark.parametrize(
    ("reglages", "message"),
    [
        ({"PLIE_STOCKAGE": "s3"}, "PLIE_STOCKAGE=s3 exige AWS_STORAGE_BUCKET_NAME"),
        (S3 | {"PLIE_DOCUMENTS_X_ACCEL": "/protege/"}, "ne se combine ni avec"),
        (S3 | {"PLIE_DOCUMENTS_X_SENDFILE": "1"}, "ne se combine ni avec"),
        ({"PLIE_STOCKAGE": "nfs"}, "PLIE_STOCKAGE vaut « fichiers » (défaut) ou « s3 »"),
        ({"PLIE_STATIQUES": "cdn"}, "PLIE_STATIQUES vaut « compresses » ou « simples »"),
        ({"PLIE_REPRISE_SEUIL_FOND": "beaucoup"}, "PLIE_REPRISE_SEUIL_FOND : un nombre de lignes"),
    ],
)
def test_stockage_mal_regle_refuse_de_demarrer(reglages, message):
    resultat = manage("check", env=PRODUCTION | reglages)
    assert resultat.returncode != 0
    assert message in resultat.stderr
