"""L'export d'un tableau d'indicateur (CSV `;` avec BOM, XLSX) : les lignes de la page, mêmes
filtres, journalisé ; l'accueil du financeur est son tableau de bord."""

import io
from dataclasses import replace

import openpyxl
import pytest
from django.urls import reverse

from parcours.core.enums import Role
from parcours.reporting.indicateurs import INDICATEURS
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.pilotage.conftest import ce_mois, dossier

pytestmark = pytest.mark.django_db


def _export(plie, code, fmt, **params):
    from urllib.parse import urlencode

    url = reverse("pilotage:export", args=[plie.pk, code, fmt])
    return url + ("?" + urlencode(params) if params else "")


def _contenu(reponse) -> bytes:
    return b"".join(reponse.streaming_content)


def test_export_csv_lu_par_le_tableur_et_journalise(client, monde):
    dossier(monde, "a"), dossier(monde, "b")
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(_export(monde.plie1, "entrees_par_mois", "csv"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    texte = _contenu(reponse).decode("utf-8")
    assert texte.startswith("\ufeffMois;Entrées\r\n")
    lignes = texte.strip().split("\r\n")[1:]
    assert len(lignes) == 12
    assert f"{ce_mois():%m/%Y};2" in lignes
    trace = Trace.objects.get(type=TypeTrace.EXPORT, objet_type="indicateur")
    assert trace.objet_id == "entrees_par_mois"
    assert trace.plie_id == monde.plie1.pk
    assert "12 ligne(s)" in trace.detail and "CSV" in trace.detail


def test_export_xlsx_relu_avec_les_filtres_de_la_page(client, monde):
    dossier(monde, "a"), dossier(monde, "b")
    referent_b = monde.user(Role.REFERENT, "b")
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get(_export(monde.plie1, "entrees_par_mois", "xlsx", referent=referent_b.pk))
    assert reponse.status_code == 200
    classeur = openpyxl.load_workbook(io.BytesIO(_contenu(reponse)))
    feuille = classeur.active
    assert feuille.title == "Entrées par mois"
    valeurs = list(feuille.iter_rows(values_only=True))
    assert valeurs[0] == ("Mois", "Entrées")
    assert (f"{ce_mois():%m/%Y}", 1) in valeurs
    assert f"referent={referent_b.pk}" in Trace.objects.get(objet_type="indicateur").detail


def test_export_d_une_periode_inversee_revient_a_la_page_avec_le_message(client, monde):
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(
        _export(monde.plie1, "entrees_par_mois", "csv", du="2026-12-31", au="2026-01-01"),
        follow=True,
    )
    assert reponse.redirect_chain[0][0].startswith(
        reverse("pilotage:tableau", args=[monde.plie1.pk])
    )
    assert "La période est inversée" in reponse.content.decode()
    assert not Trace.objects.filter(objet_type="indicateur").exists()


@pytest.mark.parametrize(("code", "fmt"), [("inconnu", "csv"), ("entrees_par_mois", "pdf")])
def test_indicateur_ou_format_inconnu_404(client, monde, code, fmt):
    client.force_login(monde.user(Role.DIRECTION))
    assert client.get(_export(monde.plie1, code, fmt)).status_code == 404


def test_un_indicateur_nominatif_n_est_jamais_montre_au_financeur(
    client, monde, operations, monkeypatch
):
    registre = dict(INDICATEURS)
    registre["nominatif"] = replace(
        INDICATEURS["entrees_par_mois"], code="nominatif", nominatif=True
    )
    monkeypatch.setattr("workflows.pilotage.views.INDICATEURS", registre)
    client.force_login(operations.financeur())
    page = client.get(reverse("pilotage:tableau", args=[monde.plie1.pk])).content.decode()
    assert 'id="indicateur-entrees_par_mois"' in page
    assert "/nominatif/" not in page
    assert client.get(_export(monde.plie1, "nominatif", "csv")).status_code == 404
    client.force_login(monde.user(Role.DIRECTION))
    assert client.get(_export(monde.plie1, "nominatif", "csv")).status_code == 200


def test_l_accueil_du_financeur_est_son_tableau_de_bord(client, monde, operations):
    client.force_login(operations.financeur())
    reponse = client.get(reverse("accueil:index"), follow=True)
    assert reponse.redirect_chain[-1][0] == reverse("pilotage:tableau", args=[monde.plie1.pk])
    assert "Tableau de bord du financeur" in reponse.content.decode()


def test_un_financeur_qui_a_un_autre_role_garde_son_accueil(client, monde, operations):
    from tests.factories import MembershipFactory

    financeur = operations.financeur()
    MembershipFactory(user=financeur, structure=monde.structure("porteur"), role=Role.ANIMATEUR)
    client.force_login(financeur)
    assert client.get(reverse("accueil:index")).status_code == 200
