"""L'import d'heures à l'échelle (issue 11) : le nombre de requêtes ne dépend pas du nombre de
lignes (contrôles et écriture ensemblistes), création et remplacement compris. La vitesse se
mesure avec le banc d'essai `bench/heures.py`, pas ici."""

import datetime
import gc
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from parcours.clauses.heures import ensembles, importer_heures
from parcours.clauses.models import HeuresRealisees, JournalHeures
from parcours.core.memoire import collecteur_suspendu
from tests.clauses.chantier_heures import Chantier, embaucher, fichier_csv, participant_du_plie
from tests.clauses.factories import CandidatExterneFactory

MOIS = ("2025-04", "2025-05", "2025-06", "2025-07", "2025-08")


@pytest.fixture
def c(monde):
    return Chantier(monde)


def _embauches(c, n):
    """`n` personnes embauchées sur le marché : une sur deux participante, l'autre externe."""
    personnes = []
    for i in range(n):
        if i % 2:
            personne = CandidatExterneFactory(plie=c.monde.plie1, created_by=c.facilitateur)
        else:
            personne = participant_du_plie(c.monde, sexe="F")
        embaucher(c.besoin, personne)
        personnes.append(personne)
    return personnes


def _fichier(c, personnes, mois, heures):
    return fichier_csv(
        *(c.ligne(personne=p.numero, mois=m, heures=heures) for p in personnes for m in mois)
    )


def _requetes_du_reimport(c, personnes):
    """Un premier import (les trois premiers mois), puis un second qui remplace ces trois mois
    et en ajoute deux : on compte les requêtes du second."""
    plie, par = c.monde.plie1, c.facilitateur
    importer_heures(plie, _fichier(c, personnes, MOIS[:3], "35"), "a.csv", par=par)
    with CaptureQueriesContext(connection) as requetes:
        resultat = importer_heures(plie, _fichier(c, personnes, MOIS, "70,5"), "b.csv", par=par)
    assert (resultat.creees, resultat.remplacees) == (2 * len(personnes), 3 * len(personnes))
    return len(requetes)


def test_nombre_de_requetes_independant_du_nombre_de_lignes(c):
    petit, grand = _embauches(c, 2), _embauches(c, 40)
    assert _requetes_du_reimport(c, petit) == _requetes_du_reimport(c, grand)  # 10 / 200 lignes
    assert HeuresRealisees.objects.count() == 5 * 42
    assert set(HeuresRealisees.objects.values_list("heures", flat=True)) == {Decimal("70.50")}
    # Chaque valeur fournie est journalisée : 3 créations, puis 3 remplacements + 2 créations.
    assert JournalHeures.objects.count() == 8 * 42
    remplacee = JournalHeures.objects.filter(ancien__isnull=False).first()
    assert (remplacee.ancien, remplacee.nouveau, remplacee.fichier) == (
        Decimal("35.00"),
        Decimal("70.50"),
        "b.csv",
    )
    assert remplacee.ligne.mois <= datetime.date(2025, 6, 1)


def test_le_ramasse_miettes_attend_la_fin_de_l_import(c, monkeypatch):
    """Ses passes complètes rendaient le contrôle de 20 000 lignes plus que linéaire : il est
    suspendu pendant le contrôle et l'écriture, et rétabli après, import refusé compris."""
    from parcours.clauses.heures import ImportRefuse, enregistrement

    vus, controler = [], enregistrement.controler

    def controler_observe(*args, **kwargs):
        vus.append(gc.isenabled())
        return controler(*args, **kwargs)

    monkeypatch.setattr(enregistrement, "controler", controler_observe)
    personnes = _embauches(c, 2)
    plie, par = c.monde.plie1, c.facilitateur
    assert gc.isenabled()
    importer_heures(plie, _fichier(c, personnes, MOIS[:1], "35"), "a.csv", par=par)
    with pytest.raises(ImportRefuse):
        importer_heures(plie, _fichier(c, personnes, MOIS[:1], "-3"), "b.csv", par=par)
    assert vus == [False, False]
    assert gc.isenabled()
    assert HeuresRealisees.objects.count() == 2


def test_collecteur_suspendu_laisse_suspendu_ce_qui_l_etait():
    gc.disable()
    try:
        with collecteur_suspendu():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError), collecteur_suspendu():
        raise ValueError("refus au milieu du bloc")
    assert gc.isenabled()


def test_lectures_ensemblistes_par_texte(c):
    """Les clés passent en un texte (`string_to_array`) : listes vides, un seul type, les deux,
    et la même réponse que l'ORM."""
    personnes = _embauches(c, 4)
    plie, par = c.monde.plie1, c.facilitateur
    importer_heures(plie, _fichier(c, personnes, MOIS[:2], "35"), "a.csv", par=par)
    assert ensembles.personnes_connues(plie.pk, [], []) == set()
    participant, externe = personnes[0], personnes[1]
    assert ensembles.personnes_connues(plie.pk, [participant.pk], []) == {
        ("participant", participant.pk)
    }
    assert ensembles.personnes_connues(plie.pk, [], [externe.pk, 10**9]) == {
        ("externe", externe.pk)
    }
    assert ensembles.heures_existantes(set()) == []
    avril, mai = datetime.date(2025, 4, 1), datetime.date(2025, 5, 1)
    autre = personnes[2]  # participante aussi
    cles = {("participant", participant.pk, avril), ("externe", externe.pk, mai)}
    # Des mois différents pour deux participants : la base rend aussi les autres mois de
    # chacun (mêmes personnes, mêmes mois), qui ne sont pas demandés.
    cles.add(("participant", autre.pk, mai))
    cles.add(("externe", externe.pk, datetime.date(2030, 1, 1)))  # rien ce mois-là
    lues = {e.pk for e in ensembles.heures_existantes(cles)}
    attendues = HeuresRealisees.objects.filter(
        Q(participant=participant, mois=avril)
        | Q(participant=autre, mois=mai)
        | Q(candidat_externe=externe, mois=mai)
    )
    assert lues == set(attendues.values_list("pk", flat=True))
    assert len(lues) == 3
    assert set(ensembles.verrouiller(lues)) == lues
