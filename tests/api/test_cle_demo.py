"""La clé d'API de démonstration : l'exemple curl de docs/api.md marche sur la démo, la commande
est idempotente et refuse de créer une clé au secret public hors développement."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from demo.cles import JETON_DEMO
from parcours.core.models import CleApi, User
from tests.api.conftest import ClientApi
from tests.demo_du_module import demo_du_module

pytestmark = pytest.mark.django_db
DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


demo_chargee = demo_du_module(complete=False)


@pytest.fixture
def demo(demo_chargee, settings):
    settings.DEBUG = True


def test_l_exemple_curl_de_la_doc_marche_sur_la_demo(demo, client):
    sortie = io.StringIO()
    call_command("demo_cle_api", stdout=sortie)
    assert JETON_DEMO in sortie.getvalue()
    curl = re.search(r'curl -H "Authorization: Bearer (\S+)" \\\n\s+(\S+)', DOC.read_text())
    jeton, adresse = curl.groups()
    assert jeton == JETON_DEMO
    chemin = adresse.removeprefix("http://127.0.0.1:8000")
    reponse = ClientApi(jeton).get(chemin)
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] > 0
    cle = CleApi.objects.select_related("structure").get(prefixe="demo")
    assert cle.structure.nom == "France Travail Agenais" and cle.role == "prescripteur"
    # Elle voit ce que voit le prescripteur de sa structure, rien de celui du Département.
    ids = {p["id"] for p in ClientApi(jeton).get(chemin, taille=100).json()["results"]}
    assert ids == _ids_par_session(client, "prescripteur.agenais")
    assert not ids & _ids_par_session(client, "prescripteur2.agenais")


def _ids_par_session(client, username):
    client.force_login(User.objects.get(username=username))
    reponse = ClientApi(client=client).get("/api/v1/prescriptions/", taille=100)
    return {p["id"] for p in reponse.json()["results"]}


def test_relancer_ne_cree_pas_de_seconde_cle_et_prolonge(demo):
    call_command("demo_cle_api", stdout=io.StringIO())
    CleApi.objects.filter(prefixe="demo").update(expire_le="2000-01-01")
    call_command("demo_cle_api", stdout=io.StringIO())
    assert CleApi.objects.count() == 1
    assert ClientApi(JETON_DEMO).get("/api/v1/prescriptions/").status_code == 200


def test_hors_developpement_la_cle_de_demo_n_est_pas_creee(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="secret public"):
        call_command("demo_cle_api", stdout=io.StringIO())
    assert not CleApi.objects.exists()
