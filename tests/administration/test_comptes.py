"""Administration du PLIE : structures, comptes, mots de passe, adhésions — limités au PLIE,
validés, journalisés ; aucun droit d'instance ne peut être posé."""

import pytest
from django.urls import reverse

from parcours.core.enums import Role, TypeStructure
from parcours.core.models import Membership, Structure, User
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "Quatre-saisons-2026!"


def u(nom, plie, *args):
    return reverse(f"administration:{nom}", args=[plie.code, *args])


@pytest.fixture
def admin1(client, monde):
    admin = monde.user(Role.ADMIN)
    client.force_login(admin)
    return admin


def nouveau_compte(monde, structure=None, **surcharges):
    donnees = {
        "username": "c.martin",
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "claire.martin@example.org",
        "password1": MOT_DE_PASSE,
        "password2": MOT_DE_PASSE,
        "adhesion-structure": (structure or monde.structure("operateur")).pk,
        "adhesion-role": Role.REFERENT,
        "adhesion-debut": "2026-01-05",
        "adhesion-etp": "0.8",
        "is_superuser": "on",
        "is_staff": "on",
    }
    donnees.update(surcharges)
    return donnees


def test_creer_un_compte_et_son_adhesion(client, monde, admin1):
    reponse = client.post(u("compte_creer", monde.plie1), nouveau_compte(monde))
    assert reponse.status_code == 302
    compte = User.objects.get(username="c.martin")
    assert not compte.is_superuser and not compte.is_staff
    assert not compte.user_permissions.exists()
    adhesion = compte.memberships.get()
    assert (adhesion.role, adhesion.structure, str(adhesion.etp)) == (
        Role.REFERENT,
        monde.structure("operateur"),
        "0.80",
    )
    assert compte.check_password(MOT_DE_PASSE)
    trace = Trace.objects.get(type=TypeTrace.ADMINISTRATION, objet_type="compte")
    assert (trace.user, trace.plie, trace.objet_id) == (admin1, monde.plie1, str(compte.pk))
    # Le journal dit le rôle par son libellé, pas son code.
    assert trace.detail == f"création ({Role.REFERENT.label})"


def test_une_structure_d_un_autre_plie_est_refusee(client, monde, admin1):
    donnees = nouveau_compte(monde, structure=monde.structure("operateur", plie=2))
    reponse = client.post(u("compte_creer", monde.plie1), donnees)
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not User.objects.filter(username="c.martin").exists()


@pytest.mark.parametrize(
    "mot_de_passe,message",
    [
        ("court", "trop court"),
        ("12345678901234", "entièrement numérique"),
        ("motdepasse", "trop courant"),
    ],
)
def test_un_mot_de_passe_faible_est_refuse(client, monde, admin1, mot_de_passe, message):
    donnees = nouveau_compte(monde, password1=mot_de_passe, password2=mot_de_passe)
    reponse = client.post(u("compte_creer", monde.plie1), donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not User.objects.filter(username="c.martin").exists()


def test_modifier_desactiver_un_compte_du_plie(client, monde, admin1):
    referent = monde.user(Role.REFERENT)
    reponse = client.post(
        u("compte", monde.plie1, referent.pk),
        {
            "first_name": "Jeanne",
            "last_name": "Dupuis",
            "email": "j.dupuis@example.org",
            "is_superuser": "on",
        },
    )
    assert reponse.status_code == 302
    referent.refresh_from_db()
    assert (referent.first_name, referent.is_active, referent.is_superuser) == (
        "Jeanne",
        False,
        False,
    )


def test_nouveau_mot_de_passe_pour_un_compte_du_plie(client, monde, admin1):
    referent = monde.user(Role.REFERENT)
    reponse = client.post(
        u("mot_de_passe", monde.plie1, referent.pk),
        {"new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE},
    )
    assert reponse.status_code == 302
    referent.refresh_from_db()
    assert referent.check_password(MOT_DE_PASSE)


def test_un_compte_partage_avec_un_autre_plie_n_est_pas_administrable(client, monde, admin1):
    """Réinitialiser son mot de passe ouvrirait l'autre PLIE : seules ses adhésions dans ce
    PLIE se gèrent ici."""
    partage = monde.user(Role.REFERENT)
    MembershipFactory(user=partage, structure=monde.structure("operateur", plie=2))
    ancien = partage.password
    reponse = client.post(
        u("mot_de_passe", monde.plie1, partage.pk),
        {"new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE},
    )
    assert reponse.status_code == 404
    reponse = client.post(
        u("compte", monde.plie1, partage.pk),
        {"first_name": "X", "last_name": "Y", "email": "x@example.org"},
    )
    assert reponse.status_code == 404
    partage.refresh_from_db()
    assert (partage.password, partage.is_active) == (ancien, True)
    page = client.get(u("compte", monde.plie1, partage.pk)).content.decode()
    assert "adhésions hors de ce PLIE" in page
    assert "Opérateur a 2" not in page


def test_ajouter_puis_terminer_une_adhesion(client, monde, admin1):
    referent = monde.user(Role.REFERENT)
    reponse = client.post(
        u("adhesion_creer", monde.plie1, referent.pk),
        {
            "adhesion-structure": monde.structure("porteur").pk,
            "adhesion-role": Role.COMMISSION,
            "adhesion-debut": "2026-02-01",
            "adhesion-etp": "1",
        },
    )
    assert reponse.status_code == 302
    adhesion = Membership.objects.get(user=referent, role=Role.COMMISSION)
    assert client.get(u("adhesion_terminer", monde.plie1, adhesion.pk)).status_code == 200
    assert client.post(u("adhesion_terminer", monde.plie1, adhesion.pk)).status_code == 302
    adhesion.refresh_from_db()
    assert adhesion.fin is not None
    assert Trace.objects.filter(type=TypeTrace.ADMINISTRATION, objet_type="adhesion").count() == 2
    assert Trace.objects.filter(detail=f"ajout ({Role.COMMISSION.label}) pour {referent}").exists()


def test_une_adhesion_ne_se_pose_pas_dans_une_structure_voisine(client, monde, admin1):
    referent = monde.user(Role.REFERENT)
    reponse = client.post(
        u("adhesion_creer", monde.plie1, referent.pk),
        {
            "adhesion-structure": monde.structure("porteur", plie=2).pk,
            "adhesion-role": Role.ADMIN,
            "adhesion-debut": "2026-02-01",
            "adhesion-etp": "1",
        },
    )
    assert reponse.status_code == 200
    assert not Membership.objects.filter(user=referent, role=Role.ADMIN).exists()


def test_creer_et_modifier_une_structure(client, monde, admin1):
    reponse = client.post(
        u("structure_creer", monde.plie1),
        {"nom": "Mission locale", "type": TypeStructure.PRESCRIPTEUR, "plie": monde.plie2.pk},
    )
    assert reponse.status_code == 302
    structure = Structure.objects.get(nom="Mission locale")
    assert structure.plie == monde.plie1
    reponse = client.post(
        u("structure", monde.plie1, structure.pk),
        {
            "nom": "Mission locale de l'Agenais",
            "type": TypeStructure.PRESCRIPTEUR,
            "territoire": monde.territoire(2).pk,
        },
    )
    assert reponse.status_code == 200  # territoire d'un autre PLIE : choix invalide
    structure.refresh_from_db()
    assert structure.nom == "Mission locale"


def test_la_liste_des_comptes_en_requetes_constantes(
    client, monde, admin1, django_assert_max_num_queries
):
    for _ in range(15):
        MembershipFactory(structure=monde.structure("operateur"), role=Role.REFERENT)
    with django_assert_max_num_queries(12):
        reponse = client.get(u("comptes", monde.plie1))
    assert reponse.status_code == 200
    assert reponse.context["page_obj"].paginator.count >= 16
    # Les comptes du PLIE voisin n'y figurent pas.
    assert monde.user(Role.REFERENT, plie=2).username not in reponse.content.decode()


def test_debloquer_un_compte_verrouille(client, monde, admin1, settings):
    """Cinq échecs verrouillent le compte ; l'administrateur le débloque depuis sa fiche."""
    from django.test import Client

    referent = monde.user(Role.REFERENT)
    referent.set_password(MOT_DE_PASSE)
    referent.save()
    poste = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        poste.post(reverse("login"), {"username": referent.username, "password": "faux"})
    assert (
        poste.post(
            reverse("login"), {"username": referent.username, "password": MOT_DE_PASSE}
        ).status_code
        == 429
    )
    page = client.get(u("compte", monde.plie1, referent.pk)).content.decode()
    assert "Connexion suspendue" in page
    assert client.post(u("debloquer", monde.plie1, referent.pk)).status_code == 302
    reponse = poste.post(
        reverse("login"), {"username": referent.username, "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302
    assert Trace.objects.filter(detail="connexion débloquée", objet_id=str(referent.pk)).exists()


def test_l_administrateur_voisin_ne_debloque_pas(client, monde):
    client.force_login(monde.user(Role.ADMIN, plie=2))
    referent = monde.user(Role.REFERENT)
    assert client.post(u("debloquer", monde.plie1, referent.pk)).status_code == 404
    assert client.post(u("debloquer", monde.plie2, referent.pk)).status_code == 404
