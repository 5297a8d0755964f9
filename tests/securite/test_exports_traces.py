"""Chaque export de liste ou de bilan (XLSX, CSV, PDF) écrit une trace EXPORT au journal des
accès ; un export refusé n'en écrit pas. Chaque écrivain de classeur ou de CSV du code passe ses
cellules par `neutraliser`."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.clauses.chantier_heures import Bilan


@pytest.fixture
def bilan(db, monde):
    return Bilan(monde)


def _telecharger(client, url, **params):
    reponse = client.get(url, params)
    if reponse.streaming:
        b"".join(reponse.streaming_content)  # le client de test ferme alors le fichier
    return reponse


@pytest.mark.parametrize(
    ("nom", "format"), [("clauses:impact_xlsx", "XLSX"), ("clauses:impact_pdf", "PDF")]
)
def test_le_tableau_d_impact_telecharge_est_trace(client, bilan, nom, format):
    client.force_login(bilan.facilitateur)
    url = reverse(nom, args=[bilan.donneur.pk])
    assert _telecharger(client, url, debut="2025-05").status_code == 200
    trace = Trace.objects.get(type=TypeTrace.EXPORT)
    assert (trace.type, trace.user, trace.plie) == (
        TypeTrace.EXPORT,
        bilan.facilitateur,
        bilan.monde.plie1,
    )
    assert (trace.objet_type, trace.objet_id) == ("tableau_impact", str(bilan.donneur.pk))
    assert trace.detail.startswith(f"Tableau d'impact ({format}) — Agen Habitat")
    assert "depuis 05/2025" in trace.detail
    assert trace.chemin == f"{url}?debut=2025-05"


def test_un_export_refuse_n_est_pas_trace(client, bilan):
    client.force_login(bilan.monde.user(Role.FACILITATEUR, plie=2))
    url = reverse("clauses:impact_xlsx", args=[bilan.donneur.pk])
    assert _telecharger(client, url).status_code == 404
    assert not Trace.objects.filter(type=TypeTrace.EXPORT).exists()


def test_chaque_ecrivain_de_fichier_neutralise_ses_cellules():
    ecrivains = []
    for racine in ("parcours", "workflows"):
        for fichier in (Path(settings.BASE_DIR) / racine).rglob("*.py"):
            source = fichier.read_text()
            if any(m in source for m in ("Workbook(", "csv.writer", "csv.DictWriter")):
                ecrivains.append(str(fichier.relative_to(settings.BASE_DIR)))
                # neutraliser() ou ligne_neutralisee() de parcours/core/exports.py
                assert "neutralis" in source, fichier
    assert sorted(ecrivains) == [
        "parcours/clauses/exports.py",
        "parcours/reporting/bilans/xlsx.py",
        "parcours/reporting/ma_demarche_fse/export.py",
        "parcours/reprise/classeur.py",
        "workflows/exports.py",
    ]
