"""La recherche d'une personne : numéro, date de naissance, nom avec une faute ; la découpe en
trigrammes, la même en Python et en SQL (l'index lui-même : test_trigrammes_par_plie.py)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.participants.recherche import lire, seuil, trigrammes
from tests.factories import ParticipantFactory, parcours_en, suivis_en_bloc

pytestmark = pytest.mark.django_db

LISTE = reverse("participants:index")


def _sql_trigrammes(texte):
    with connection.cursor() as cursor:
        cursor.execute("SELECT t FROM participants_trigrammes(%s) AS t", [texte])
        return {t for (t,) in cursor.fetchall()}


@pytest.mark.parametrize("texte", ["dur", "lambert marie", "n guyen", "a", "jean pierre jean"])
def test_trigrammes_python_et_sql_identiques(texte):
    assert set(trigrammes(texte)) == _sql_trigrammes(texte)


def test_trigrammes_d_un_mot():
    assert trigrammes("Dur") == ["  d", " du", "dur", "ur "]
    assert seuil(trigrammes("lambrt")) == 3


def test_saisie_lue_en_numeros_dates_et_mots():
    saisie = lire("P000041 41 p7 12/03/1985 1985-03-13 Lefèbvre 31/02/2000")
    assert saisie.numeros == [41, 41, 7]
    assert saisie.dates == [datetime.date(1985, 3, 12), datetime.date(1985, 3, 13)]
    # Une date impossible n'est pas une date : elle reste un mot (qui ne trouvera personne).
    assert saisie.mots == ["lefebvre", "31/02/2000"]


def _numeros(response):
    return [ligne.participant.pk for ligne in response.context["lignes"]]


@pytest.fixture
def trois(monde):
    return {
        nom: parcours_en(
            monde,
            Statut.EN_ACCOMPAGNEMENT,
            participant=ParticipantFactory(
                nom=nom, prenom=prenom, date_naissance=datetime.date(1985, 3, mois)
            ),
        ).participant
        for nom, prenom, mois in (
            ("Lambert", "Marie", 12),
            ("Durand", "Éloïse", 13),
            ("Martin", "Paul", 14),
        )
    }


@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.REFERENT, Role.PRESCRIPTEUR])
def test_recherche_par_numero_sous_toutes_ses_formes(client, monde, trois, role):
    cible = trois["Durand"]
    client.force_login(monde.user(role))
    for saisie in (cible.numero, str(cible.pk), f"p{cible.pk}", cible.numero.lower()):
        assert _numeros(client.get(LISTE, {"q": saisie})) == [cible.pk], saisie


@pytest.mark.parametrize("saisie", ["13/03/1985", "1985-03-13", "13.03.1985", "durand 13/03/1985"])
def test_recherche_par_date_de_naissance(client, monde, trois, saisie):
    client.force_login(monde.user(Role.ANIMATEUR))
    assert _numeros(client.get(LISTE, {"q": saisie})) == [trois["Durand"].pk]


@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [("lambrt", "Lambert"), ("LAMBRT", "Lambert"), ("duarnd", "Durand"), ("eloïze", "Durand")],
)
def test_recherche_avec_une_faute(client, monde, trois, saisie, attendu):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"q": saisie})
    assert response.context["approchee"] is True
    assert _numeros(response)[0] == trois[attendu].pk
    assert "voici les noms proches" in response.content.decode()


def test_recherche_exacte_ne_montre_pas_les_noms_proches(client, monde, trois):
    ParticipantFactory(nom="Lambertin")  # sans parcours : invisible de toute façon
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"q": "lambert"})
    assert response.context["approchee"] is False
    assert _numeros(response) == [trois["Lambert"].pk]


def test_recherche_ne_sort_pas_du_perimetre(client, monde, trois):
    """Le numéro, la date ou le nom d'une personne d'un autre PLIE : rien, ni exact ni proche."""
    ailleurs = parcours_en(
        monde, Statut.PRESCRIT, plie=2, participant=ParticipantFactory(nom="Lambertz")
    ).participant
    client.force_login(monde.user(Role.ANIMATEUR, plie=1))
    assert _numeros(client.get(LISTE, {"q": ailleurs.numero})) == []
    assert ailleurs.pk not in _numeros(client.get(LISTE, {"q": "lambertz"}))
    assert ailleurs.pk not in _numeros(client.get(LISTE, {"q": "lambrtz"}))
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    assert _numeros(client.get(LISTE, {"q": ailleurs.numero})) == [ailleurs.pk]


def _plan(queryset) -> list[dict]:
    """Les nœuds du plan, le parcours séquentiel interdit (le petit jeu le ferait préférer) :
    y a-t-il un plan indexé ?"""
    import json

    from django.db import transaction

    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as curseur:
        curseur.execute("SET LOCAL enable_seqscan = off")
        curseur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (ligne,) = curseur.fetchone()
    plan = (json.loads(ligne) if isinstance(ligne, str) else ligne)[0]["Plan"]

    def noeuds(noeud):
        yield noeud
        for enfant in noeud.get("Plans", []):
            yield from noeuds(enfant)

    return list(noeuds(plan))


def _lecture_complete(noeud) -> bool:
    return noeud["Node Type"] == "Seq Scan" or (
        noeud["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in noeud
    )


@pytest.mark.parametrize("saisie", ["lambrt", "P000001", "13/03/1985"])
def test_recherche_servie_par_les_index(monde, trois, saisie):
    """Noms proches : par l'index (PLIE, trigramme, personne), jamais toute la table des personnes ;
    numéro et date : par la clé et l'index de la date."""
    from workflows.participants.filtres import FiltresParticipants
    from workflows.participants.requete import resultats

    # Des statistiques d'une vraie table : 5 000 noms variés, suivis dans le PLIE voisin
    # (invisibles à l'animateur du premier, mais indexés).
    suivis_en_bloc(
        parcours_en(monde, Statut.PRESCRIT, plie=2),
        5000,
        "X",
        "translate(substr(md5(g::text), 1, 8), '0123456789', 'aeiouybcdr') || ' ' || "
        "translate(substr(md5(g::text), 9, 6), '0123456789', 'aeiouybcdr')",
    )
    filtres = FiltresParticipants(monde.user(Role.ANIMATEUR), {"q": saisie})
    noeuds = _plan(resultats(filtres).lignes)
    personnes = [n for n in noeuds if n.get("Relation Name") == "participants_participant"]
    assert personnes and not any(_lecture_complete(n) for n in personnes)
    trigrammes_lus = [n for n in noeuds if n.get("Relation Name") == "participants_trigramme"]
    assert not any(_lecture_complete(n) for n in trigrammes_lus)
    if saisie == "lambrt":
        # Par les trigrammes saisis, ou (petit PLIE) par la clé de chaque personne du PLIE : les
        # trigrammes ne sont comptés que pour elles (test_recherche_echelle.py).
        conditions = [n.get("Index Cond", n.get("Recheck Cond", "")) for n in trigrammes_lus]
        assert any(
            ("trigramme" in c and "ANY" in c) or "participant_id =" in c for c in conditions
        ), conditions
