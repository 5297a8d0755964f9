"""Déclarer et modifier une opération FSE+ : l'animation, la direction, l'administrateur du PLIE ;
404 pour les autres et hors du PLIE ; mauvaise saisie : message en français, rien de perdu."""

import pytest
from django.urls import reverse

from parcours.core.enums import Role
from parcours.fse.models import OperationFse

pytestmark = pytest.mark.django_db


def _donnees(monde, operations, **autres):
    return {
        "plie": monde.plie1.pk,
        "numero": "202500042",
        "libelle": "Accompagnement 2025",
        "type": "accompagnement",
        "structure_porteuse": monde.structure("operateur", "a", 1).pk,
        "financeurs": [operations.departement.pk],
        "debut": "2025-01-01",
        "fin": "2025-12-31",
        **autres,
    }


@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN])
def test_l_animation_declare_une_operation(client, monde, operations, role):
    client.force_login(monde.user(role))
    reponse = client.post(reverse("fse:operation_creer"), _donnees(monde, operations))
    op = OperationFse.objects.get(numero="202500042")
    assert reponse.status_code == 302 and reponse["Location"] == reverse(
        "fse:operation", args=[op.pk]
    )
    assert (op.plie, op.type, list(op.financeurs.all())) == (
        monde.plie1,
        "accompagnement",
        [operations.departement],
    )


@pytest.mark.parametrize(
    ("autres", "champ", "message"),
    [
        ({"numero": "202100001"}, "numero", "Le PLIE a déjà une opération numéro 202100001."),
        ({"fin": "2024-12-31"}, "fin", "La fin de l'opération doit suivre son début."),
        ({"debut": "32/13/2025"}, "debut", "Saisissez une date valide."),
    ],
)
def test_mauvaise_saisie_reaffichee_sans_rien_perdre(
    client, monde, operations, autres, champ, message
):
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.post(reverse("fse:operation_creer"), _donnees(monde, operations, **autres))
    assert reponse.status_code == 200
    assert message in reponse.context["form"].errors[champ]
    assert 'value="Accompagnement 2025"' in reponse.content.decode()
    assert not OperationFse.objects.filter(libelle="Accompagnement 2025").exists()


def test_structure_d_un_autre_plie_refusee(client, monde, operations):
    client.force_login(monde.user(Role.ANIMATEUR))
    autre = monde.structure("operateur", "a", 2).pk
    reponse = client.post(
        reverse("fse:operation_creer"), _donnees(monde, operations, structure_porteuse=autre)
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["structure_porteuse"]


@pytest.mark.parametrize("role", [Role.REFERENT, Role.FINANCEUR, Role.CRE])
def test_les_autres_roles_ne_declarent_pas(client, monde, operations, role):
    user = operations.financeur() if role == Role.FINANCEUR else monde.user(role)
    client.force_login(user)
    assert client.get(reverse("fse:operation_creer")).status_code == 404
    url = reverse("fse:operation_modifier", args=[operations.a.pk])
    assert client.get(url).status_code == 404


def test_modifier_hors_de_son_plie_404_et_dans_son_plie_ok(client, monde, operations):
    client.force_login(monde.user(Role.ANIMATEUR, "a", 2))
    url = reverse("fse:operation_modifier", args=[operations.a.pk])
    assert client.get(url).status_code == 404
    client.force_login(monde.user(Role.ANIMATEUR))
    donnees = _donnees(monde, operations, numero="202100001", libelle="Accompagnement A bis")
    assert client.post(url, donnees).status_code == 302
    operations.a.refresh_from_db()
    assert operations.a.libelle == "Accompagnement A bis"
