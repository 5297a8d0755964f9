import pytest
from django.core.management import call_command

from parcours.core.models import User

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/core/plie/",
    "/admin/core/structure/",
    "/admin/core/user/",
    "/admin/core/membership/",
    "/admin/core/commune/",
    "/admin/referentiel/referentiel/",
]


@pytest.fixture
def demo():
    call_command("charger_demo", participants=4)


@pytest.mark.parametrize("url", PAGES)
def test_admin_du_plie_gere_referentiels_structures_et_comptes(client, demo, url):
    client.force_login(User.objects.get(username="admin.agenais"))
    response = client.get(url)
    assert response.status_code == 200
    assert "Administration du PLIE" in response.content.decode()


def test_admin_montre_une_version_de_referentiel_en_lecture(client, demo):
    from parcours.referentiel.models import Referentiel

    client.force_login(User.objects.get(username="admin.agenais"))
    referentiel = Referentiel.objects.get(plie__code="agenais")
    response = client.get(f"/admin/referentiel/referentiel/{referentiel.pk}/change/")
    assert response.status_code == 200
    assert "agglomeration-agen" in response.content.decode()
    assert client.get("/admin/referentiel/referentiel/add/").status_code == 403


@pytest.mark.parametrize("username", ["referent.agenais", "animateur.agenais"])
def test_admin_refuse_aux_non_administrateurs(client, demo, username):
    client.force_login(User.objects.get(username=username))
    response = client.get("/admin/core/structure/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
