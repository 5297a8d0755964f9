"""L'accueil fait un nombre de requêtes borné (≤ 12) et constant, quel que soit le nombre de
dossiers et de tâches (issue 11, docs/PERFORMANCE.md) : « Mes tâches », « À prendre », alertes,
portefeuille du référent et vue du PLIE."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from tests.factories import parcours_en
from workflows.access import ANIMER_PLIE
from workflows.alertes.flows import AlerteFlow
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db

ACCUEIL = reverse("accueil:index")
PLAFOND = 12


def _dossiers(monde, nombre):
    """`nombre` dossiers par structure du PLIE 1, chacun avec une tâche du référent, une tâche
    dans la file de l'animation et une alerte ouverte."""
    for _ in range(nombre):
        for structure in ("a", "b"):
            parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure=structure)
            entree = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
            Task.objects.create(
                process=entree,
                flow_task=EntreeFlow.premier_entretien,
                owner=parcours.referent,
                status=STATUS.ASSIGNED,
            )
            Task.objects.create(
                process=entree,
                flow_task=EntreeFlow.verifier_recevabilite,
                owner_permission=ANIMER_PLIE,
                owner_permission_obj_pk=str(parcours.plie_id),
                status=STATUS.NEW,
            )
            alerte = Process.objects.create(
                flow_class=AlerteFlow, artifact=parcours, data={"type": "absence"}
            )
            Task.objects.create(
                process=alerte,
                flow_task=AlerteFlow.traiter,
                owner=parcours.referent,
                status=STATUS.ASSIGNED,
            )


def _requetes(client, user, filtres=None) -> int:
    client.force_login(user)
    client.get(ACCUEIL, filtres)  # caches du processus (types de contenu, flux) : hors mesure
    with CaptureQueriesContext(connection) as capture:
        response = client.get(ACCUEIL, filtres)
    assert response.status_code == 200
    return len(capture.captured_queries)


def test_l_accueil_montre_les_taches_creees(client, monde):
    """Le jeu du test arrive bien dans les boîtes : sinon, compter les requêtes ne prouverait
    rien."""
    _dossiers(monde, 2)
    client.force_login(monde.user(Role.REFERENT))
    contexte = client.get(ACCUEIL).context
    assert len(contexte["taches"]) == 4  # deux entretiens, deux alertes, de la structure « a »
    client.force_login(monde.user(Role.ANIMATEUR))
    contexte = client.get(ACCUEIL).context
    assert len(contexte["a_prendre"]) == 4
    assert contexte["plies"][0]["total"] == 4


@pytest.mark.parametrize(("maximum", "en_plus"), [(3, True), (4, False)])
def test_une_boite_pleine_dit_qu_il_y_a_d_autres_taches(
    client, monde, monkeypatch, maximum, en_plus
):
    """Les boîtes montrent leurs `TACHES_MAX` premières tâches et disent s'il y en a d'autres (une
    ligne de plus lue, sans requête de plus : le test des requêtes constantes ci-dessus)."""
    monkeypatch.setattr("workflows.accueil.views.TACHES_MAX", maximum)
    _dossiers(monde, 2)  # quatre tâches dans chaque boîte
    client.force_login(monde.user(Role.REFERENT))
    reponse = client.get(ACCUEIL)
    assert len(reponse.context["taches"]) == min(4, maximum)
    assert ('id="mes-taches-en-plus"' in reponse.content.decode()) is en_plus
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get(ACCUEIL)
    titre = f"À prendre (plus de {maximum})" if en_plus else "À prendre (4)"
    assert titre in reponse.content.decode()


# Sans filtre, puis les groupes, résumé et filtres des boîtes (issue 12) : toujours constants.
FILTRES = [
    None,
    {"quand": "retard"},
    {"quand": "semaine"},
    {"type": "AlerteFlow.traiter"},
    {"type": "EntreeFlow.verifier_recevabilite", "quand": "aujourdhui"},
    {"quand": "inconnu", "type": "Inconnu.x", "territoire": "abc"},
]


@pytest.mark.parametrize(
    "role",
    [
        Role.REFERENT,
        Role.ANIMATEUR,
        Role.DIRECTION,
        Role.CRE,
        Role.PRESCRIPTEUR,
        Role.DONNEUR_ORDRE,
    ],
)
def test_accueil_en_requetes_constantes(client, monde, role):
    """Chaque filtre mesuré avec peu puis beaucoup de dossiers : les dossiers, longs à créer, le
    sont une fois par rôle et non une fois par filtre."""
    user = monde.user(role)
    _dossiers(monde, 1)
    peu = [_requetes(client, user, filtres) for filtres in FILTRES]
    _dossiers(monde, 4)
    beaucoup = [_requetes(client, user, filtres) for filtres in FILTRES]
    for filtres, avec_peu, avec_beaucoup in zip(FILTRES, peu, beaucoup, strict=True):
        assert avec_beaucoup == avec_peu, filtres
        assert avec_peu <= PLAFOND, filtres
