"""Le marqueur « dernier parcours de la personne dans son PLIE »
(`Parcours.dernier_du_plie`), tenu par PostgreSQL (migration accompagnement 0015) : après
réentrée, parcours antidaté, effacement, écriture d'une instance périmée, deux créations
simultanées ; après reprise : tests/reprise/test_dernier_parcours.py."""

import datetime

import pytest
from django.db import IntegrityError, connections, transaction

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from tests.concurrence import pendant_que
from tests.factories import ParcoursFactory, ParticipantFactory, parcours_en

UN_AN = datetime.timedelta(days=365)


def attendus() -> set[int]:
    """Le dernier parcours de chaque (personne, PLIE), calculé en Python."""
    derniers = {}
    for p in Parcours.objects.order_by("date_prescription", "id").values(
        "id", "participant_id", "plie_id"
    ):
        derniers[(p["participant_id"], p["plie_id"])] = p["id"]
    return set(derniers.values())


def marques() -> set[int]:
    return set(Parcours.objects.filter(dernier_du_plie=True).values_list("id", flat=True))


@pytest.mark.django_db
def test_reentree_le_nouveau_parcours_devient_le_dernier(monde):
    ancien = parcours_en(monde, Statut.SORTI)
    assert marques() == {ancien.pk}
    nouveau = ParcoursFactory(participant=ancien.participant, plie=monde.plie1, precedent=ancien)
    assert marques() == {nouveau.pk}
    # L'autre PLIE a son propre dernier pour la même personne.
    ailleurs = ParcoursFactory(participant=ancien.participant, plie=monde.plie2)
    assert marques() == {nouveau.pk, ailleurs.pk} == attendus()


@pytest.mark.django_db
def test_parcours_antidate_et_date_changee(monde):
    recent = parcours_en(monde, Statut.SORTI)
    ancien = ParcoursFactory(
        participant=recent.participant,
        plie=monde.plie1,
        date_prescription=recent.date_prescription - UN_AN,
    )
    assert marques() == {recent.pk}  # la date compte, pas l'ordre de création
    Parcours.objects.filter(pk=ancien.pk).update(date_prescription=recent.date_prescription + UN_AN)
    assert marques() == {ancien.pk}


@pytest.mark.django_db
def test_l_application_n_ecrit_pas_le_marqueur(monde):
    premier = parcours_en(monde, Statut.SORTI)
    perime = Parcours.objects.get(pk=premier.pk)  # chargé quand il était le dernier
    second = ParcoursFactory(participant=premier.participant, plie=monde.plie1)
    assert perime.dernier_du_plie
    perime.save()  # écrit toutes les colonnes, dont un `dernier` périmé : ignoré
    assert marques() == {second.pk}
    Parcours.objects.filter(pk=premier.pk).update(dernier_du_plie=True)
    assert marques() == {second.pk}


@pytest.mark.django_db
def test_effacer_le_dernier_rend_la_main_au_precedent(monde):
    premier = parcours_en(monde, Statut.SORTI)
    second = ParcoursFactory(participant=premier.participant, plie=monde.plie1)
    second.delete()
    assert marques() == {premier.pk}


@pytest.mark.django_db
def test_la_contrainte_refuse_deux_derniers(monde):
    premier = parcours_en(monde, Statut.SORTI)
    second = ParcoursFactory(participant=premier.participant, plie=monde.plie1)
    with pytest.raises(IntegrityError), transaction.atomic(), connections["default"].cursor() as c:
        # Sans la garde (déclencheurs imbriqués simulés), l'unicité partielle tient.
        c.execute("SET LOCAL session_replication_role = replica")
        c.execute(
            "UPDATE accompagnement_parcours SET dernier_du_plie = true WHERE id = %s", [premier.pk]
        )
    assert marques() == {second.pk}


@pytest.mark.django_db(transaction=True)
def test_deux_parcours_crees_en_meme_temps_pour_la_meme_personne(monde):
    """Le second attend le verrou de la personne, pris par le premier, puis se voit le dernier."""
    personne = ParticipantFactory()
    crees = {}

    def creer(cle):
        parcours = ParcoursFactory(participant=personne, plie=monde.plie1, statut=Statut.SORTI)
        crees[cle] = parcours.pk

    pendant_que(lambda: creer("premier"), lambda: creer("second"))
    assert crees["premier"] < crees["second"]
    assert marques() == {crees["second"]} == attendus()
