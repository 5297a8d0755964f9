"""Les trigrammes de la recherche approchée, une ligne par (personne, PLIE de ses parcours,
trigramme), tenus par PostgreSQL (migration participants 0008) : à la création d'une personne et
de ses parcours, au renommage (un, en masse, anonymisation), quand un parcours change de PLIE ou
de personne, ou disparaît, ou quand ils sont tous vidés ; une personne écrite après ses parcours ;
un renommage et une création simultanés, dans un ordre ou dans l'autre, ne perdent rien. Après
chaque écriture, l'index est exactement sa définition."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.participants.models import Participant, Trigramme, trigrammes_proches
from parcours.participants.recherche import trigrammes
from parcours.rgpd.anonymisation import anonymiser
from tests.concurrence import pendant_que
from tests.factories import ParcoursFactory, ParticipantFactory, parcours_copies, parcours_en

pytestmark = pytest.mark.django_db


def index() -> set[tuple[int, int, str]]:
    return set(Trigramme.objects.values_list("participant_id", "plie_id", "trigramme"))


def definition() -> set[tuple[int, int, str]]:
    """Chaque personne, dans chaque PLIE où elle a un parcours : les trigrammes de sa forme de
    recherche (la découpe Python, identique à celle de SQL : test_recherche.py)."""
    formes = dict(Participant.objects.values_list("pk", "recherche"))
    return {
        (personne, plie, t)
        for personne, plie in Parcours.objects.values_list("participant_id", "plie_id")
        for t in trigrammes(formes[personne])
    }


def versions() -> set[tuple[int, str]]:
    """Chaque ligne de l'index et sa version (une ligne réécrite change de `xmin`)."""
    return set(Trigramme.objects.annotate(v=RawSQL("xmin::text", [])).values_list("pk", "v"))


def plies_de(personne) -> set[int]:
    return set(Trigramme.objects.filter(participant=personne).values_list("plie_id", flat=True))


def test_une_personne_indexee_dans_chaque_plie_de_ses_parcours(monde):
    sans_parcours = ParticipantFactory(nom="Seule")
    lea = ParticipantFactory(nom="Lambert", prenom="Léa")
    assert index() == set()  # ni l'une ni l'autre n'a de parcours : la liste ne les montre pas
    ParcoursFactory(participant=lea, plie=monde.plie1, statut=Statut.SORTI)
    assert plies_de(lea) == {monde.plie1.pk}
    ParcoursFactory(participant=lea, plie=monde.plie1)  # réentrée dans le même PLIE
    ParcoursFactory(participant=lea, plie=monde.plie2)
    assert plies_de(lea) == {monde.plie1.pk, monde.plie2.pk}
    assert index() == definition()
    lea.nom = "Durand"
    lea.save()
    assert {t for _, _, t in index()} == set(trigrammes("durand lea"))
    assert index() == definition()
    assert not Trigramme.objects.filter(participant=sans_parcours).exists()


def test_parcours_deplace_rattache_ou_supprime(monde):
    parcours = parcours_en(monde, Statut.PRESCRIT)
    personne = parcours.participant
    Parcours.objects.filter(pk=parcours.pk).update(plie=monde.plie2)
    assert plies_de(personne) == {monde.plie2.pk}  # plus de parcours dans le premier PLIE
    autre = ParticipantFactory(nom="Autre")
    Parcours.objects.filter(pk=parcours.pk).update(participant=autre)
    assert plies_de(personne) == set() and plies_de(autre) == {monde.plie2.pk}
    assert index() == definition()
    # Une écriture qui ne déplace rien ne réécrit pas l'index (mêmes lignes, mêmes versions).
    avant = versions()
    Parcours.objects.filter(pk=parcours.pk).update(statut=Statut.EN_ACCOMPAGNEMENT)
    assert versions() == avant
    Parcours.objects.filter(pk=parcours.pk).delete()
    assert index() == set()


def test_ecritures_en_masse_apres_une_ecriture_d_une_ligne(monde):
    """Même session : une ligne (le plan d'une requête statique serait gardé), puis toutes."""
    parcours = [parcours_en(monde, Statut.PRESCRIT) for _ in range(4)]
    Participant.objects.filter(pk=parcours[0].participant_id).update(recherche="seule")
    assert {t for p, _, t in index() if p == parcours[0].participant_id} == set(trigrammes("seule"))
    Participant.objects.update(recherche="masse commune")
    Parcours.objects.filter(pk=parcours[1].pk).update(plie=monde.plie2)
    Parcours.objects.all().update(plie=monde.plie2)
    assert index() == definition()
    assert {plie for _, plie, _ in index()} == {monde.plie2.pk}


def test_tous_les_parcours_vides(monde):
    parcours_en(monde, Statut.PRESCRIT)
    with connection.cursor() as curseur:
        curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pas de vérification en attente
        curseur.execute("TRUNCATE accompagnement_parcours CASCADE")
    assert index() == set()


def test_anonymisation(monde):
    parcours = parcours_en(monde, Statut.SORTI)
    avant = index()
    anonymiser(parcours.participant_id, fin=datetime.date(2020, 12, 31))
    assert index() != avant
    assert index() == definition()


def test_personne_ecrite_apres_ses_parcours(monde):
    """Clés différées (copie PLIE du générateur, chargement de données) : le parcours d'abord,
    rien à indexer ; l'insertion de la personne, dans la même transaction, l'indexe."""
    numero = Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        parcours = ParcoursFactory.build(plie=monde.plie1, territoire=monde.territoire1)
        parcours.participant_id = numero + 1  # pas encore écrite
        parcours.save()
        assert index() == set()
        ParticipantFactory(pk=numero + 1, nom="Tardive", prenom="Zoé")
        assert plies_de(numero + 1) == {monde.plie1.pk}
        assert index() == definition()


def test_parcours_ecrits_en_bloc(monde):
    """Une instruction pour plusieurs parcours et personnes (reprise, générateur)."""
    modele = parcours_en(monde, Statut.PRESCRIT)
    personnes = [ParticipantFactory(nom=f"Bloc{i}").pk for i in range(5)]
    parcours_copies(modele, personnes)
    assert all(plies_de(p) == {monde.plie1.pk} for p in personnes)
    assert index() == definition()


def test_proches_lus_dans_le_plie_seul(monde):
    def suivi(nom, prenom, plie=1):
        personne = ParticipantFactory(nom=nom, prenom=prenom)
        return parcours_en(monde, Statut.PRESCRIT, plie=plie, participant=personne).participant

    lambert, lamy, durand = (
        suivi("Lambert", "Marie"),
        suivi("Lamy", "Paul"),
        suivi("Durand", "Jean"),
    )
    voisin = suivi("Lambert", "Marie", plie=2)

    def proches(texte, plie=None):
        return set(Participant.objects.filter(pk__in=trigrammes_proches(texte, plie)))

    assert lambert in proches("lambrt", monde.plie1.pk)
    assert voisin not in proches("lambrt", monde.plie1.pk)
    assert voisin in proches("lambrt", monde.plie2.pk)
    assert lambert not in proches("lambrt", monde.plie2.pk)
    assert {lambert, voisin} <= proches("lambrt")
    assert durand not in proches("lambrt")
    assert proches("zzzz") == set()
    assert lamy not in proches("lambert")


@pytest.mark.django_db(transaction=True)
def test_renommage_puis_creation_simultanes(monde):
    """Le renommage n'est pas validé quand le parcours est créé : la création attend le verrou
    de la personne et indexe la nouvelle forme (sans verrou, le PLIE garderait l'ancienne)."""
    personne = ParticipantFactory(nom="Avant")
    pendant_que(
        lambda: Participant.objects.filter(pk=personne.pk).update(recherche="apres"),
        lambda: ParcoursFactory(participant=personne, plie=monde.plie1),
    )
    assert {t for _, _, t in index()} == set(trigrammes("apres"))
    assert index() == definition()


@pytest.mark.django_db(transaction=True)
def test_creation_puis_renommage_simultanes(monde):
    """L'inverse : le parcours n'est pas validé quand la personne est renommée ; le renommage
    attend, puis réécrit ses trigrammes dans le PLIE du nouveau parcours aussi."""
    personne = ParticipantFactory(nom="Avant")
    ParcoursFactory(participant=personne, plie=monde.plie2)
    pendant_que(
        lambda: ParcoursFactory(participant=personne, plie=monde.plie1),
        lambda: Participant.objects.filter(pk=personne.pk).update(recherche="apres"),
    )
    assert plies_de(personne) == {monde.plie1.pk, monde.plie2.pk}
    assert {t for _, _, t in index()} == set(trigrammes("apres"))
    assert index() == definition()
