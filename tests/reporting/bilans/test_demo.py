"""Depuis la démo : la direction télécharge le bilan annuel de son PLIE, le financeur le bilan
d'exécution des opérations qu'il finance, et rien de l'autre PLIE (issue 13, « Done when »)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parcours.core.models import PLIE, User
from parcours.fse.models import OperationFse
from parcours.reporting.bilans import MENTION_UE
from parcours.reporting.indicateurs import INDICATEURS
from tests.demo_du_module import demo_du_module
from tests.pdf import texte_pdf

pytestmark = pytest.mark.django_db
demo = demo_du_module()


def _plie(mot: str) -> PLIE:
    return PLIE.objects.get(code__startswith=mot)


def test_la_direction_telecharge_le_bilan_annuel_de_son_plie(demo, client):
    agenais, flandre = _plie("agenais"), _plie("flandre")
    client.force_login(User.objects.get(username="direction.agenais"))
    annee = timezone.localdate().year
    assert client.get(reverse("fse:bilans")).status_code == 200

    reponse = client.get(
        reverse("fse:bilan_activite"), {"plie": agenais.pk, "annee": annee, "format": "pdf"}
    )

    assert reponse.status_code == 200
    texte = texte_pdf(reponse.content)
    assert f"Bilan d'activité {annee}" in texte and agenais.nom in texte
    assert MENTION_UE in texte
    assert all(i.titre in texte for i in INDICATEURS.values())
    voisin = {"plie": flandre.pk, "annee": annee, "format": "pdf"}
    assert client.get(reverse("fse:bilan_activite"), voisin).status_code == 404


def test_le_financeur_telecharge_le_bilan_d_execution_de_ses_operations(demo, client):
    agenais = _plie("agenais")
    financeur = User.objects.get(username="financeur.agenais")
    client.force_login(financeur)
    siennes = OperationFse.objects.filter(financeurs__memberships__user=financeur)
    operation = siennes.filter(plie=agenais).order_by("numero").first()
    autre = OperationFse.objects.exclude(pk__in=siennes.values("pk")).first()
    aujourdhui = timezone.localdate()
    donnees = {"du": f"{operation.debut}", "au": f"{aujourdhui}", "format": "xlsx"}

    reponse = client.get(reverse("fse:bilan_execution"), {**donnees, "operation": operation.pk})

    assert reponse.status_code == 200
    classeur = load_workbook(io.BytesIO(b"".join(reponse.streaming_content)))
    assert len(classeur.sheetnames) == 1 + len(INDICATEURS)
    assert operation.numero in classeur["Synthèse"]["A1"].value
    refus = client.get(reverse("fse:bilan_execution"), {**donnees, "operation": autre.pk})
    assert refus.status_code == 404
    activite = {"plie": agenais.pk, "annee": aujourdhui.year, "format": "pdf"}
    assert client.get(reverse("fse:bilan_activite"), activite).status_code == 404
