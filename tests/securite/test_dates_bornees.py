"""Dates bornées à 1900–2100 (message qui nomme le champ) et mois des filtres lus sans erreur 500
(`0000-01`, formats faux) : grille des heures, bilans, équité, tableau d'impact et son XLSX."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from parcours.accompagnement.enums import Statut
from parcours.core.validators import DateBornee
from parcours.emploi import services
from parcours.emploi.models import Contrat
from tests.clauses.chantier_heures import Bilan
from tests.emploi.fabrique_emploi import cdi, il_y_a, referentiel
from tests.factories import parcours_en
from workflows.emploi.forms import ContratForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("jour", [datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)])
def test_bornes_incluses(jour):
    DateBornee(champ="Début")(jour)


@pytest.mark.parametrize(
    ("jour", "texte"),
    [(datetime.date(1, 1, 1), "01/01/0001"), (datetime.date(2101, 1, 1), "01/01/2101")],
)
def test_hors_bornes(jour, texte):
    with pytest.raises(ValidationError) as exc:
        DateBornee(champ="Début")(jour)
    assert exc.value.messages == [
        f"« Début » : la date doit être comprise entre 1900 et 2100 ({texte} saisi)."
    ]


@pytest.mark.parametrize("valeur", ["0001-01-01", "9998-12-31", "1899-12-31"])
def test_formulaire_refuse_et_nomme_le_champ(valeur):
    form = ContratForm({"type": "cdi", "employeur": "Mairie", "debut": valeur})
    assert not form.is_valid()
    assert form.errors["debut"][0].startswith(
        "« Début » : la date doit être comprise entre 1900 et 2100"
    )


@pytest.fixture
def accompagne(monde):
    referentiel(monde.plie1)
    return parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)


@pytest.mark.parametrize("debut", [datetime.date(1, 1, 1), datetime.date(9998, 12, 31)])
def test_le_service_refuse_aussi(accompagne, debut):
    with pytest.raises(services.ContratInvalide) as exc:
        services.enregistrer_contrat(accompagne, par=accompagne.referent, **cdi(debut=debut))
    assert "entre 1900 et 2100" in exc.value.message_dict["debut"][0]
    assert not Contrat.objects.exists()


@pytest.mark.parametrize(("champ", "valeur"), [("debut", "0001-01-01"), ("fin", "9998-12-31")])
def test_ecran_contrat_an_1_ou_9998(client, accompagne, champ, valeur):
    client.force_login(accompagne.referent)
    donnees = {"type": "cdd", "employeur": "Mairie", "debut": "2025-01-06", champ: valeur}
    reponse = client.post(reverse("emploi:contrats", args=[accompagne.pk]), donnees)
    assert reponse.status_code == 200
    assert escape("la date doit être comprise entre 1900 et 2100") in reponse.content.decode()
    assert not Contrat.objects.exists()


def test_ecran_terminer_un_contrat_en_9998(client, accompagne):
    contrat = services.enregistrer_contrat(
        accompagne, par=accompagne.referent, **cdi(debut=il_y_a(months=2))
    )
    client.force_login(accompagne.referent)
    reponse = client.post(
        reverse("emploi:contrat", args=[accompagne.pk, contrat.pk]),
        {"action": "terminer", "fin": "9998-12-31", "rompre": "on", "version": contrat.version},
    )
    assert reponse.status_code == 200
    assert escape("« Date de fin » : la date doit être comprise") in reponse.content.decode()
    contrat.refresh_from_db()
    assert contrat.fin is None


# — Les mois des filtres —

MOIS_HOSTILES = ["0000-01", "9999-13", "2101-01", "abc", "2025-00", "-1"]


@pytest.fixture
def bilan(monde):
    return Bilan(monde)


@pytest.mark.parametrize("mois", MOIS_HOSTILES)
@pytest.mark.parametrize("nom", ["clauses:bilans", "clauses:equite", "clauses:impact"])
def test_bilans_signalent_le_mois_invalide(client, bilan, nom, mois):
    client.force_login(bilan.facilitateur)
    args = [bilan.donneur.pk] if nom == "clauses:impact" else []
    reponse = client.get(reverse(nom, args=args), {"debut": mois, "fin": mois})
    assert reponse.status_code == 200
    assert "Mois attendu au format AAAA-MM. Années de 1900 à 2100." in reponse.content.decode()


@pytest.mark.parametrize("mois", MOIS_HOSTILES)
def test_xlsx_du_tableau_d_impact_ignore_le_mois_invalide(client, bilan, mois):
    client.force_login(bilan.facilitateur)
    reponse = client.get(
        reverse("clauses:impact_xlsx", args=[bilan.donneur.pk]), {"debut": mois, "fin": mois}
    )
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize("mois", MOIS_HOSTILES)
def test_grille_des_heures_mois_invalide_introuvable(client, bilan, mois):
    client.force_login(bilan.facilitateur)
    url = reverse("clauses:heures_saisie", args=[bilan.marche.pk])
    assert client.get(url, {"mois": mois}).status_code == 404
    assert client.post(url, {"mois": mois}).status_code == 404
