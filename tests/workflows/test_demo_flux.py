import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import StatutSession
from parcours.commissions.models import SessionCommission
from parcours.core.models import User
from tests.demo_du_module import demo_du_module
from workflows import access as flux
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db


demo_chargee = demo_du_module(complete=False)


@pytest.fixture(scope="module")
def demo(demo_chargee, django_db_blocker):
    # Sur la copie du module (dossiers seuls) : les flux, une fois ; chaque test en transaction.
    with django_db_blocker.unblock():
        call_command("demo_flux", stdout=io.StringIO())


def test_chaque_role_a_du_travail_dans_sa_boite(demo):
    for code in ("agenais", "flandre-lys"):
        animateur = User.objects.get(username=f"animateur.{code}")
        a_prendre = list(flux.taches_a_prendre(animateur))
        assert a_prendre
        assert {t.flow_task for t in a_prendre} == {EntreeFlow.verifier_recevabilite}
        for referent in ("referent", "referent2"):
            user = User.objects.get(username=f"{referent}.{code}")
            (tache,) = flux.mes_taches(user)
            assert tache.flow_task == EntreeFlow.premier_entretien
            assert tache.process.artifact.statut == Statut.ADMIS
        prescripteurs = User.objects.filter(
            username__in=[f"prescripteur.{code}", f"prescripteur2.{code}"]
        )
        completer = [t for p in prescripteurs for t in flux.mes_taches(p)]
        assert completer
        assert {t.flow_task for t in completer} == {EntreeFlow.completer}
        assert {t.process.artifact.statut for t in completer} == {Statut.INCOMPLET}
        session = SessionCommission.objects.get(plie__code=code)
        president = User.objects.get(username=f"commission.{code}")
        assert session.president == president
        en_attente = session.inscriptions.filter(parcours__statut=Statut.EN_COMMISSION_ENTREE)
        # Les deux nouvelles recevables, et les recevables de la démo placés d'office à la
        # création de la séance : plus aucun dossier recevable n'attend (de son territoire, pour
        # une commission territoriale).
        noms = set(en_attente.values_list("parcours__participant__nom", flat=True))
        assert {"MORIN", "PERRIN"} <= {nom.upper() for nom in noms}
        recevables = Parcours.objects.filter(plie__code=code, statut=Statut.RECEVABLE)
        if session.territoire_id:
            recevables = recevables.filter(territoire_id=session.territoire_id)
        assert not recevables.exists()
        # La séance a lieu aujourd'hui : ses décisions s'enregistrent, elle est en cours.
        assert session.statut == StatutSession.EN_COURS
        assert timezone.localtime(session.date).date() == timezone.localdate()


def test_demo_flux_idempotente(demo):
    avant = EntreeFlow.task_class.objects.count()
    call_command("demo_flux")
    assert EntreeFlow.task_class.objects.count() == avant
    assert not EntreeFlow.task_class.objects.filter(status=STATUS.ERROR).exists()
