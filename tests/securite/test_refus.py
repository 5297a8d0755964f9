"""Journal des actions refusées : 403 ou 404 sur une URL d'objet de l'application.

Un utilisateur connecté qui ouvre le dossier d'un autre PLIE (404) ou tente une action qu'il n'a
pas le droit de faire (403) laisse une trace REFUS : compte, vue, identifiant de l'objet, statut et
adresse. Une insertion, aucune lecture de plus ; rien pour les anonymes, les adresses inexistantes,
les fichiers statiques, ni hors de /app/.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db

MIDDLEWARE_REFUS = "parcours.tracabilite.middleware.TracerRefusMiddleware"


def refus():
    return list(Trace.objects.filter(type=TypeTrace.REFUS))


def test_le_dossier_d_un_autre_plie_repond_404_et_laisse_une_trace(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    intrus = monde.user(Role.ANIMATEUR, plie=2)
    client.force_login(intrus)
    url = reverse("participants:detail", args=[parcours.participant_id])
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 404
    (trace,) = refus()
    assert (trace.user, trace.identifiant, trace.ip) == (intrus, intrus.username, "192.0.2.7")
    assert (trace.objet_type, trace.objet_id) == (
        "participants:detail",
        str(parcours.participant_id),
    )
    assert trace.detail == f"404 GET {url}"
    assert trace.chemin == url
    assert trace.plie is None and trace.participant_id is None


def test_une_action_interdite_repond_403_et_laisse_une_trace(client, monde):
    parcours = parcours_en(monde, Statut.EN_EMPLOI)
    direction = monde.user(Role.DIRECTION)
    client.force_login(direction)
    url = reverse("emploi:contrats", args=[parcours.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(
        url, {"type": "cdd", "employeur": "Mairie", "debut": timezone.localdate().isoformat()}
    )
    assert reponse.status_code == 403
    (trace,) = refus()
    assert (trace.user, trace.objet_type, trace.objet_id) == (
        direction,
        "emploi:contrats",
        str(parcours.pk),
    )
    assert trace.detail == f"403 POST {url}"


def test_l_identifiant_le_plus_precis_est_retenu(client, monde):
    parcours = parcours_en(monde, Statut.EN_EMPLOI)
    client.force_login(monde.user(Role.REFERENT))
    url = reverse("emploi:contrat", args=[parcours.pk, 987654])
    assert client.get(url).status_code == 404
    (trace,) = refus()
    assert (trace.objet_type, trace.objet_id) == ("emploi:contrat", "987654")


def test_une_insertion_et_aucune_lecture_de_plus(monde, settings):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    intrus = monde.user(Role.REFERENT, plie=2)
    url = reverse("participants:detail", args=[parcours.participant_id])

    def requetes():
        client = Client()  # la chaîne des middlewares est lue à la première requête
        client.force_login(intrus)
        with CaptureQueriesContext(connection) as capture:
            assert client.get(url).status_code == 404
        return [q["sql"] for q in capture.captured_queries]

    avec = requetes()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE_REFUS]
    sans = requetes()

    def lectures(sqls):
        return [sql for sql in sqls if sql.startswith("SELECT")]

    def ecritures(sqls):
        return [sql for sql in sqls if not sql.startswith("SELECT")]

    assert len(lectures(avec)) == len(lectures(sans))
    assert len(ecritures(avec)) == len(ecritures(sans)) + 1
    assert sum(sql.startswith('INSERT INTO "tracabilite_trace"') for sql in avec) == 1
    assert not any("tracabilite_trace" in sql for sql in sans)


@pytest.mark.parametrize(
    "url",
    [
        "/app/participants/",  # page permise
        "/app/n-existe-pas/12/",  # adresse inexistante
        "/static/viewflow/absent-12.js",  # fichier statique
        "/admin/core/plie/1/change/",  # hors de l'application
    ],
)
def test_rien_n_est_trace_hors_des_refus_sur_un_objet(client, monde, url):
    client.force_login(monde.user(Role.REFERENT))
    client.get(url)
    assert not refus()


def test_un_anonyme_n_est_pas_trace(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    reponse = client.get(reverse("participants:detail", args=[parcours.participant_id]))
    assert reponse.status_code == 302
    assert not refus()
