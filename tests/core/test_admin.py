"""L'admin Django est l'administration de l'instance : seuls ses superutilisateurs y entrent.

Les attaques du rapport de sécurité, rejouées avec le compte `admin.agenais` (et chaque autre
compte de la démo) : lister les comptes de l'instance, changer le mot de passe d'un référent de
Flandre-Lys, se donner `is_superuser`, modifier ou supprimer le référentiel, les adhésions ou le
PLIE voisin. Chaque URL de chaque modèle enregistré est essayée.
"""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from demo.donnees import COMPTES, DEMO_PASSWORD
from parcours.core.models import PLIE, Membership, User
from parcours.referentiel.models import Referentiel

pytestmark = pytest.mark.django_db

COMPTES_DEMO = [f"{identifiant}.agenais" for identifiant, *_ in COMPTES]


@pytest.fixture(scope="module")
def demo_admin(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("charger_demo", participants=2, stdout=None)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_admin, db):
    return demo_admin


def _urls_de_l_admin():
    """Chaque page de chaque modèle enregistré : liste, ajout, fiche, suppression, historique
    (sur le premier objet de Flandre-Lys quand le modèle en a un, sinon sur le premier)."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls += [reverse(f"admin:{info[0]}_{info[1]}_changelist")]
        urls += [reverse(f"admin:{info[0]}_{info[1]}_add")]
        objet = model.objects.first()
        if objet is not None:
            for vue in ("change", "delete", "history"):
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{vue}", args=[objet.pk]))
    return urls


@pytest.mark.parametrize("username", ["admin.agenais", "direction.flandre-lys"])
def test_aucune_page_de_l_admin_pour_un_compte_de_plie(client, demo, username):
    urls = _urls_de_l_admin()
    assert len(urls) > 50
    client.force_login(User.objects.get(username=username))
    for url in urls:
        reponse = client.get(url)
        assert reponse.status_code == 302, (username, url)
        assert reponse["Location"].startswith("/admin/login/"), (username, url)


def test_aucun_role_n_entre_dans_l_admin(client, demo):
    urls = [reverse("admin:index"), reverse("admin:core_user_changelist")]
    for username in COMPTES_DEMO:
        client.force_login(User.objects.get(username=username))
        for url in urls:
            reponse = client.get(url)
            assert reponse.status_code == 302, (username, url)
            assert reponse["Location"].startswith("/admin/login/"), (username, url)


def test_les_attaques_du_rapport_echouent(client, demo):
    admin_agenais = User.objects.get(username="admin.agenais")
    victime = User.objects.get(username="referent.flandre-lys")
    mot_de_passe = victime.password
    client.force_login(admin_agenais)
    essais = [
        (
            reverse("admin:auth_user_password_change", args=[victime.pk]),
            {"password1": "Pirate-2026-xyz", "password2": "Pirate-2026-xyz"},
        ),
        (
            reverse("admin:core_user_change", args=[admin_agenais.pk]),
            {"username": "admin.agenais", "is_superuser": "on", "is_staff": "on"},
        ),
        (
            reverse("admin:core_plie_delete", args=[PLIE.objects.get(code="flandre-lys").pk]),
            {"post": "yes"},
        ),
        (
            reverse(
                "admin:referentiel_referentiel_delete",
                args=[Referentiel.objects.filter(plie__code="flandre-lys").first().pk],
            ),
            {"post": "yes"},
        ),
        (
            reverse(
                "admin:core_membership_delete",
                args=[Membership.objects.filter(user=victime).first().pk],
            ),
            {"post": "yes"},
        ),
    ]
    for url, donnees in essais:
        reponse = client.post(url, donnees)
        assert reponse.status_code == 302 and reponse["Location"].startswith("/admin/login/")
    victime.refresh_from_db()
    admin_agenais.refresh_from_db()
    assert victime.password == mot_de_passe
    assert not admin_agenais.is_superuser and not admin_agenais.is_staff
    assert PLIE.objects.filter(code="flandre-lys").exists()
    assert Referentiel.objects.filter(plie__code="flandre-lys").exists()
    assert Membership.objects.filter(user=victime).exists()


def test_la_connexion_a_l_admin_refuse_un_compte_de_plie(client, demo):
    reponse = client.post(
        reverse("admin:login"), {"username": "admin.agenais", "password": DEMO_PASSWORD}
    )
    assert reponse.status_code == 200
    assert "_auth_user_id" not in client.session or not reponse.wsgi_request.user.is_superuser


def test_le_superutilisateur_administre_l_instance(client, demo, django_user_model):
    racine = django_user_model.objects.create_superuser("racine", "racine@example.org", "x")
    client.force_login(racine)
    client.raise_request_exception = False
    for url in _urls_de_l_admin():
        # 403 : ajout ou suppression refusés par un admin en lecture seule.
        assert client.get(url).status_code in (200, 403), url
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200


def test_la_demo_ne_donne_aucun_droit_global(demo):
    for username in COMPTES_DEMO + [u.replace("agenais", "flandre-lys") for u in COMPTES_DEMO]:
        user = User.objects.get(username=username)
        assert not user.is_staff and not user.is_superuser
        assert not user.user_permissions.exists()
        assert not user.get_all_permissions()
