import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours import access
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.errors import TransitionNonAutorisee
from parcours.accompagnement.models import (
    ChangementReferent,
    JournalDelegation,
    ParcoursUserObjectPermission,
)
from parcours.core.enums import Role
from tests.factories import StructureFactory, membre, parcours_en


@pytest.fixture
def collegue(monde):
    """Un second référent de la structure A du PLIE 1."""
    return membre(Role.REFERENT, monde.structure("operateur", "a", 1))


def test_changer_le_referent_d_un_dossier(dossier, referent, animateur, collegue):
    (changement,) = suivi.changer_referent(dossier, collegue, animateur, "Départ en formation")
    dossier.refresh_from_db()
    assert dossier.referent == collegue and dossier.statut == Statut.EN_ACCOMPAGNEMENT
    assert (changement.ancien, changement.nouveau, changement.par, changement.en_masse) == (
        referent,
        collegue,
        animateur,
        False,
    )
    assert access.peut_voir(collegue, dossier) and not access.peut_voir(referent, dossier)


def test_changer_tout_un_portefeuille(monde, catalogue, referent, animateur, collegue):
    dossiers = [parcours_en(monde, Statut.EN_ACCOMPAGNEMENT) for _ in range(3)]
    sorti = parcours_en(monde, Statut.SORTI)
    changements = suivi.changer_referent(
        monde.plie1.parcours.filter(referent=referent), collegue, animateur, "Départ du référent"
    )
    assert {c.parcours_id for c in changements} == {d.pk for d in dossiers}
    assert all(c.en_masse for c in changements)
    sorti.refresh_from_db()
    assert sorti.referent == referent  # un dossier clos reste à son référent
    assert ChangementReferent.objects.count() == 3


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIPTEUR, Role.COMMISSION])
def test_changer_le_referent_reserve_a_l_animation(monde, dossier, collegue, role):
    with pytest.raises(TransitionNonAutorisee):
        suivi.changer_referent(dossier, collegue, monde.user(role), "Réorganisation")
    assert not ChangementReferent.objects.exists()


def test_animateur_d_un_autre_plie(monde, dossier, collegue):
    with pytest.raises(TransitionNonAutorisee):
        suivi.changer_referent(dossier, collegue, monde.user(Role.ANIMATEUR, plie=2), "x")


def test_nouveau_referent_hors_plie(monde, dossier, animateur):
    etranger = monde.user(Role.REFERENT, plie=2)
    with pytest.raises(ValidationError, match="n'est pas référent"):
        suivi.changer_referent(dossier, etranger, animateur, "Réorganisation")
    dossier.refresh_from_db()
    assert dossier.referent == monde.user(Role.REFERENT)


def test_motif_obligatoire(dossier, animateur, collegue):
    with pytest.raises(ValidationError):
        suivi.changer_referent(dossier, collegue, animateur, "  ")


def _interim(monde, titulaire, suppleant, animateur, debut=None, fin=None):
    aujourd_hui = timezone.localdate()
    return suivi.deleguer_portefeuille(
        titulaire,
        suppleant,
        animateur,
        plie=monde.plie1,
        debut=debut or aujourd_hui,
        fin=fin or aujourd_hui + datetime.timedelta(days=20),
        motif="Congé maternité",
    )


def test_interim_donne_puis_retire_l_acces(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    assert not access.peut_voir(suppleant, dossier)
    delegation = _interim(monde, referent, suppleant, animateur)
    assert access.peut_voir(suppleant, dossier)
    assert access.peut_effectuer(suppleant, dossier, {Role.REFERENT})
    assert list(delegation.parcours_couverts.all()) == [dossier]
    # Le suppléant tient le suivi : il ajoute une étape au dossier du titulaire.
    suivi.ajouter_etape(dossier, suppleant, type_code="accueil", date_debut=timezone.localdate())

    suivi.lever_delegation(delegation, animateur)
    suppleant = type(suppleant).objects.get(pk=suppleant.pk)  # sans cache de périmètre
    assert not access.peut_voir(suppleant, dossier)
    assert not ParcoursUserObjectPermission.objects.filter(user=suppleant).exists()
    evenements = list(delegation.journal.values_list("evenement", flat=True))
    assert evenements == ["creee", "droits_accordes", "levee", "droits_retires"]


def test_interim_futur_puis_echu(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    aujourd_hui = timezone.localdate()
    delegation = _interim(
        monde,
        referent,
        suppleant,
        animateur,
        debut=aujourd_hui + datetime.timedelta(days=2),
        fin=aujourd_hui + datetime.timedelta(days=5),
    )
    assert not access.peut_voir(suppleant, dossier)
    suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=2))
    assert access.peut_voir(suppleant, dossier)
    assert suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=6)) == 1
    assert not ParcoursUserObjectPermission.objects.filter(user=suppleant).exists()
    assert delegation.journal.filter(evenement=JournalDelegation.Evenement.EXPIREE).exists()
    # Une fois échu et ses droits retirés, il n'est plus repris.
    assert suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=7)) == 0


def test_interim_suit_le_portefeuille(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    _interim(monde, referent, suppleant, animateur)
    nouveau = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    assert not access.peut_voir(suppleant, nouveau)
    suivi.expirer_delegations()
    assert access.peut_voir(suppleant, nouveau)


def test_interim_garde_un_droit_couvert_par_un_autre(monde, dossier, referent, animateur):
    suppleant = monde.user(Role.REFERENT, "b")
    premier = _interim(monde, referent, suppleant, animateur)
    _interim(monde, referent, suppleant, animateur)
    suivi.lever_delegation(premier, animateur)
    assert access.peut_voir(type(suppleant).objects.get(pk=suppleant.pk), dossier)


@pytest.mark.parametrize(
    "champ, suppleant_de",
    [("suppleant", lambda m: m.user(Role.REFERENT, plie=2)), ("suppleant", None)],
)
def test_interim_suppleant_invalide(monde, dossier, referent, animateur, champ, suppleant_de):
    suppleant = suppleant_de(monde) if suppleant_de else referent
    with pytest.raises(ValidationError) as exc:
        _interim(monde, referent, suppleant, animateur)
    assert champ in exc.value.message_dict


def test_interim_reserve_a_l_animation(monde, dossier, referent):
    with pytest.raises(TransitionNonAutorisee):
        _interim(monde, referent, monde.user(Role.REFERENT, "b"), referent)


def test_interim_dates(monde, dossier, referent, animateur):
    aujourd_hui = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        _interim(
            monde,
            referent,
            monde.user(Role.REFERENT, "b"),
            animateur,
            debut=aujourd_hui,
            fin=aujourd_hui - datetime.timedelta(days=1),
        )
    assert "fin" in exc.value.message_dict


def test_referent_d_une_autre_structure_comme_suppleant(monde, dossier, referent, animateur):
    # Un référent d'une structure d'un autre PLIE ne peut pas suppléer, même avec un compte.
    autre = membre(Role.REFERENT, StructureFactory(plie=monde.plie2))
    with pytest.raises(ValidationError):
        _interim(monde, referent, autre, animateur)
