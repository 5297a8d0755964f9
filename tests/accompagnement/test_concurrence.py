"""Deux transitions simultanées sur un même parcours, par deux vraies connexions PostgreSQL."""

import threading

import pytest
from django.db import connection, connections, transaction

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.errors import ConflitTransition
from tests.factories import parcours_en


@pytest.mark.django_db(transaction=True)
def test_une_seule_des_deux_decisions_concurrentes_l_emporte(monde):
    parcours = parcours_en(monde, Statut.EN_COMMISSION_ENTREE)
    membre_1 = monde.user(Role.DIRECTION)
    membre_2 = monde.user(Role.ANIMATEUR)
    referent = monde.user(Role.REFERENT)

    premier_a_ecrit = threading.Event()
    resultats = {}

    def admettre():
        # Connexion 1 : lit, décide et garde la ligne verrouillée jusqu'à ce que l'autre ait tenté.
        try:
            with transaction.atomic():
                p = Parcours.objects.get(pk=parcours.pk)
                p.admettre(par=membre_1, referent=referent)
                p.save()
                premier_a_ecrit.set()
                # Laisse le second UPDATE se mettre en attente du verrou de ligne.
                threading.Event().wait(0.5)
            resultats["admettre"] = "ok"
        except Exception as exc:  # rapporté au fil principal
            resultats["admettre"] = exc
        finally:
            connections.close_all()

    # Connexion 2 : a lu l'état « en commission » avant que la première décision ne soit validée.
    concurrent = Parcours.objects.get(pk=parcours.pk)
    fil = threading.Thread(target=admettre)
    fil.start()
    assert premier_a_ecrit.wait(10)
    concurrent.refuser(par=membre_2, motif="Non prioritaire")
    with pytest.raises(ConflitTransition, match="vient d'être modifié par une autre personne"):
        concurrent.save()
    fil.join(10)

    assert resultats["admettre"] == "ok"
    gagnant = Parcours.objects.get(pk=parcours.pk)
    assert gagnant.statut == Statut.ADMIS
    journal = list(gagnant.transitions.values_list("transition", "par"))
    assert journal[-1] == ("admettre", membre_1.pk)
    assert ("refuser", membre_2.pk) not in journal
    assert connection.vendor == "postgresql"
