"""La recherche avec une faute à l'échelle (issue 11, docs/PERFORMANCE.md, 6 décembre au soir) :
les trigrammes ne sont comptés que pour les personnes du PLIE de l'animateur, une seule fois, et
la liste reste celle que donne la définition (assez de trigrammes en commun, du plus proche au
moins proche, puis par nom)."""

import json

import pytest
from django.db import connection, transaction

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.participants.models import Participant
from parcours.participants.recherche import seuil, trigrammes
from tests.factories import ParticipantFactory, parcours_en, suivis_en_bloc
from workflows.participants.filtres import FiltresParticipants
from workflows.participants.requete import resultats

pytestmark = pytest.mark.django_db

NOMS = ("Lambert", "Lambertin", "Lampert", "Blambert", "Lamy", "Dambert", "Durand", "Lambrette")
HOMONYMES = 2000  # des « Lambert » suivis dans le PLIE voisin : hors de la liste de l'animateur


@pytest.fixture
def jeu(monde):
    """Les mêmes noms dans les deux PLIE, et des homonymes dans le voisin (un pays de Lambert)."""
    visibles = [
        parcours_en(
            monde, Statut.PRESCRIT, participant=ParticipantFactory(nom=nom, prenom=prenom)
        ).participant
        for nom in NOMS
        for prenom in ("Marie", "Paul")
    ]
    voisins = [
        parcours_en(monde, Statut.PRESCRIT, plie=2, participant=ParticipantFactory(nom=nom))
        for nom in NOMS[:3]
    ]
    suivis_en_bloc(
        voisins[0],
        HOMONYMES,
        "Lambert",
        "'lambert ' || translate(substr(md5(g::text), 1, 6), '0123456789', 'aeiouybcdr')",
    )
    return visibles


def _attendus(personnes, saisie):
    """La définition, en Python : au moins `seuil` trigrammes en commun ; du plus proche au
    moins proche, puis nom, prénom, numéro."""
    saisis = set(trigrammes(saisie))
    lignes = []
    for p in Participant.objects.filter(pk__in=[p.pk for p in personnes]):
        communs = len(saisis & set(trigrammes(p.recherche)))
        if communs >= seuil(list(saisis)):
            lignes.append((-communs, p.nom, p.prenom, p.pk))
    return [pk for *_, pk in sorted(lignes)]


@pytest.mark.parametrize("saisie", ["lambrt", "lampret", "blambrt marie", "duarnd"])
def test_noms_proches_selon_la_definition(monde, jeu, saisie):
    filtres = FiltresParticipants(monde.user(Role.ANIMATEUR), {"q": saisie})
    trouves = resultats(filtres)
    assert trouves.approchee is True
    attendus = _attendus(jeu, saisie)
    assert len(attendus) >= 2  # sinon l'ordre ne prouverait rien
    assert [ligne.participant_id for ligne in trouves.lignes] == attendus


def _noeuds(plan):
    yield plan
    for enfant in plan.get("Plans", []):
        yield from _noeuds(enfant)


def test_trigrammes_comptes_pour_le_plie_seul_et_une_fois(monde, jeu):
    """EXPLAIN ANALYZE de la page : au plus une lecture des trigrammes saisis, toute lecture de
    l'index bornée au PLIE (`plie_id`), et le regroupement par personne ne reçoit que les
    trigrammes des personnes du PLIE (seize, pas les 2 000 homonymes du voisin)."""
    filtres = FiltresParticipants(monde.user(Role.ANIMATEUR), {"q": "lambrt"})
    sql, params = resultats(filtres).lignes.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as curseur:
        curseur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        (ligne,) = curseur.fetchone()
    plan = (json.loads(ligne) if isinstance(ligne, str) else ligne)[0]["Plan"]
    noeuds = list(_noeuds(plan))
    lus = [n for n in noeuds if n.get("Relation Name") == "participants_trigramme"]
    # Les trigrammes saisis lus une fois (hors sondes du rang, par personne et PLIE) ; chaque
    # lecture, lecture de la page comme sonde du rang, est bornée au PLIE.
    par_trigramme = [
        n
        for n in lus
        if "trigramme" in n.get("Index Cond", "") and "participant_id =" not in n["Index Cond"]
    ]
    assert len(par_trigramme) <= 1, json.dumps(plan, indent=1)
    conditions = [n.get("Index Cond", "") + n.get("Recheck Cond", "") for n in lus]
    assert conditions and all("plie_id" in c for c in conditions), json.dumps(plan, indent=1)
    # Le plus gros flot de lignes qui entre dans un regroupement par personne, en une passe
    # (`Actual Rows` est par passe : un tri relu dans une boucle n'est pas compté deux fois).
    regroupes = [
        enfant["Actual Rows"]
        for n in noeuds
        if n["Node Type"] == "Aggregate" and "participant_id" in str(n.get("Group Key"))
        for enfant in n.get("Plans", [])
    ]
    du_plie = len(jeu) * len(trigrammes("lambrt"))
    assert regroupes and max(regroupes) <= du_plie, json.dumps(plan, indent=1)
