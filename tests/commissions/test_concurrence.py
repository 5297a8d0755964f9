"""Deux membres décident le même dossier au même moment, sur deux vraies connexions PostgreSQL."""

import threading

import pytest
from django.db import connection, connections, transaction

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import TypeDecision
from parcours.commissions.errors import DejaDecide
from parcours.commissions.models import Decision
from parcours.commissions.services import decider


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("seconde", "arguments"),
    [
        (TypeDecision.REFUSE, {"motif": "Non prioritaire"}),
        (TypeDecision.ADMIS, {"referent": "referent_b"}),
    ],
)
def test_une_seule_decision_est_gardee(commission, seconde, arguments):
    session = commission.session()
    dossier = commission.inscrit(session)
    premier_a_decide = threading.Event()
    resultats = {}

    def premier_membre():
        # Connexion 1 : décide, puis garde sa transaction ouverte le temps que l'autre tente.
        try:
            with transaction.atomic():
                decider(
                    session,
                    dossier,
                    TypeDecision.ADMIS,
                    par=commission.president,
                    referent=commission.referent,
                )
                premier_a_decide.set()
                threading.Event().wait(0.5)
            resultats["premier"] = "ok"
        except Exception as exc:  # rapporté au fil principal
            resultats["premier"] = exc
        finally:
            premier_a_decide.set()
            connections.close_all()

    # Connexion 2 (fil principal) : a ouvert le même dossier avant la première décision.
    if "referent" in arguments:
        arguments = {"referent": getattr(commission, arguments["referent"])}
    fil = threading.Thread(target=premier_membre)
    fil.start()
    assert premier_a_decide.wait(10)
    with pytest.raises(DejaDecide) as exc:
        decider(session, dossier, seconde, par=commission.membre, **arguments)
    fil.join(10)

    assert resultats["premier"] == "ok"
    assert f"Ce dossier a déjà été décidé par {commission.president} le " in str(exc.value)
    assert str(exc.value).endswith(": « Admis ».")
    (decision,) = Decision.objects.filter(session=session, parcours=dossier)
    assert (decision.type, decision.par, decision.referent) == (
        TypeDecision.ADMIS,
        commission.president,
        commission.referent,
    )
    gagnant = Parcours.objects.get(pk=dossier.pk)
    assert (gagnant.statut, gagnant.referent) == (Statut.ADMIS, commission.referent)
    journal = list(gagnant.transitions.values_list("transition", "par"))
    assert journal[-1] == ("admettre", commission.president.pk)
    assert [t for t, _ in journal].count("admettre") == 1
    assert ("refuser", commission.membre.pk) not in journal
    assert connection.vendor == "postgresql"
