"""Les validateurs de mot de passe s'appliquent partout où l'on choisit un mot de passe
(formulaires de l'admin, createsuperuser et changepassword de Django) : 12 caractères au moins,
pas un mot de passe courant, pas seulement des chiffres, pas proche de l'identifiant ou du nom ;
messages en français."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from parcours.core.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TROP_COURT = "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."
TROP_COURANT = "Ce mot de passe est trop courant."
NUMERIQUE = "Ce mot de passe est entièrement numérique."


def refus(mot_de_passe, user=None):
    with pytest.raises(ValidationError) as erreur:
        validate_password(mot_de_passe, user)
    return erreur.value.messages


@pytest.mark.parametrize(
    ("mot_de_passe", "messages"),
    [
        ("tRqZ8!xw2Lp", [TROP_COURT]),  # 11 caractères
        ("password", [TROP_COURT, TROP_COURANT]),
        ("123456789123", [TROP_COURANT, NUMERIQUE]),
        ("123456789012", [NUMERIQUE]),
        ("password1234", [TROP_COURANT]),
    ],
)
def test_un_mot_de_passe_faible_est_refuse_en_francais(mot_de_passe, messages):
    assert refus(mot_de_passe) == messages


def test_un_mot_de_passe_proche_de_l_identifiant_est_refuse():
    user = UserFactory.build(username="camille.dupont-agenais", first_name="Camille")
    (message,) = refus("camille.dupont-agenais", user)
    assert message.startswith("Le mot de passe est trop semblable au champ")


def test_un_mot_de_passe_solide_passe():
    validate_password("Vélo bleu sur la Garonne", UserFactory.build())


def test_l_admin_refuse_un_mot_de_passe_faible(client):
    superuser = User.objects.create_superuser(
        "racine", "racine@exemple.fr", "Une-racine-solide-2026"
    )
    cible = UserFactory()
    ancien = cible.password
    client.force_login(superuser)
    reponse = client.post(
        f"/admin/core/user/{cible.pk}/password/",
        {"password1": "azerty", "password2": "azerty", "usable_password": "true"},
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Ce mot de passe est trop court" in page
    assert "Ce mot de passe est trop courant" in page
    cible.refresh_from_db()
    assert cible.password == ancien


def test_l_admin_refuse_un_compte_cree_avec_un_mot_de_passe_faible(client):
    superuser = User.objects.create_superuser(
        "racine", "racine@exemple.fr", "Une-racine-solide-2026"
    )
    client.force_login(superuser)
    reponse = client.post(
        "/admin/core/user/add/",
        {
            "username": "nouveau.compte",
            "password1": "12345678",
            "password2": "12345678",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert reponse.status_code == 200
    assert "Ce mot de passe est entièrement numérique" in reponse.content.decode()
    assert not User.objects.filter(username="nouveau.compte").exists()
