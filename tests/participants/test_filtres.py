"""Les filtres et le tri de la liste des participants : chaque filtre restreint, une valeur
inconnue est ignorée avec un message (jamais une erreur), requêtes constantes avec les filtres,
rien d'un autre PLIE."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.dossier.alertes import TypeAlerte
from tests.conftest import Monde
from tests.factories import ParticipantFactory, parcours_en
from workflows.alertes.verification import processus_d_alerte

pytestmark = pytest.mark.django_db

LISTE = reverse("participants:index")


def _noms(response):
    return [ligne.participant.nom for ligne in response.context["lignes"]]


def _suivi(monde, nom, structure="a", plie=1, **champs):
    parcours = parcours_en(
        monde,
        Statut.EN_ACCOMPAGNEMENT,
        structure=structure,
        plie=plie,
        participant=ParticipantFactory(nom=nom, **champs),
    )
    return parcours


def _alerte(parcours, type_alerte):
    """Une alerte ouverte sur le parcours (processus d'alerte, comme `verifier_alertes`)."""
    from viewflow.workflow.models import Process

    from workflows.alertes.flows import AlerteFlow, type_parcours

    Process.objects.create(
        flow_class=AlerteFlow,
        artifact_content_type=type_parcours(),
        artifact_object_id=parcours.pk,
        status=PROCESS.NEW,
        data={"type": type_alerte, "cle": "x"},
    )


def _creer_liste(monde):
    a = _suivi(monde, "Alpha", structure="a", commune_nom="Agen")
    b = _suivi(monde, "Bravo", structure="b", commune_nom="Nérac")
    c = parcours_en(monde, Statut.PRESCRIT, participant=ParticipantFactory(nom="Charlie"))
    Parcours.objects.filter(pk=a.pk).update(date_entree=datetime.date(2026, 1, 10))
    Parcours.objects.filter(pk=b.pk).update(date_entree=datetime.date(2026, 6, 10))
    _alerte(a, TypeAlerte.SANS_CONTACT)
    _alerte(b, TypeAlerte.RQTH)
    processus_d_alerte().filter(artifact_object_id=b.pk).update(status=PROCESS.DONE)
    return {"a": a, "b": b, "c": c}


@pytest.fixture(scope="module")
def _jeu(django_db_setup, django_db_blocker):
    """Le monde et les trois dossiers, créés une fois pour le module (les cas ne font que lire ;
    ce que chacun écrit, comme sa session, est annulé à la fin du cas)."""
    with django_db_blocker.unblock(), transaction.atomic():
        monde = Monde()
        # Les comptes créés ici : créés dans un cas, `Monde.user` les garderait après l'annulation.
        for role, plie in ((Role.ANIMATEUR, 1), (Role.ANIMATEUR, 2), (Role.REFERENT, 1)):
            monde.user(role, plie=plie)
        yield monde, _creer_liste(monde)
        transaction.set_rollback(True)


@pytest.fixture
def monde(_jeu, db):
    return _jeu[0]


@pytest.fixture
def liste(_jeu, db):
    return _jeu[1]


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({}, ["Alpha", "Bravo", "Charlie"]),
        ({"statut": Statut.PRESCRIT}, ["Charlie"]),
        ({"commune": "nér"}, ["Bravo"]),
        ({"entree_du": "2026-02-01"}, ["Bravo"]),
        ({"entree_au": "01/02/2026"}, ["Alpha"]),
        ({"entree_du": "2026-01-01", "entree_au": "2026-12-31"}, ["Alpha", "Bravo"]),
        ({"alerte": "toutes"}, ["Alpha"]),
        ({"alerte": TypeAlerte.SANS_CONTACT}, ["Alpha"]),
        ({"alerte": TypeAlerte.RQTH}, []),  # alerte close : ne compte plus
        ({"tri": "-nom"}, ["Charlie", "Bravo", "Alpha"]),
        ({"tri": "entree"}, ["Alpha", "Bravo", "Charlie"]),  # sans date : en dernier
        ({"tri": "-entree"}, ["Bravo", "Alpha", "Charlie"]),
        ({"tri": "etat", "statut": Statut.EN_ACCOMPAGNEMENT}, ["Alpha", "Bravo"]),
    ],
)
def test_chaque_filtre_restreint_la_liste(client, monde, liste, parametres, attendus):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, parametres)
    assert response.status_code == 200
    assert _noms(response) == attendus


def test_filtres_par_referent_structure_et_territoire(client, monde, liste):
    client.force_login(monde.user(Role.ANIMATEUR))
    referent_b = liste["b"].referent
    par_referent = client.get(
        LISTE, {"referent": f"{referent_b.get_full_name()} (n° {referent_b.pk})"}
    )
    assert _noms(par_referent) == ["Bravo"]
    structure_b = liste["b"].structure_referente_id
    assert _noms(client.get(LISTE, {"structure": structure_b})) == ["Bravo"]
    # Structure prescriptrice aussi : Charlie, prescrit par la structure A, pas encore suivi.
    prescriptrice_a = liste["c"].structure_prescriptrice_id
    assert "Charlie" in _noms(client.get(LISTE, {"structure": prescriptrice_a}))
    territoire = monde.territoire(1).pk
    assert _noms(client.get(LISTE, {"territoire": territoire})) == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"statut": "evapore"}, "État « evapore » inconnu : filtre ignoré."),
        ({"alerte": "incendie"}, "Alerte « incendie » inconnu : filtre ignoré."),
        ({"tri": "salaire"}, "Tri « salaire » inconnu : filtre ignoré."),
        ({"structure": "abc"}, "Structure « abc » inconnu : filtre ignoré."),
        ({"structure": "99999999"}, "Structure « 99999999 » inconnu : filtre ignoré."),
        ({"territoire": "-1"}, "Territoire « -1 » inconnu : filtre ignoré."),
        ({"entree_du": "31/02/2026"}, "n'est pas une date"),
        ({"entree_au": "demain"}, "n'est pas une date"),
        ({"referent": "Dupont"}, "n'est pas une proposition de la liste"),
        ({"taille": "7000"}, "100 lignes par page"),
    ],
)
def test_valeur_inconnue_ignoree_avec_un_message(client, monde, liste, parametres, message):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, parametres)
    assert response.status_code == 200
    page = response.content.decode()
    from django.utils.html import escape

    assert escape(message) in page
    assert _noms(response) == ["Alpha", "Bravo", "Charlie"]


def test_structure_d_un_autre_plie_ignoree(client, monde, liste):
    client.force_login(monde.user(Role.ANIMATEUR))
    autre = monde.structure("operateur", "a", 2).pk
    response = client.get(LISTE, {"structure": autre})
    assert _noms(response) == ["Alpha", "Bravo", "Charlie"]
    assert f"Structure « {autre} » inconnu" in response.content.decode()


def test_dates_inversees_echangees(client, monde, liste):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"entree_du": "2026-12-31", "entree_au": "2026-02-01"})
    assert _noms(response) == ["Bravo"]
    assert "les deux dates sont échangées" in response.content.decode()


def test_les_filtres_suivent_les_liens_de_page_et_de_tri_et_l_export(client, monde, liste):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"statut": Statut.EN_ACCOMPAGNEMENT, "tri": "-nom", "taille": 1})
    page = response.content.decode()
    assert "statut=en_accompagnement&amp;tri=-nom&amp;taille=1&amp;apres=" in page
    # Le lien de tri inverse le sens de la colonne triée et garde les filtres.
    assert "?statut=en_accompagnement&amp;tri=nom&amp;taille=1" in page
    assert "export/csv/?statut=en_accompagnement&amp;tri=-nom" in page


@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.REFERENT])
def test_requetes_constantes_avec_tous_les_filtres(client, monde, role):
    user = monde.user(role)
    client.force_login(user)
    params = {
        "statut": Statut.EN_ACCOMPAGNEMENT,
        "commune": "ag",
        "entree_du": "2020-01-01",
        "alerte": "toutes",
        "territoire": monde.territoire(1).pk,
        "structure": monde.structure("operateur").pk,
        "tri": "-referent",
        "q": "dur",
    }

    def compter():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LISTE, params)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["lignes"])

    def ajouter(n):
        for i in range(n):
            p = _suivi(monde, f"Durand{i}{n}", commune_nom="Agen")
            _alerte(p, TypeAlerte.SANS_CONTACT)

    ajouter(1)
    compter()
    petit = compter()
    ajouter(9)
    grand = compter()
    assert (petit[1], grand[1]) == (1, 10)
    assert petit[0] == grand[0]
    assert grand[0] <= 12


def test_autre_plie_liste_vide_et_fiche_404(client, monde, liste):
    """L'animateur du PLIE voisin : aucune ligne, même filtrée ou cherchée ; 404 sur la fiche."""
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    for params in ({}, {"q": "alpha"}, {"q": "alpah"}, {"statut": Statut.EN_ACCOMPAGNEMENT}):
        assert _noms(client.get(LISTE, params)) == [], params
    fiche = reverse("participants:detail", args=[liste["a"].participant_id])
    assert client.get(fiche).status_code == 404


@pytest.mark.parametrize(
    "saisie",
    ["%", "_", "Q", "p0", "9" * 30, "abc\x00def", "'; DROP TABLE x; --", "é" * 300, "31/02/2000"],
)
@pytest.mark.parametrize("format", ["", "csv"])
def test_saisie_hostile_jamais_d_erreur(client, monde, liste, saisie, format):
    client.force_login(monde.user(Role.ANIMATEUR))
    url = reverse("participants:export", args=[format]) if format else LISTE
    response = client.get(url, {"q": saisie, "tri": saisie, "structure": saisie})
    assert response.status_code == 200
    if format:
        assert b"".join(response.streaming_content).startswith("\ufeff".encode())
    else:
        assert "Alpha" not in _noms(response)
