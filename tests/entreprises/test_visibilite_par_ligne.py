"""« À traiter » et les listes de mises en relation sondent la visibilité ligne à ligne
(docs/PERFORMANCE.md) : le compte de la file et le nom de la personne suivent exactement la
définition ensembliste de la politique d'accès (`taches_a_prendre`, `parcours_visibles`), sans
calculer les dossiers visibles de tout le PLIE."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from viewflow.workflow.models import Process

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.core.models import User
from parcours.entreprises.enums import StatutMiseEnRelation
from parcours.entreprises.models import MiseEnRelation
from tests.entreprises.conftest import suivi_a_prendre, une_offre
from tests.factories import parcours_en
from workflows import access as workflows_access
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


# Les droits de file tenus par une permission objet django-guardian sur le PLIE (par le compte
# ou par son groupe), sans le rôle : un référent de la structure B du PLIE 1.
PAR_GUARDIAN = ["guardian_compte", "guardian_groupe"]


def compte(monde, cle):
    if cle not in PAR_GUARDIAN:
        return monde.user(*cle)
    user = monde.user(Role.REFERENT, "b", 1)
    if cle == "guardian_compte":
        assign_perm("core.animer_plie", user, monde.plie1)
    else:
        groupe = Group.objects.create(name="suivi emploi")
        user.groups.add(groupe)
        assign_perm("core.suivre_emploi_plie", groupe, monde.plie1)
    return user


@pytest.mark.parametrize("cle", [*COMPTES, *PAR_GUARDIAN], ids=str)
@pytest.mark.parametrize("limite", [1, 3, 50])
def test_compte_borne_selon_la_definition(monde, dossiers, cle, limite):
    """Les deux files (animation, CRE) garnies ; pour chaque compte, la file comptée jusqu'à la
    borne est celle de `taches_a_prendre`."""
    animer = workflows_access.ANIMER_PLIE
    for parcours in dossiers.values():
        suivi_a_prendre(parcours)
        suivi_a_prendre(parcours, droit=animer)
    # Dans les files du PLIE 1, un dossier du PLIE 2 : aucun compte du PLIE 1 ne le voit.
    suivi_a_prendre(dossiers["autre_plie"], plie=monde.plie1.pk)
    suivi_a_prendre(dossiers["autre_plie"], plie=monde.plie1.pk, droit=animer)
    user = frais(compte(monde, cle))
    definition = workflows_access.taches_a_prendre(user).count()
    assert workflows_access.compter_a_prendre(user, limite) == min(definition, limite)
    # Qui tient une file en voit des tâches (deux au moins dans le PLIE 1 : la borne 1 est
    # atteinte), les autres aucune.
    tient_une_file = cle in PAR_GUARDIAN or cle[0] in (Role.CRE, Role.ANIMATEUR, Role.DIRECTION)
    assert (definition >= 1) == tient_une_file
    assert definition >= 2 or not tient_une_file or cle[2:] == (2,)


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


def _partage_explicite(monde, dossiers):
    """Un prescripteur du PLIE 2 à qui le dossier « sorti » du PLIE 1 est partagé."""
    user = monde.user(Role.PRESCRIPTEUR, "a", 2)
    assign_perm("accompagnement.view_parcours", user, dossiers["sorti"])
    return user


def _par_un_groupe(monde, dossiers):
    """Un référent de la structure B dont le groupe reçoit le dossier « accompagnement »."""
    user = monde.user(Role.REFERENT, "b", 1)
    groupe = Group.objects.create(name="partage")
    user.groups.add(groupe)
    assign_perm("accompagnement.view_parcours", groupe, dossiers["accompagnement"])
    return user


def _desactive(monde, dossiers):
    user = monde.user(Role.CRE)
    User.objects.filter(pk=user.pk).update(is_active=False)
    return user


def _racine(monde, dossiers):
    return User.objects.create_superuser("racine", "racine@example.org", "x")


AUTRES_COMPTES = {
    "partage_explicite": _partage_explicite,
    "par_un_groupe": _par_un_groupe,
    "desactive": _desactive,
    "superutilisateur": _racine,
}
# Écrits à la main : les dossiers dont le nom s'affiche.
ATTENDUS = {
    (Role.CRE, "a", 1): {"emploi", "emploi_b", "accompagnement"},  # en emploi, ou positionné
    "partage_explicite": {"sorti", "autre_plie"},  # le dossier partagé, celui qu'il a prescrit
    "desactive": set(),
    "superutilisateur": {"emploi", "emploi_b", "accompagnement", "sorti", "autre_plie"},
}


@pytest.mark.parametrize("cle", [*COMPTES, *AUTRES_COMPTES], ids=str)
def test_personne_visible_selon_la_definition(monde, dossiers, cle):
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
    fabrique = AUTRES_COMPTES.get(cle)
    user = frais(fabrique(monde, dossiers) if fabrique else monde.user(*cle))
    visibles = set(acces.parcours_visibles(user).values_list("pk", flat=True))
    lignes = MiseEnRelation.objects.annotate(visible=participant_visible(user))
    obtenu = {m.parcours_id: m.visible for m in lignes}
    assert obtenu == {p.pk: p.pk in visibles for p in dossiers.values()}
    vus = {nom for nom, parcours in dossiers.items() if obtenu[parcours.pk]}
    if cle in ATTENDUS:
        assert vus == ATTENDUS[cle]
    if cle == "par_un_groupe":
        assert "accompagnement" in vus


def test_compte_de_la_file_du_superutilisateur(monde, dossiers, django_user_model):
    """Le superutilisateur (administration de l'instance) voit les deux files de tous les PLIE :
    le compte borné suit la définition ; un compte désactivé n'a plus de file."""
    for parcours in dossiers.values():
        suivi_a_prendre(parcours)
    # Un processus dont le dossier a été supprimé (administration de l'instance) : sa tâche
    # reste dans la file du superutilisateur, et dans son compte.
    orpheline = suivi_a_prendre(dossiers["emploi"])
    Process.objects.filter(pk=orpheline.process_id).update(artifact_object_id=10**9)
    racine = django_user_model.objects.create_superuser("racine", "racine@example.org", "x")
    assert workflows_access.taches_a_prendre(racine).count() == 6
    assert workflows_access.compter_a_prendre(racine, 50) == 6
    assert workflows_access.compter_a_prendre(racine, 4) == 4
    cre = monde.user(Role.CRE)
    assert workflows_access.compter_a_prendre(frais(cre), 50) == 2
    User.objects.filter(pk=cre.pk).update(is_active=False)
    assert workflows_access.compter_a_prendre(frais(cre), 50) == 0
