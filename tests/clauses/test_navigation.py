"""Le lien « Heures et bilans » des écrans des clauses suit la politique d'accès."""

import pytest
from django.urls import reverse

from tests.clauses.test_ecrans import Scene

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "montre"),
    [("facilitateur", True), ("animateur", True), ("referent", False), ("prescripteur", False)],
)
def test_le_lien_vers_les_bilans_selon_le_role(client, monde, role, montre):
    scene = Scene(monde)
    client.force_login(scene.users[role])
    reponse = client.get(reverse("clauses:index"))
    assert reponse.status_code == 200
    lien = f'href="{reverse("clauses:bilans")}"'
    assert (lien in reponse.content.decode()) is montre


def test_le_donneur_d_ordre_trouve_ses_bilans_depuis_ses_operations(client, monde):
    scene = Scene(monde)
    client.force_login(scene.users["donneur_ordre"])
    reponse = client.get(reverse("clauses:index"), follow=True)
    assert reponse.status_code == 200
    assert f'href="{reverse("clauses:bilans")}"' in reponse.content.decode()
