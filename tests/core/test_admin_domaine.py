"""Les modèles du suivi, des clauses et des entreprises dans l'admin : en lecture seule, chaque
liste s'ouvre, en un nombre de requêtes borné, et ne montre que ce que la politique d'accès
laisse voir."""

import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement import suivi
from parcours.core.enums import Role
from tests.clauses.factories import HeuresRealiseesFactory, LotFactory, PositionnementFactory
from tests.entreprises.conftest import une_offre
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db

# Les listes, et celles qui contiennent au moins une ligne une fois `donnees` créées : leurs
# colonnes s'affichent vraiment.
LISTES = {
    "accompagnement/etape": False,
    "accompagnement/entretien": True,
    "accompagnement/suspension": True,
    "accompagnement/changementreferent": True,
    "accompagnement/delegation": False,
    "clauses/donneurordre": True,
    "clauses/operation": True,
    "clauses/marche": True,
    "clauses/lot": True,
    "clauses/besoin": True,
    "clauses/positionnement": True,
    "clauses/heuresrealisees": True,
    "entreprises/entreprise": True,
    "entreprises/offreemploi": True,
    "entreprises/miseenrelation": False,
    "entreprises/evenement": False,
}


@pytest.fixture
def donnees(monde):
    parcours = parcours_en(monde, "en_accompagnement")
    suivi.enregistrer_entretien(
        parcours,
        parcours.referent,
        date=timezone.now() - datetime.timedelta(days=1),
        canal="telephone",
    )
    suivi.changer_referent(
        parcours, monde.user(Role.REFERENT, "b"), monde.user(Role.ANIMATEUR), "Congé"
    )
    suivi.suspendre_parcours(parcours, monde.user(Role.ANIMATEUR), motif="sante")
    plie = monde.plie(1)
    PositionnementFactory(besoin__marche__operation__donneur_ordre__plie=plie)
    HeuresRealiseesFactory(marche__operation__donneur_ordre__plie=plie)
    LotFactory(marche__operation__donneur_ordre__plie=plie)
    une_offre(monde, "diffusee")
    return monde


@pytest.mark.parametrize("liste", list(LISTES))
def test_chaque_liste_s_ouvre_pour_le_superutilisateur(
    client, donnees, django_user_model, liste, django_assert_max_num_queries
):
    racine = django_user_model.objects.create_superuser("racine", "racine@example.org", "x")
    client.force_login(racine)
    with django_assert_max_num_queries(15):
        reponse = client.get(f"/admin/{liste}/")
    assert reponse.status_code == 200
    cl = reponse.context["cl"]
    assert (cl.result_count > 0) == LISTES[liste]
    # Lecture seule : ni ajout, ni modification, ni suppression.
    requete = reponse.wsgi_request
    assert not cl.model_admin.has_add_permission(requete)
    assert not cl.model_admin.has_change_permission(requete)
    assert not cl.model_admin.has_delete_permission(requete)


@pytest.mark.parametrize("liste", ["clauses/marche", "entreprises/entreprise"])
def test_un_membre_d_equipe_d_un_plie_n_entre_pas(client, donnees, liste):
    """Même avec le statut d'équipe et la permission de lecture du modèle, un compte de PLIE
    n'entre pas dans l'admin de l'instance (config/administration.py)."""
    autre = donnees.user(Role.ADMIN, plie=2)
    autre.is_staff = True
    autre.save()
    from django.contrib.auth.models import Permission

    app_label, model = liste.split("/")
    autre.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=f"view_{model}")
    )
    client.force_login(autre)
    reponse = client.get(f"/admin/{liste}/")
    assert reponse.status_code == 302
    assert reponse["Location"].startswith("/admin/login/")
