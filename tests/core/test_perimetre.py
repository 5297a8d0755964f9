"""Le périmètre lu par sa requête compilée une fois (`parcours/core/perimetre.py`) : les mêmes
adhésions que `MembershipQuerySet.actives`, les mêmes droits explicites, une requête."""

import datetime

from django.utils import timezone
from guardian.shortcuts import assign_perm

from parcours.core.enums import Role
from parcours.core.models import Membership, User
from parcours.core.perimetre import perimetre
from tests.factories import MembershipFactory, ParcoursFactory


def _frais(user):
    return User.objects.get(pk=user.pk)


def test_les_adhesions_du_jour_comme_actives_les_donne(monde, django_assert_num_queries):
    """Finie hier, commencée demain : hors du périmètre ; finie aujourd'hui : dedans. Les rôles
    par PLIE et les structures par rôle sont ceux des adhésions `actives()` de l'ORM."""
    jour = timezone.localdate()
    user = monde.user(Role.REFERENT)
    un_jour = datetime.timedelta(days=1)
    MembershipFactory(
        user=user, structure=monde.structure("porteur"), role=Role.ANIMATEUR, fin=jour
    )
    MembershipFactory(
        user=user,
        structure=monde.structure("porteur", plie=2),
        role=Role.DIRECTION,
        fin=jour - un_jour,
    )
    MembershipFactory(
        user=user,
        structure=monde.structure("prescripteur", "b"),
        role=Role.PRESCRIPTEUR,
        debut=jour + un_jour,
    )
    MembershipFactory(user=monde.user(Role.CRE, plie=2), structure=monde.structure("porteur"))

    compte = _frais(user)
    with django_assert_num_queries(1):
        p = perimetre(compte)

    attendu_plies, attendu_structures = {}, {}
    for m in Membership.objects.actives().filter(user=user).select_related("structure"):
        attendu_plies.setdefault(m.structure.plie_id, set()).add(m.role)
        attendu_structures.setdefault(m.role, set()).add(m.structure_id)
    assert p.roles_par_plie == {k: frozenset(v) for k, v in attendu_plies.items()}
    assert p.structures_par_role == {k: frozenset(v) for k, v in attendu_structures.items()}
    assert p.roles_par_plie == {monde.plie1.pk: frozenset({Role.REFERENT, Role.ANIMATEUR})}
    assert p.structures(Role.PRESCRIPTEUR) == frozenset()
    assert not p.droits_explicites


def test_droits_explicites_du_compte_et_pas_d_un_autre(monde):
    user = monde.user(Role.REFERENT)
    autre = monde.user(Role.REFERENT, "b")
    assign_perm("accompagnement.view_parcours", autre, ParcoursFactory(plie=monde.plie1))
    assert not perimetre(_frais(user)).droits_explicites
    assert perimetre(_frais(autre)).droits_explicites


def test_sans_adhesion_active_rien_et_droits_presumes(monde):
    """Aucune adhésion lue : aucun rôle, et les droits explicites présumés (jamais moins de
    droit, `Perimetre.droits_explicites`)."""
    user = MembershipFactory(
        structure=monde.structure("porteur"), fin=datetime.date(2021, 1, 1)
    ).user
    p = perimetre(_frais(user))
    assert p.roles_par_plie == {} and p.roles == set()
    assert p.droits_explicites


def test_suppleant_d_un_interim_actif_ce_jour_seulement(monde):
    """Le périmètre dit si le compte supplée un titulaire aujourd'hui (`DelegationQuerySet.
    actives`) : « Mes tâches » ne lit les tâches des titulaires que dans ce cas."""
    from parcours.accompagnement.models import Delegation

    jour = timezone.localdate()
    un_jour = datetime.timedelta(days=1)
    titulaire = monde.user(Role.REFERENT)
    suppleant = monde.user(Role.REFERENT, structure="b")
    assert not perimetre(_frais(suppleant)).suppleant

    def interim(debut, fin, levee_le=None):
        return Delegation.objects.create(
            plie=monde.plie1,
            titulaire=titulaire,
            suppleant=suppleant,
            debut=debut,
            fin=fin,
            motif="Congés",
            par=titulaire,
            levee_le=levee_le,
        )

    interim(jour - 3 * un_jour, jour - un_jour)  # finie hier
    interim(jour + un_jour, jour + 3 * un_jour)  # commence demain
    interim(jour, jour, levee_le=timezone.now())  # levée
    assert not perimetre(_frais(suppleant)).suppleant
    interim(jour, jour)
    assert perimetre(_frais(suppleant)).suppleant
    assert not perimetre(_frais(titulaire)).suppleant
