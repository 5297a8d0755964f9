"""La liste des participants à l'échelle : compte borné, tailles de page bornées, recherche
indexée (EXPLAIN), nombre de requêtes constant avec recherche et filtre."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.participants.models import Participant
from tests.factories import ParticipantFactory, parcours_en
from workflows.pagination import PaginateurBorne

pytestmark = pytest.mark.django_db

LISTE = reverse("participants:index")


def test_compte_borne_au_dela_de_la_limite(client, monde, monkeypatch):
    monkeypatch.setattr(PaginateurBorne, "limite", 4)
    for _ in range(6):
        parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"taille": 2})
    assert response.status_code == 200
    assert "Participants — plus de 4" in response.content.decode()
    # Première page : le compte vient de la requête de la page (fenêtre), pas d'un COUNT à part.
    premiere = [q["sql"] for q in _requetes(client, {"taille": 2})]
    assert any("COUNT(*) OVER ()" in sql for sql in premiere)
    assert not any(sql.startswith("SELECT COUNT(*)") for sql in premiere)
    # Pages suivantes : un compte borné (LIMIT limite + 1), jamais toute la liste.
    suivante = {"taille": 2, "apres": response.context["page_obj"].suivante}
    page = client.get(LISTE, suivante)
    assert "Participants — plus de 4" in page.content.decode()
    compte = [q["sql"] for q in _requetes(client, suivante)]
    assert any("COUNT(*)" in sql and "LIMIT 5" in sql for sql in compte)


def _requetes(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LISTE, params).status_code == 200
    return ctx.captured_queries


@pytest.mark.parametrize(("taille", "attendu"), [("0", 1), ("-5", 1), ("100000", 100), ("x", 25)])
def test_taille_absurde_ramenee_avec_un_message(client, monde, taille, attendu):
    parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"taille": taille})
    assert response.status_code == 200
    assert response.context["paginator"].per_page == attendu
    assert f"{attendu} lignes par page" in response.content.decode()


def test_taille_valide_gardee_dans_les_liens(client, monde):
    for _ in range(3):
        parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"taille": 2})
    assert len(response.context["participants"]) == 2
    assert "taille=2&amp;apres=" in response.content.decode()


def test_requetes_constantes_avec_recherche_et_filtre(client, monde):
    client.force_login(monde.user(Role.ANIMATEUR))
    params = {"q": "dur", "statut": Statut.EN_ACCOMPAGNEMENT}
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, participant=ParticipantFactory(nom="Durand"))
    _requetes(client, params)  # première lecture : sessions et cache chauds
    avant = len(_requetes(client, params))
    for i in range(9):
        parcours_en(
            monde, Statut.EN_ACCOMPAGNEMENT, participant=ParticipantFactory(nom=f"Durand{i}")
        )
    response = client.get(LISTE, params)
    assert len(response.context["participants"]) == 10
    assert len(_requetes(client, params)) == avant


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Le petit jeu pousse le planificateur au parcours séquentiel : on lui demande s'il
        # EXISTE un plan indexé.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(ligne for (ligne,) in cursor.fetchall())


def _serveur_a_pg_trgm() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def test_recherche_servie_par_l_index_trigramme_si_le_serveur_l_a():
    """Avec pg_trgm (serveur PostgreSQL de la machine), l'index trigramme sert `LIKE '%mot%'` ;
    sans (serveur embarqué de `make test`), la migration n'en pose pas et la recherche trouve
    la même chose en parcourant la table (test suivant)."""
    ParticipantFactory(nom="Lefèbvre", prenom="Éloïse")
    qs = Participant.objects.all()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'participant_recherche_trgm'")
        index_pose = cursor.fetchone() is not None
    # La migration 0004 pose l'index exactement quand le serveur a l'extension.
    assert index_pose == _serveur_a_pg_trgm()
    if not index_pose:
        return
    # Sans tri ni parcours d'index complet : il ne reste que l'index trigramme (ou rien).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = _plan(qs.recherche("eloise lef").order_by())
    assert "participant_recherche_trgm" in plan, plan


@pytest.mark.parametrize("saisie", ["lefeb elo", "eloise", "ELOÏSE lef", "bvre"])
def test_la_recherche_trouve_chaque_mot_dans_le_nom_ou_le_prenom(saisie):
    """Même résultat que le serveur ait pg_trgm ou non : chaque mot n'importe où dans le nom ou
    le prénom (le prénom seul aussi)."""
    ParticipantFactory(nom="Lefèbvre", prenom="Éloïse")
    ParticipantFactory(nom="Martin", prenom="Louise")
    assert [p.nom for p in Participant.objects.recherche(saisie)] == ["Lefèbvre"]
