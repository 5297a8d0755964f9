"""La liste des participants à l'échelle : compte borné, tailles de page bornées, recherche
indexée (EXPLAIN), nombre de requêtes constant avec recherche et filtre."""

import json

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


@pytest.mark.parametrize(
    ("role", "params", "fenetre"),
    [
        # Tout un PLIE par nom : la page s'arrête à sa dernière ligne dans l'index, la liste est
        # comptée à part (borné).
        (Role.ANIMATEUR, {}, False),
        (Role.ANIMATEUR, {"tri": "-nom"}, False),
        # Un autre ordre, ou ses seuls parcours visibles : la page lit toute la liste pour la
        # trier et la compte en passant (fenêtre), pas de COUNT à part.
        (Role.ANIMATEUR, {"tri": "etat"}, True),
        (Role.PRESCRIPTEUR, {}, True),
    ],
)
def test_compte_borne_au_dela_de_la_limite(client, monde, monkeypatch, role, params, fenetre):
    monkeypatch.setattr(PaginateurBorne, "limite", 4)
    for _ in range(6):
        parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(role))
    params = {"taille": 2, **params}
    response = client.get(LISTE, params)
    assert response.status_code == 200
    assert "Participants — plus de 4" in response.content.decode()
    premiere = [q["sql"] for q in _requetes(client, params)]
    assert any("COUNT(*) OVER ()" in sql for sql in premiere) == fenetre
    a_part = [sql for sql in premiere if sql.startswith("SELECT COUNT(*)")]
    assert len(a_part) == (0 if fenetre else 1)
    assert all("LIMIT 5" in sql for sql in a_part)
    # Pages suivantes : un compte borné (LIMIT limite + 1), jamais toute la liste.
    suivante = {**params, "apres": response.context["page_obj"].suivante}
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
    qs = Participant.objects.recherche("eloise lef").order_by()
    _servi_par_l_index_trigramme_si_le_serveur_l_a(qs, "participant_recherche_trgm")


def _servi_par_l_index_trigramme_si_le_serveur_l_a(qs, index: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index])
        index_pose = cursor.fetchone() is not None
    # La migration pose l'index exactement quand le serveur a l'extension.
    assert index_pose == _serveur_a_pg_trgm()
    if not index_pose:
        return
    # Sans tri ni parcours d'index complet : il ne reste que l'index trigramme (ou rien).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = _plan(qs)
    assert index in plan, plan


def test_filtre_de_commune_servi_par_l_index_trigramme_si_le_serveur_l_a(client, monde):
    """Le filtre « commune » (`icontains`) : même réponse avec ou sans pg_trgm ; avec, l'index
    trigramme de la commune (migration participants 0007) sert `UPPER(commune) LIKE '%…%'` au
    lieu de lire toutes les personnes du pays."""
    for commune in ("Sainte-Livrade-sur-Lot", "Agen", "Le Passage"):
        parcours_en(monde, Statut.PRESCRIT, participant=ParticipantFactory(commune_nom=commune))
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get(LISTE, {"commune": "LIVRADE"})
    assert [p.commune_nom for p in reponse.context["participants"]] == ["Sainte-Livrade-sur-Lot"]
    qs = Participant.objects.filter(commune_nom__icontains="livrade").order_by()
    _servi_par_l_index_trigramme_si_le_serveur_l_a(qs, "participant_commune_trgm")


@pytest.mark.parametrize("saisie", ["lefeb elo", "eloise", "ELOÏSE lef", "bvre"])
def test_la_recherche_trouve_chaque_mot_dans_le_nom_ou_le_prenom(saisie):
    """Même résultat que le serveur ait pg_trgm ou non : chaque mot n'importe où dans le nom ou
    le prénom (le prénom seul aussi)."""
    ParticipantFactory(nom="Lefèbvre", prenom="Éloïse")
    ParticipantFactory(nom="Martin", prenom="Louise")
    assert [p.nom for p in Participant.objects.recherche(saisie)] == ["Lefèbvre"]


def _noeuds(plan):
    yield plan
    for enfant in plan.get("Plans", []):
        yield from _noeuds(enfant)


def test_alertes_sondees_une_fois_par_ligne_du_plie(monde):
    """Filtres et tri avec « toutes les alertes » (banc au repos du 7 décembre) : la liste est
    celle de la définition, et les alertes ouvertes ne sont lues qu'une fois par ligne retenue
    du PLIE. Dans la barrière, le filtre était appliqué deux fois et PostgreSQL hachait les
    alertes ouvertes de tout le pays (66 000 sur la grande base)."""
    from viewflow.workflow.models import Process
    from viewflow.workflow.status import PROCESS

    from parcours.dossier.alertes import TypeAlerte
    from workflows.alertes.flows import AlerteFlow, type_parcours
    from workflows.participants.filtres import FiltresParticipants
    from workflows.participants.requete import resultats

    candidats = [parcours_en(monde, Statut.EN_ACCOMPAGNEMENT) for _ in range(4)]
    parcours_en(monde, Statut.PRESCRIT)
    alerte = {"flow_class": AlerteFlow, "artifact_content_type": type_parcours()}
    ouverte = {**alerte, "status": PROCESS.NEW, "data": {"type": TypeAlerte.SANS_CONTACT}}
    Process.objects.create(artifact_object_id=candidats[0].pk, **ouverte)
    Process.objects.create(artifact_object_id=candidats[1].pk, **ouverte)
    Process.objects.create(artifact_object_id=candidats[2].pk, status=PROCESS.DONE, **alerte)
    # Les alertes ouvertes du reste du pays (parcours hors du PLIE).
    Process.objects.bulk_create(
        Process(artifact_object_id=10**7 + i, **ouverte) for i in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE viewflow_process, accompagnement_parcours")
    params = {"statut": Statut.EN_ACCOMPAGNEMENT, "alerte": "toutes", "tri": "-referent"}
    lignes = resultats(FiltresParticipants(monde.user(Role.ANIMATEUR), params)).lignes
    assert sorted(ligne.pk for ligne in lignes) == sorted(p.pk for p in candidats[:2])

    sql, sql_params = lignes.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, sql_params)
        (ligne,) = cursor.fetchone()
    plan = (json.loads(ligne) if isinstance(ligne, str) else ligne)[0]["Plan"]
    # Le filtre n'est lu qu'une fois (la barrière ne le recopie pas), et chaque passage sur la
    # table des processus ne touche que des alertes du PLIE : lignes rendues et lignes écartées
    # par un filtre comptées ensemble, au plus une par candidat. Le hachage des alertes du pays
    # en lit 2 000 d'un coup ; une sonde d'index répétée (boucle imbriquée, ou jointure par
    # fusion qui relit les 3 alertes du PLIE, au choix du planificateur sur si peu de lignes)
    # en lit au plus 4 à chaque passage. Les lignes d'EXPLAIN sont des moyennes par boucle.
    processus = [n for n in _noeuds(plan) if n.get("Relation Name") == "viewflow_process"]
    assert len(processus) == 1, json.dumps(plan, indent=1)
    (noeud,) = processus
    lues = noeud["Actual Rows"] + noeud.get("Rows Removed by Filter", 0)
    lues += noeud.get("Rows Removed by Index Recheck", 0)
    assert lues <= len(candidats), json.dumps(plan, indent=1)
