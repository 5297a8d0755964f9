"""« Mes tâches » : le prédicat réduit (le dossier de chaque tâche sondé par sa clé,
`acces.filtre_parcours_visible_par_ligne`) écarte exactement ce que la politique d'accès écarte
(docs/PERFORMANCE.md, « Boîte restreinte dans 2× »).

Chaque tâche est assignée à l'utilisateur : seule la visibilité de son dossier décide. L'attendu
est écrit à la main pour le référent ; pour chaque rôle, la boîte est comparée à la définition
ensembliste (`taches_visibles`, l'union des sources) sur les mêmes tâches.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.models import Membership, User
from parcours.core.perimetre import perimetre
from tests.factories import parcours_en
from workflows import access as workflows_access
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db

ROLES = [Role.REFERENT, Role.ANIMATEUR, Role.PRESCRIPTEUR, Role.CRE, Role.FACILITATEUR]


def frais(user):
    return User.objects.get(pk=user.pk)  # sans le périmètre mis en cache sur l'objet


def tache(parcours, owner):
    process = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
    return Task.objects.create(
        process=process,
        flow_task=EntreeFlow.premier_entretien,
        owner=owner,
        status=STATUS.ASSIGNED,
    )


@pytest.fixture
def dossiers(monde):
    """Les dossiers du référent (structure a, PLIE 1), et autour : l'autre structure, l'autre
    PLIE, un dossier transféré à un référent de l'autre structure, un dossier clos."""
    d = {
        "propre": parcours_en(monde, Statut.EN_ACCOMPAGNEMENT),
        "sorti": parcours_en(monde, Statut.SORTI),
        "autre_structure": parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure="b"),
        "autre_plie": parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2),
        "transfere": parcours_en(monde, Statut.EN_ACCOMPAGNEMENT),
    }
    autre = monde.user(Role.REFERENT, "b")
    Parcours.objects.filter(pk=d["transfere"].pk).update(referent=autre)
    return d


def boite(user):
    return set(workflows_access.mes_taches(frais(user)))


def test_le_referent_ne_garde_que_les_taches_des_dossiers_qu_il_suit(monde, dossiers):
    referent = monde.user(Role.REFERENT)
    taches = {cle: tache(parcours, referent) for cle, parcours in dossiers.items()}
    assert boite(referent) == {taches["propre"], taches["sorti"]}

    # Un partage explicite (django-guardian) rouvre un dossier de l'autre structure.
    assign_perm("accompagnement.view_parcours", referent, dossiers["autre_structure"])
    assert boite(referent) == {taches["propre"], taches["sorti"], taches["autre_structure"]}

    # Retiré, le dossier sort de la boîte (le compte n'a plus de droit explicite du tout).
    remove_perm("accompagnement.view_parcours", referent, dossiers["autre_structure"])
    assert boite(referent) == {taches["propre"], taches["sorti"]}


def test_adhesion_terminee_vide_la_boite(monde, dossiers):
    referent = monde.user(Role.REFERENT)
    tache(dossiers["propre"], referent)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    Membership.objects.filter(user=referent).update(fin=hier)
    assert boite(referent) == set()


def test_compte_inactif_n_a_pas_de_boite(monde, dossiers):
    referent = monde.user(Role.REFERENT)
    tache(dossiers["propre"], referent)
    User.objects.filter(pk=referent.pk).update(is_active=False)
    assert boite(referent) == set()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_meme_boite_que_la_definition_ensembliste(monde, dossiers, role):
    """Une tâche assignée à l'utilisateur sur chaque dossier : « Mes tâches » garde exactement
    celles que `taches_visibles` (l'union des sources de `parcours.acces`) garde."""
    user = monde.user(role)
    taches = {tache(parcours, user) for parcours in dossiers.values()}
    tache(dossiers["propre"], monde.user(role, "b"))  # la tâche d'un autre : jamais
    ensembliste = workflows_access.taches_visibles(frais(user)).filter(
        owner=user, status=STATUS.ASSIGNED
    )
    assert boite(user) == set(ensembliste)
    assert boite(user) <= taches


def _sql_de_la_boite(user):
    return str(workflows_access.mes_taches(frais(user)).query)


def test_les_droits_explicites_ne_sont_ecrits_que_pour_un_compte_qui_en_a(
    monde, dossiers, django_assert_num_queries
):
    """Piste d (docs/PERFORMANCE.md) : le périmètre dit, dans la même requête que les adhésions,
    si le compte a des droits guardian sur des parcours (à lui ou par un groupe) ; sans eux, la
    boîte n'écrit pas leurs sous-requêtes, avec eux elle les écrit et les respecte."""
    referent = monde.user(Role.REFERENT)
    taches = {cle: tache(parcours, referent) for cle, parcours in dossiers.items()}
    compte = frais(referent)
    with django_assert_num_queries(1):  # la même requête que les adhésions, pas une de plus
        assert not perimetre(compte).droits_explicites
    assert "objectpermission" not in _sql_de_la_boite(referent)
    assert boite(referent) == {taches["propre"], taches["sorti"]}

    groupe = Group.objects.create(name="interim")
    referent.groups.add(groupe)
    assign_perm("accompagnement.view_parcours", groupe, dossiers["autre_plie"])
    assert perimetre(frais(referent)).droits_explicites
    assert "groupobjectpermission" in _sql_de_la_boite(referent)
    assert boite(referent) == {taches["propre"], taches["sorti"], taches["autre_plie"]}


def test_sans_role_ni_droit_explicite_aucun_dossier(monde, dossiers):
    """Un compte dont aucun rôle n'ouvre de dossier (facilitateur) et sans droit explicite : ni
    source ni lien, la boîte et la liste sont vides ; un partage les rouvre."""
    facilitateur = monde.user(Role.FACILITATEUR)
    taches = {cle: tache(parcours, facilitateur) for cle, parcours in dossiers.items()}
    assert boite(facilitateur) == set()
    assert not Parcours.objects.filter(acces.filtre_parcours_visibles(frais(facilitateur)))
    assign_perm("accompagnement.view_parcours", facilitateur, dossiers["propre"])
    assert boite(facilitateur) == {taches["propre"]}
    assert list(Parcours.objects.filter(acces.filtre_parcours_visibles(frais(facilitateur)))) == [
        dossiers["propre"]
    ]
