"""« À traiter » et les listes de mises en relation sondent la visibilité ligne à ligne
(docs/PERFORMANCE.md) : le compte de la file et le nom de la personne suivent exactement la
définition ensembliste de la politique d'accès (`taches_a_prendre`, `parcours_visibles`), sans
calculer les dossiers visibles de tout le PLIE."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.core.models import User
from parcours.entreprises.enums import StatutMiseEnRelation
from parcours.entreprises.models import MiseEnRelation
from tests.entreprises.conftest import une_offre
from tests.factories import parcours_en
from workflows import access as workflows_access
from workflows.emploi.flows import SuiviContratFlow
from workflows.entreprises.views.commun import participant_visible

pytestmark = pytest.mark.django_db

COMPTES = [
    (Role.CRE, "a", 1),
    (Role.CRE, "a", 2),
    (Role.ANIMATEUR, "a", 1),
    (Role.DIRECTION, "a", 1),
    (Role.REFERENT, "a", 1),
    (Role.REFERENT, "b", 1),
    (Role.PRESCRIPTEUR, "a", 1),
]


def frais(user):
    return User.objects.get(pk=user.pk)  # sans le périmètre gardé sur l'objet


@pytest.fixture
def dossiers(monde):
    """Des dossiers des deux PLIE, en emploi ou non, suivis par l'une ou l'autre structure."""
    return {
        "emploi": parcours_en(monde, Statut.EN_EMPLOI),
        "emploi_b": parcours_en(monde, Statut.EN_EMPLOI, structure="b"),
        "accompagnement": parcours_en(monde, Statut.EN_ACCOMPAGNEMENT),
        "sorti": parcours_en(monde, Statut.SORTI, structure="b"),
        "autre_plie": parcours_en(monde, Statut.EN_EMPLOI, plie=2),
    }


def suivi_a_prendre(parcours, plie=None):
    """Une tâche de suivi dans l'emploi, dans la file des CRE du PLIE `plie` (par défaut celui
    du dossier)."""
    process = Process.objects.create(flow_class=SuiviContratFlow, artifact=parcours)
    return Task.objects.create(
        process=process,
        flow_task=SuiviContratFlow.appel,
        owner_permission=workflows_access.SUIVRE_EMPLOI_PLIE,
        owner_permission_obj_pk=str(plie or parcours.plie_id),
        status=STATUS.NEW,
    )


@pytest.mark.parametrize(("role", "structure", "plie"), COMPTES)
@pytest.mark.parametrize("limite", [1, 3, 50])
def test_compte_de_la_file_borne_selon_la_definition(
    monde, dossiers, role, structure, plie, limite
):
    for parcours in dossiers.values():
        suivi_a_prendre(parcours)
    # Dans la file du PLIE 1, un dossier du PLIE 2 : aucun compte du PLIE 1 ne le voit.
    suivi_a_prendre(dossiers["autre_plie"], plie=monde.plie1.pk)
    user = frais(monde.user(role, structure, plie))
    definition = workflows_access.taches_a_prendre(user).count()
    assert workflows_access.compter_a_prendre(user, limite) == min(definition, limite)


def test_compte_de_la_file_du_cre(monde, dossiers):
    """Écrit à la main : le CRE du PLIE 1 voit les dossiers en emploi de son PLIE, et ceux qu'il a
    positionnés sur une offre ; pas le dossier d'un autre PLIE rangé dans sa file."""
    for parcours in dossiers.values():
        suivi_a_prendre(parcours)
    suivi_a_prendre(dossiers["autre_plie"], plie=monde.plie1.pk)
    cre = frais(monde.user(Role.CRE))
    assert workflows_access.compter_a_prendre(cre, 50) == 2  # emploi, emploi_b
    offre = une_offre(monde, etat="diffusee")
    MiseEnRelation.objects.create(
        offre=offre, parcours=dossiers["accompagnement"], proposee_par=monde.user(Role.REFERENT)
    )
    assert workflows_access.compter_a_prendre(frais(cre), 50) == 3
    assert workflows_access.compter_a_prendre(frais(monde.user(Role.CRE, plie=2)), 50) == 1
    with CaptureQueriesContext(connection) as requetes:
        workflows_access.compter_a_prendre(frais(cre), 50)
    (compte,) = [r["sql"] for r in requetes.captured_queries if "COUNT(*)" in r["sql"]]
    # Le dossier de chaque tâche sondé par la clé de son processus, pas l'ensemble du PLIE.
    assert '"viewflow_task"."process_id" = (SELECT' in compte
    assert '"artifact_object_id" IN (SELECT' not in compte


@pytest.mark.parametrize(("role", "structure", "plie"), COMPTES)
def test_personne_visible_selon_la_definition(monde, dossiers, role, structure, plie):
    """L'annotation qui décide d'afficher le nom (« Personne n° … » sinon) suit
    `parcours_visibles` pour chaque mise en relation, quelle que soit sa visibilité."""
    offres = {monde.plie(p).pk: une_offre(monde, etat="diffusee", plie=p) for p in (1, 2)}
    for parcours in dossiers.values():
        MiseEnRelation.objects.create(
            offre=offres[parcours.plie_id],
            parcours=parcours,
            statut=StatutMiseEnRelation.PROPOSEE,
            proposee_par=parcours.referent,
        )
    user = frais(monde.user(role, structure, plie))
    visibles = set(acces.parcours_visibles(user).values_list("pk", flat=True))
    lignes = MiseEnRelation.objects.annotate(visible=participant_visible(user))
    obtenu = {m.parcours_id: m.visible for m in lignes}
    assert obtenu == {p.pk: p.pk in visibles for p in dossiers.values()}
    if (role, plie) == (Role.CRE, 1):
        # Écrit à la main : en emploi dans son PLIE, ou positionné sur une offre de son PLIE et
        # pas clos.
        attendus = {dossiers[c].pk for c in ("emploi", "emploi_b", "accompagnement")}
        assert {pk for pk, visible in obtenu.items() if visible} == attendus


def test_compte_de_la_file_du_superutilisateur(monde, dossiers, django_user_model):
    """Le superutilisateur (administration de l'instance) voit les deux files de tous les PLIE :
    le compte borné suit la définition ; un compte désactivé n'a plus de file."""
    for parcours in dossiers.values():
        suivi_a_prendre(parcours)
    racine = django_user_model.objects.create_superuser("racine", "racine@example.org", "x")
    assert workflows_access.taches_a_prendre(racine).count() == 5
    assert workflows_access.compter_a_prendre(racine, 50) == 5
    assert workflows_access.compter_a_prendre(racine, 4) == 4
    cre = monde.user(Role.CRE)
    assert workflows_access.compter_a_prendre(frais(cre), 50) == 2
    User.objects.filter(pk=cre.pk).update(is_active=False)
    assert workflows_access.compter_a_prendre(frais(cre), 50) == 0
