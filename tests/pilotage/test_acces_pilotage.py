"""La politique d'accès des tableaux de bord : de l'utilisateur à ses `Filtres` (matrice rôles ×
périmètre), et jamais d'élargissement par un filtre demandé (docs/tableaux_de_bord.md)."""

import pytest

from parcours import acces
from parcours.acces.pilotage import FINANCEUR, PLIE_ENTIER, REFERENT, STRUCTURE
from parcours.core.enums import Role
from parcours.reporting.periode import periode
from tests.factories import membre

pytestmark = pytest.mark.django_db

PERIODE = periode("2026-01-01", "2026-12-31")


def _user(monde, operations, role, type_structure):
    if role == Role.FINANCEUR:
        return operations.financeur()
    return membre(role, monde.structure(type_structure, "a", 1))


@pytest.mark.parametrize(
    ("role", "type_structure", "nature"),
    [
        (Role.ANIMATEUR, "porteur", PLIE_ENTIER),
        (Role.DIRECTION, "porteur", PLIE_ENTIER),
        (Role.ANIMATEUR, "operateur", STRUCTURE),
        (Role.DIRECTION, "operateur", STRUCTURE),
        (Role.REFERENT, "operateur", REFERENT),
        (Role.REFERENT_ETAPE, "operateur", REFERENT),
        (Role.FINANCEUR, None, FINANCEUR),
        (Role.PRESCRIPTEUR, "prescripteur", None),
        (Role.CRE, "porteur", None),
        (Role.COMMISSION, "porteur", None),
        (Role.FACILITATEUR, "porteur", None),
        (Role.DONNEUR_ORDRE, "porteur", None),
        (Role.ADMIN, "porteur", None),
    ],
)
def test_matrice_des_roles(monde, operations, role, type_structure, nature):
    user = _user(monde, operations, role, type_structure)
    portee = acces.portee_pilotage(user, monde.plie1)
    # Dans le PLIE voisin, aucun rôle : rien.
    assert acces.portee_pilotage(user, monde.plie2) is None
    if nature is None:
        assert portee is None
        assert acces.plies_pilotes(user) == []
        assert not acces.voit_le_menu_pilotage(user)
        return
    assert portee.nature == nature
    assert acces.plies_pilotes(user) == [monde.plie1]
    assert acces.voit_le_menu_pilotage(user)
    filtres = portee.filtres(PERIODE, portee.choix())
    assert filtres.plies == frozenset({monde.plie1.pk})
    attendus = {
        PLIE_ENTIER: (None, None, None),
        STRUCTURE: (frozenset({monde.structure("operateur", "a", 1).pk}), None, None),
        REFERENT: (None, frozenset({user.pk}), None),
        FINANCEUR: (None, None, frozenset({operations.a.pk})),
    }[nature]
    assert (filtres.structures, filtres.referents, filtres.operations) == attendus
    assert portee.nominatif is (nature != FINANCEUR)


def test_le_role_le_plus_large_l_emporte(monde, operations):
    user = monde.user(Role.REFERENT)
    membre_aussi = monde.structure("porteur", "a", 1)
    from tests.factories import MembershipFactory

    assert acces.portee_pilotage(user, monde.plie1).nature == REFERENT
    MembershipFactory(user=user, structure=membre_aussi, role=Role.DIRECTION)
    del user._perimetre_plie
    assert acces.portee_pilotage(user, monde.plie1).nature == PLIE_ENTIER


def test_superutilisateur_voit_chaque_plie(monde, django_user_model):
    racine = django_user_model.objects.create_superuser("racine", "r@example.org", "x")
    assert acces.portee_pilotage(racine, monde.plie2).nature == PLIE_ENTIER
    assert set(acces.plies_pilotes(racine)) == {monde.plie1, monde.plie2}


def test_financeur_sans_operation_financee_ne_voit_rien(monde):
    from tests.factories import StructureFactory

    autre = StructureFactory(plie=monde.plie1, type="financeur", nom="Commune")
    portee = acces.portee_pilotage(membre(Role.FINANCEUR, autre), monde.plie1)
    assert portee.filtres(PERIODE, portee.choix()).operations == frozenset()


def test_le_filtre_resserre_dans_le_perimetre(monde, operations):
    referent = monde.user(Role.REFERENT, "b")
    direction = monde.user(Role.DIRECTION)
    portee = acces.portee_pilotage(direction, monde.plie1)
    choix = portee.choix()
    structure_b = monde.structure("operateur", "b", 1)
    assert (structure_b.pk, structure_b.nom) in choix.structures
    assert referent.pk in {pk for pk, _ in choix.referents}
    filtres = portee.filtres(
        PERIODE,
        choix,
        territoire=monde.territoire1.pk,
        structure=structure_b.pk,
        referent=referent.pk,
        operation=operations.b.pk,
    )
    assert filtres.territoire == monde.territoire1.pk
    assert filtres.structures == frozenset({structure_b.pk})
    assert filtres.referents == frozenset({referent.pk})
    assert filtres.operations == frozenset({operations.b.pk})


@pytest.mark.parametrize(
    ("qui", "demande"),
    [
        ("direction", {"territoire": "territoire2"}),
        ("direction", {"structure": "operateur_a_2"}),
        ("direction", {"referent": "referent_a_2"}),
        ("direction", {"operation": "voisine"}),
        ("direction_operateur", {"structure": "operateur_b_1"}),
        ("direction_operateur", {"referent": "referent_b_1"}),
        ("referent", {"referent": "referent_b_1"}),
        ("referent", {"structure": "operateur_a_1"}),
        ("financeur", {"operation": "b"}),
        ("financeur", {"referent": "referent_a_1"}),
        ("financeur", {"structure": "operateur_a_1"}),
    ],
)
def test_un_filtre_hors_perimetre_est_refuse(monde, operations, qui, demande):
    monde.user(Role.REFERENT, "a", 1), monde.user(Role.REFERENT, "b", 1)
    monde.user(Role.REFERENT, "a", 2)
    user = {
        "direction": lambda: monde.user(Role.DIRECTION),
        "direction_operateur": lambda: membre(Role.DIRECTION, monde.structure("operateur", "a", 1)),
        "referent": lambda: monde.user(Role.REFERENT),
        "financeur": operations.financeur,
    }[qui]()
    valeurs = {
        "territoire2": monde.territoire2.pk,
        "operateur_a_2": monde.structure("operateur", "a", 2).pk,
        "operateur_a_1": monde.structure("operateur", "a", 1).pk,
        "operateur_b_1": monde.structure("operateur", "b", 1).pk,
        "referent_a_2": monde.user(Role.REFERENT, "a", 2).pk,
        "referent_a_1": monde.user(Role.REFERENT, "a", 1).pk,
        "referent_b_1": monde.user(Role.REFERENT, "b", 1).pk,
        "voisine": operations.voisine.pk,
        "b": operations.b.pk,
    }
    portee = acces.portee_pilotage(user, monde.plie1)
    ((cle, nom),) = demande.items()
    with pytest.raises(acces.HorsPerimetre):
        portee.filtres(PERIODE, portee.choix(), **{cle: valeurs[nom]})
