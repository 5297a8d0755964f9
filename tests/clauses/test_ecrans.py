"""Les écrans des clauses : chaque URL × chaque rôle (404 hors périmètre, connexion exigée),
formulaires en français, listes en nombre de requêtes constant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from parcours.accompagnement.enums import Statut
from parcours.clauses import services
from parcours.clauses.models import DonneurOrdre, Marche
from parcours.core.enums import Role, TypeStructure
from tests.clauses.factories import (
    BesoinFactory,
    EntrepriseFactory,
    LotFactory,
    MarcheFactory,
    OperationFactory,
)
from tests.factories import StructureFactory, membre, parcours_en
from workflows.clauses.flows import CandidatureFlow

pytestmark = pytest.mark.django_db

ROLES = (
    "facilitateur",
    "referent",
    "prescripteur",
    "animateur",
    "donneur_ordre",
    "cre",
    "autre_plie",
    "anonyme",
)


class Scene:
    """Le PLIE 1 : un donneur d'ordre avec ses comptes, une opération, un marché avec un lot et un
    besoin ouvert ; deux candidatures (un externe, un participant proposé par son référent)."""

    def __init__(self, monde):
        self.monde = monde
        self.facilitateur = monde.user(Role.FACILITATEUR)
        structure_do = StructureFactory(
            plie=monde.plie1, type=TypeStructure.DONNEUR_ORDRE, nom="Bailleur Habitat 47"
        )
        self.operation = OperationFactory(
            donneur_ordre__plie=monde.plie1, donneur_ordre__structure=structure_do
        )
        self.donneur_ordre = self.operation.donneur_ordre
        self.marche = MarcheFactory(operation=self.operation)
        self.lot = LotFactory(marche=self.marche)
        self.besoin = BesoinFactory(marche=self.marche, facilitateur=self.facilitateur)
        self.externe = services.proposer_candidature(
            par=self.facilitateur,
            besoin=self.besoin,
            candidat_externe=services.enregistrer_candidat_externe(
                par=self.facilitateur,
                plie=monde.plie1,
                nom="Externe",
                prenom="Sam",
                date_naissance=datetime.date(1970, 1, 1),
                sexe="H",
                rsa=True,
            ),
        )
        CandidatureFlow.start.run(positionnement=self.externe)
        self.parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
        self.du_referent = services.proposer_candidature(
            par=monde.user(Role.REFERENT),
            besoin=self.besoin,
            participant=self.parcours.participant,
        )
        CandidatureFlow.start.run(positionnement=self.du_referent)
        self.users = {
            "facilitateur": self.facilitateur,
            "referent": monde.user(Role.REFERENT),
            "prescripteur": monde.user(Role.PRESCRIPTEUR),
            "animateur": monde.user(Role.ANIMATEUR),
            "donneur_ordre": membre(Role.DONNEUR_ORDRE, structure_do),
            "cre": monde.user(Role.CRE),
            "autre_plie": monde.user(Role.FACILITATEUR, plie=2),
            "anonyme": None,
        }


@pytest.fixture
def scene(monde):
    return Scene(monde)


# URL -> (méthode, attendu par rôle dans l'ordre de ROLES). 302 : redirection (donneur d'ordre
# vers ses opérations, ou action faite) ; l'anonyme va toujours à la page de connexion.
LECTURE = (200, 404, 404, 200, 200, 404, 200)  # listes des donneurs d'ordre, opérations, marchés
FICHE = (200, 404, 404, 200, 200, 404, 404)
CREER = (200, 404, 404, 404, 404, 404, 200)
# Modifier : seul le facilitateur du PLIE ; qui n'a aucun droit de modification ne voit rien.
MODIFIER = (200, 404, 404, 404, 404, 404, 404)
MATRICE = {
    "index": ("get", lambda s: reverse("clauses:index"), (200, 200, 200, 200, 302, 404, 200)),
    "besoin": (
        "get",
        lambda s: reverse("clauses:besoin", args=[s.besoin.pk]),
        (200, 200, 200, 200, 404, 404, 404),
    ),
    "besoin_creer": ("get", lambda s: reverse("clauses:besoin_creer"), CREER),
    "besoin_proposer": (
        "get",
        lambda s: reverse("clauses:besoin_proposer", args=[s.besoin.pk]),
        (200, 200, 200, 404, 404, 404, 404),
    ),
    "besoin_diffuser": (
        "post",
        lambda s: reverse("clauses:besoin_diffuser", args=[s.besoin.pk]),
        (302, 403, 403, 403, 404, 404, 404),
    ),
    "besoin_clore": (
        "post",
        lambda s: reverse("clauses:besoin_clore", args=[s.besoin.pk]),
        # Une fois clos par le facilitateur, le besoin n'est plus une opportunité : le
        # prescripteur qui n'y a proposé personne ne le voit plus.
        (302, 403, 404, 403, 404, 404, 404),
    ),
    "candidature externe": (
        "get",
        lambda s: reverse("clauses:candidature", args=[s.externe.pk]),
        (200, 404, 404, 200, 404, 404, 404),
    ),
    "candidature du référent": (
        "get",
        lambda s: reverse("clauses:candidature", args=[s.du_referent.pk]),
        (200, 200, 404, 200, 404, 404, 404),
    ),
    "donneurs_ordre": ("get", lambda s: reverse("clauses:donneurs_ordre"), LECTURE),
    "donneur_ordre": (
        "get",
        lambda s: reverse("clauses:donneur_ordre", args=[s.donneur_ordre.pk]),
        FICHE,
    ),
    "donneur_ordre_creer": ("get", lambda s: reverse("clauses:donneur_ordre_creer"), CREER),
    "donneur_ordre_modifier": (
        "get",
        lambda s: reverse("clauses:donneur_ordre_modifier", args=[s.donneur_ordre.pk]),
        MODIFIER,
    ),
    "operations": ("get", lambda s: reverse("clauses:operations"), LECTURE),
    "operation": ("get", lambda s: reverse("clauses:operation", args=[s.operation.pk]), FICHE),
    "operation_creer": ("get", lambda s: reverse("clauses:operation_creer"), CREER),
    "operation_modifier": (
        "get",
        lambda s: reverse("clauses:operation_modifier", args=[s.operation.pk]),
        MODIFIER,
    ),
    "marches": ("get", lambda s: reverse("clauses:marches"), LECTURE),
    "marche": ("get", lambda s: reverse("clauses:marche", args=[s.marche.pk]), FICHE),
    "marche_creer": ("get", lambda s: reverse("clauses:marche_creer"), CREER),
    "marche_modifier": (
        "get",
        lambda s: reverse("clauses:marche_modifier", args=[s.marche.pk]),
        MODIFIER,
    ),
    "lot_creer": ("get", lambda s: reverse("clauses:lot_creer", args=[s.marche.pk]), MODIFIER),
    "lot_modifier": (
        "get",
        lambda s: reverse("clauses:lot_modifier", args=[s.lot.pk]),
        MODIFIER,
    ),
}


@pytest.mark.parametrize("nom", list(MATRICE))
def test_chaque_url_selon_le_role(client, scene, nom):
    methode, url_de, attendus = MATRICE[nom]
    url = url_de(scene)
    obtenus = {}
    for role, attendu in zip(ROLES, (*attendus, "connexion"), strict=True):
        user = scene.users[role]
        client.logout()
        if user is not None:
            client.force_login(user)
        response = getattr(client, methode)(url)
        if attendu == "connexion":
            ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            ok = response.status_code == attendu
        obtenus[role] = (response.status_code, attendu, ok)
    assert all(ok for _, _, ok in obtenus.values()), {r: v for r, v in obtenus.items() if not v[2]}


def test_le_donneur_d_ordre_est_redirige_vers_ses_operations_et_ne_voit_qu_elles(client, scene):
    autre = OperationFactory(donneur_ordre__plie=scene.monde.plie1)
    client.force_login(scene.users["donneur_ordre"])
    response = client.get(reverse("clauses:index"))
    assert response["Location"] == reverse("clauses:operations")
    page = client.get(reverse("clauses:operations")).content.decode()
    assert scene.operation.nom in page
    assert autre.nom not in page
    assert client.get(reverse("clauses:operation", args=[autre.pk])).status_code == 404
    fiche = client.get(reverse("clauses:marche", args=[scene.marche.pk])).content.decode()
    assert scene.besoin.poste not in fiche  # ni besoins ni candidats pour un donneur d'ordre


def test_le_referent_ne_voit_que_les_candidatures_de_ses_participants(client, scene):
    client.force_login(scene.users["referent"])
    page = client.get(reverse("clauses:besoin", args=[scene.besoin.pk])).content.decode()
    assert str(scene.parcours.participant) in page
    assert "EXTERNE Sam" not in page
    client.force_login(scene.facilitateur)
    page = client.get(reverse("clauses:besoin", args=[scene.besoin.pk])).content.decode()
    assert str(scene.parcours.participant) in page and "EXTERNE Sam" in page


def test_le_facilitateur_voit_le_participant_positionne_sans_sa_fiche_de_parcours(client, scene):
    client.force_login(scene.facilitateur)
    url = reverse("clauses:candidature", args=[scene.du_referent.pk])
    page = client.get(url).content.decode()
    assert str(scene.parcours.participant) in page
    fiche = reverse("participants:detail", args=[scene.parcours.participant.pk])
    assert fiche not in page
    assert client.get(fiche).status_code == 404


def test_creer_un_marche_erreurs_en_francais_et_rien_d_enregistre(client, scene):
    client.force_login(scene.facilitateur)
    autre_plie = EntrepriseFactory(plie=scene.monde.plie2)
    donnees = {
        "operation": scene.operation.pk,
        "numero": scene.marche.numero,
        "intitule": "Second œuvre",
        "modalite_clause": "condition_execution",
        "heures_prevues": "-5",
        "date_debut": "2025-06-01",
        "date_fin": "2025-01-01",
        "attributaire": autre_plie.pk,
    }
    response = client.post(reverse("clauses:marche_creer"), donnees)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Les heures prévues ne peuvent pas être négatives." in page
    assert "La date de fin doit être postérieure à la date de début." in page
    assert Marche.objects.count() == 1
    donnees.update(heures_prevues="800", date_fin="2026-01-01", attributaire="")
    page = client.post(reverse("clauses:marche_creer"), donnees).content.decode()
    assert "Un marché de ce PLIE porte déjà ce numéro." in page
    donnees["numero"] = "2025-SO-001"
    response = client.post(reverse("clauses:marche_creer"), donnees)
    assert response.status_code == 302
    assert Marche.objects.get(numero="2025-SO-001").plie == scene.monde.plie1


def test_modification_concurrente_refusee(client, scene):
    client.force_login(scene.facilitateur)
    url = reverse("clauses:donneur_ordre_modifier", args=[scene.donneur_ordre.pk])
    version = client.get(url).context["form"]["version"].value()
    DonneurOrdre.objects.filter(pk=scene.donneur_ordre.pk).update(nom="Renommé ailleurs")
    response = client.post(
        url,
        {"nom": "Mon nom", "type": "bailleur_social", "structure": "", "version": version},
    )
    assert escape("vient d'être modifiée par une autre personne") in response.content.decode()
    scene.donneur_ordre.refresh_from_db()
    assert scene.donneur_ordre.nom == "Renommé ailleurs"


@pytest.mark.parametrize(
    "url_de",
    [
        lambda s: reverse("clauses:index"),
        lambda s: reverse("clauses:marches"),
        lambda s: reverse("clauses:operations"),
        lambda s: reverse("clauses:donneurs_ordre"),
        lambda s: reverse("clauses:besoin", args=[s.besoin.pk]),
    ],
)
def test_listes_en_nombre_de_requetes_constant(client, scene, url_de):
    def compter():
        client.force_login(scene.facilitateur)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url_de(scene)).status_code == 200
        return len(ctx.captured_queries)

    une = compter()
    for _ in range(4):
        marche = MarcheFactory(operation=OperationFactory(donneur_ordre__plie=scene.monde.plie1))
        besoin = BesoinFactory(marche=marche, facilitateur=scene.facilitateur)
        for externe in ("A", "B"):
            services.proposer_candidature(
                par=scene.facilitateur,
                besoin=scene.besoin,
                candidat_externe=services.enregistrer_candidat_externe(
                    par=scene.facilitateur,
                    plie=scene.monde.plie1,
                    nom=f"{externe}{besoin.pk}",
                    prenom="X",
                    date_naissance=datetime.date(1980, 1, 1),
                    sexe="F",
                ),
            )
    assert compter() == une


def test_creer_donneur_ordre_operation_lot_et_besoin_par_les_formulaires(client, scene):
    monde = scene.monde
    client.force_login(scene.facilitateur)
    response = client.post(
        reverse("clauses:donneur_ordre_creer"),
        {"plie": monde.plie1.pk, "nom": scene.donneur_ordre.nom.upper(), "type": "etat"},
    )
    assert "Un donneur d&#x27;ordre de ce PLIE porte déjà ce nom." in response.content.decode()
    response = client.post(
        reverse("clauses:donneur_ordre_creer"),
        {"plie": monde.plie2.pk, "nom": "Préfecture", "type": "etat"},
    )
    assert response.status_code == 200  # le PLIE voisin n'est pas un choix possible
    assert not DonneurOrdre.objects.filter(nom="Préfecture").exists()
    response = client.post(
        reverse("clauses:donneur_ordre_creer"),
        {"plie": monde.plie1.pk, "nom": "Préfecture", "type": "etat"},
    )
    etat = DonneurOrdre.objects.get(nom="Préfecture")
    assert response["Location"] == reverse("clauses:donneur_ordre", args=[etat.pk])

    response = client.post(
        reverse("clauses:operation_creer"),
        {"donneur_ordre": etat.pk, "nom": "Cité administrative", "date_debut": "2025-01-01"},
    )
    assert response.status_code == 302

    url_lot = reverse("clauses:lot_creer", args=[scene.marche.pk])
    response = client.post(
        url_lot, {"numero": scene.lot.numero, "intitule": "X", "heures_prevues": "10"}
    )
    assert "Ce marché a déjà un lot de ce numéro." in response.content.decode()
    assert client.post(url_lot, {"numero": "99", "intitule": "Peinture", "heures_prevues": "150"})[
        "Location"
    ] == reverse("clauses:marche", args=[scene.marche.pk])
    assert scene.marche.lots.filter(numero="99", intitule="Peinture").exists()

    donnees = {
        "marche": scene.marche.pk,
        "lot": scene.lot.pk,
        "poste": "Coffreur",
        "nb_postes": "0",
        "type_contrat": "interim",
        "date_debut": "2025-09-01",
        "date_fin": "2025-08-01",
    }
    page = client.post(reverse("clauses:besoin_creer"), donnees).content.decode()
    assert "Un besoin porte au moins un poste." in page
    assert "La date de fin doit être postérieure à la date de début." in page
    donnees.update(nb_postes="1", date_fin="")
    response = client.post(reverse("clauses:besoin_creer"), donnees)
    besoin = scene.marche.besoins.get(poste="Coffreur")
    assert response["Location"] == reverse("clauses:besoin", args=[besoin.pk])
    assert besoin.facilitateur == scene.facilitateur


def test_un_facilitateur_ne_cree_rien_dans_un_autre_plie(client, scene):
    client.force_login(scene.users["autre_plie"])
    response = client.post(
        reverse("clauses:besoin_creer"),
        {
            "marche": scene.marche.pk,
            "poste": "Intrus",
            "nb_postes": "1",
            "type_contrat": "cdd",
            "date_debut": "2025-09-01",
        },
    )
    assert response.status_code == 200  # le marché du PLIE 1 n'est pas un choix possible
    assert not scene.marche.besoins.filter(poste="Intrus").exists()
