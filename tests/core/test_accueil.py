import pytest
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.referentiel.models import Referentiel
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db

ACCUEIL = reverse("accueil:index")


def test_accueil_referent_montre_ses_taches_et_son_portefeuille(client, monde):
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    parcours_en(monde, Statut.SUSPENDU)
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure="b")  # un autre référent
    client.force_login(monde.user(Role.REFERENT))
    page = client.get(ACCUEIL).content.decode()
    assert "Mes tâches" in page
    assert "Mon portefeuille — file active : 2" in page
    assert "En accompagnement : 1" in page
    assert "Suspendu (veille) : 1" in page


def test_accueil_animateur_compte_les_parcours_par_etat_de_son_plie(client, monde):
    for statut in (Statut.PRESCRIT, Statut.PRESCRIT, Statut.EN_ACCOMPAGNEMENT):
        parcours_en(monde, statut)
    parcours_en(monde, Statut.PRESCRIT, plie=2)
    Referentiel.objects.create(
        plie=monde.plie1,
        date_effet="2020-01-01",
        contenu={"portefeuille": {"plafond_par_referent": 1}},
    )
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(ACCUEIL)
    (vue,) = response.context["plies"]
    assert vue["plie"] == monde.plie1
    comptes = {code: n for _, code, n in vue["par_statut"]}
    assert comptes[Statut.PRESCRIT] == 2
    assert comptes[Statut.EN_ACCOMPAGNEMENT] == 2
    assert vue["total"] == 4
    (referent,) = vue["referents"]
    assert (referent["file_active"], referent["plafond"], referent["depasse"]) == (2, 1, True)
    assert "au-dessus du plafond" in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRESCRIPTEUR, Role.DONNEUR_ORDRE, Role.CRE])
def test_accueil_des_autres_roles_sans_vue_plie(client, monde, role):
    parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(role))
    response = client.get(ACCUEIL)
    assert response.status_code == 200
    assert "plies" not in response.context
    assert "portefeuille" not in response.context
