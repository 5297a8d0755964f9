from collections import Counter

import pytest
from django.core.management import call_command

from demo.donnees import COMPTES, DEMO_PASSWORD
from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, TransitionParcours
from parcours.core.enums import Role
from parcours.core.models import PLIE, Membership, User
from parcours.participants.models import Participant
from tests.demo_du_module import TAILLE, demo_du_module

pytestmark = pytest.mark.django_db


# `charger_demo` seul, sur une copie pour le module : chaque test la lit, ses propres écritures
# sont annulées avec lui.
demo = demo_du_module(complete=False)


def test_demo_cree_deux_plie_et_un_compte_par_role(demo):
    assert set(PLIE.objects.values_list("code", flat=True)) == {"agenais", "flandre-lys"}
    for code in ("agenais", "flandre-lys"):
        roles = set(
            Membership.objects.filter(structure__plie__code=code).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
        for identifiant, *_ in COMPTES:
            assert User.objects.get(username=f"{identifiant}.{code}").check_password(DEMO_PASSWORD)


def test_demo_repartit_les_parcours_sur_les_etats_avec_historique(demo):
    assert Participant.objects.count() == 2 * TAILLE
    statuts = Counter(Parcours.objects.values_list("statut", flat=True))
    assert set(statuts) == set(Statut.values)
    suivis = Parcours.objects.filter(statut=Statut.EN_ACCOMPAGNEMENT)
    assert all(p.transitions.count() == 4 for p in suivis)
    # L'historique est daté dans le passé, dans l'ordre des transitions.
    for parcours in Parcours.objects.filter(statut=Statut.SORTI):
        dates = list(parcours.transitions.order_by("id").values_list("at", flat=True))
        assert dates == sorted(dates)
        assert dates[0].date() > parcours.date_prescription


def test_demo_idempotente(demo):
    avant = (User.objects.count(), Participant.objects.count(), TransitionParcours.objects.count())
    call_command("charger_demo", participants=TAILLE)
    call_command("charger_demo", "--si-vide")
    assert (
        User.objects.count(),
        Participant.objects.count(),
        TransitionParcours.objects.count(),
    ) == avant


def test_referent_de_demo_a_un_portefeuille_dans_un_seul_plie(demo):
    referent = User.objects.get(username="referent.agenais")
    visibles = acces.parcours_visibles(referent)
    assert visibles.exists()
    assert set(visibles.values_list("plie__code", flat=True)) == {"agenais"}
    assert set(visibles.values_list("referent", flat=True)) == {referent.pk}
