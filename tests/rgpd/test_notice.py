"""La notice d'information à la prescription : montrée à l'écran, imprimable, et sa remise
exigée puis enregistrée (date, par qui) sur la prescription ; visible au dossier."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.participants.models import Participant
from tests.factories import parcours_en
from tests.pdf import texte_pdf
from tests.workflows.conftest import donnees_prescription

pytestmark = pytest.mark.django_db

PRESCRIRE = reverse("participants:prescrire")
NOTICE = reverse("participants:notice")
MESSAGE = (
    "Cochez « La personne a reçu la notice d'information » : la notice (données personnelles, "
    "RGPD) lui est remise avant d'enregistrer la prescription."
)


def test_la_notice_est_sur_l_ecran_de_prescription(client, acteurs):
    client.force_login(acteurs.prescripteur)
    page = client.get(PRESCRIRE).content.decode()
    assert "Information de la personne sur ses données (RGPD)" in page
    assert "La personne a reçu la notice d&#x27;information" in page
    assert f"{NOTICE}?plie=agenais" in page
    # Le texte des seeds (001:L8054-8084) et les durées du référentiel de l'Agenais.
    for texte in (
        "droit d'accès et de rectification",
        "protectiondesdonneesdgefp@emploi.gouv.fr",
        "jusqu'au 31/12/2033",
        "3 ans à compter du 31 décembre",
        "CNIL",
    ):
        assert texte in page, texte


def test_sans_la_case_rien_n_est_enregistre(client, acteurs):
    client.force_login(acteurs.prescripteur)
    reponse = client.post(PRESCRIRE, donnees_prescription(**{"notice-recue": None}))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert escape(MESSAGE) in page
    assert 'value="0612345678"' in page  # la saisie est conservée
    assert not Participant.objects.exists() and not Parcours.objects.exists()


def test_la_case_cochee_est_enregistree(client, acteurs):
    client.force_login(acteurs.prescripteur)
    avant = timezone.now()
    reponse = client.post(PRESCRIRE, donnees_prescription())
    assert reponse.status_code == 302
    prescription = Parcours.objects.get().prescription
    assert prescription.notice_remise_par == acteurs.prescripteur
    assert avant <= prescription.notice_remise_le <= timezone.now()
    # Elle se lit au dossier.
    client.force_login(acteurs.animateur)
    page = client.get(reverse("participants:dossier", args=[prescription.parcours_id]))
    remise = timezone.localtime(prescription.notice_remise_le)
    assert f"remise le {remise:%d/%m/%Y} par {acteurs.prescripteur.get_full_name()}" in (
        page.content.decode()
    )


def test_une_prescription_anterieure_n_a_pas_de_notice_enregistree(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    assert parcours.prescription.notice_remise_le is None
    client.force_login(parcours.referent)
    page = client.get(reverse("participants:dossier", args=[parcours.pk])).content.decode()
    assert "non enregistrée (prescription antérieure à cet enregistrement)" in page


def test_notice_imprimable(client, acteurs):
    client.force_login(acteurs.prescripteur)
    reponse = client.get(NOTICE, {"plie": "agenais"})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    texte = texte_pdf(reponse.content)
    for attendu in (
        "Notice d'information sur vos données personnelles",
        "PLIE de l'Agenais",
        "jusqu'au 31/12/2033",
        "droit d'accès et de rectification",
        "Cofinancé par l'Union européenne",
    ):
        assert attendu in texte, attendu


@pytest.mark.parametrize(
    ("qui", "params", "attendu"),
    [
        ("prescripteur", {}, 200),
        ("animateur", {"plie": "agenais"}, 200),
        ("referent", {}, 404),
        ("prescripteur", {"plie": "flandre-lys"}, 404),
        ("animateur_flandre", {"plie": "agenais"}, 404),
    ],
)
def test_qui_imprime_la_notice(client, acteurs, qui, params, attendu):
    client.force_login(getattr(acteurs, qui))
    assert client.get(NOTICE, params).status_code == attendu


def test_anonyme_vers_la_connexion(client, db):
    reponse = client.get(NOTICE)
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("login"))


def test_le_service_enregistre_la_remise(acteurs):
    from parcours.accompagnement.services import prescrire

    parcours = prescrire(
        par=acteurs.animateur,
        plie=acteurs.agenais,
        identite={
            "nom": "Martin",
            "prenom": "Lou",
            "date_naissance": datetime.date(1990, 1, 1),
            "sexe": "F",
        },
        situation={"motif": "Venue spontanée"},
        statuts=[],
        nouvelle_personne_confirmee=True,
        notice_remise=True,
    )
    assert parcours.prescription.notice_remise_par == acteurs.animateur
