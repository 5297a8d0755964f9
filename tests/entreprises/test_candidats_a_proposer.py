"""Les personnes à proposer sur une offre (docs/entreprises.md, « Personnes à proposer ») : la
liste du champ « Proposer une personne accompagnée » ne montre que des personnes que l'on peut
proposer ; celles en accompagnement d'abord, celles déjà en emploi à part, en dernier, et le
libellé le dit ; une personne déjà proposée sur l'offre, ou dont le parcours est clos, n'y est
pas. L'adresse de l'autocomplétion passe par la politique d'accès : 404 ailleurs."""

import pytest
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.entreprises import services
from parcours.entreprises.models import MiseEnRelation
from tests.entreprises.conftest import une_offre
from tests.factories import ParticipantFactory, parcours_en
from workflows.autocompletion import libelle_choix

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(monde):
    referent = monde.user(Role.REFERENT)
    personnes = {
        statut: parcours_en(monde, statut, participant=ParticipantFactory(nom=f"Martin{nom}"))
        for statut, nom in (
            (Statut.EN_EMPLOI, "A"),  # « A » : premier par le nom, dernier par la règle
            (Statut.EN_ACCOMPAGNEMENT, "C"),
            (Statut.SUSPENDU, "B"),
            (Statut.SORTI, "D"),
        )
    }
    deja = parcours_en(
        monde, Statut.EN_ACCOMPAGNEMENT, participant=ParticipantFactory(nom="MartinE")
    )
    offre = une_offre(monde, "diffusee")
    services.proposer_candidat(offre, deja, par=referent)
    return {"referent": referent, "offre": offre, "personnes": personnes, "deja": deja}


def _candidats(client, offre, q="martin", attendu=200):
    reponse = client.get(reverse("entreprises:candidats", args=[offre.pk]), {"q": q})
    assert reponse.status_code == attendu
    return [r["libelle"] for r in reponse.json()["resultats"]] if attendu == 200 else None


def test_en_emploi_a_part_en_dernier_et_dit(client, monde, scene):
    client.force_login(scene["referent"])
    p = scene["personnes"]
    assert _candidats(client, scene["offre"]) == [
        f"{p[Statut.EN_ACCOMPAGNEMENT].participant} — {Statut.EN_ACCOMPAGNEMENT.label}",
        f"{p[Statut.SUSPENDU].participant} — {Statut.SUSPENDU.label}",
        f"{p[Statut.EN_EMPLOI].participant} — déjà en emploi (pour un autre poste seulement)",
    ]
    # Le même ordre dans le domaine (le formulaire s'en sert pour valider le choix).
    from parcours import acces

    rangs = [
        (c.statut, c.rang)
        for c in services.candidats_a_proposer(
            scene["offre"], acces.parcours_visibles(scene["referent"])
        )
    ]
    assert rangs == [(Statut.EN_ACCOMPAGNEMENT, 0), (Statut.SUSPENDU, 1), (Statut.EN_EMPLOI, 2)]


def test_le_cre_ne_voit_plus_surtout_des_personnes_en_emploi(client, monde, scene):
    """Le CRE voit les dossiers ouverts déjà proposés sur une offre du PLIE : souvent embauchés
    depuis. Sur une nouvelle offre, ceux qui cherchent viennent d'abord."""
    referent, p = scene["referent"], scene["personnes"]
    premiere = une_offre(monde, "diffusee", intitule="Première offre")
    for statut in (Statut.EN_EMPLOI, Statut.EN_ACCOMPAGNEMENT):
        services.proposer_candidat(premiere, p[statut], par=referent)
    client.force_login(monde.user(Role.CRE))
    libelles = _candidats(client, scene["offre"])
    assert libelles[0].startswith(str(p[Statut.EN_ACCOMPAGNEMENT].participant))
    assert libelles[-1].endswith("déjà en emploi (pour un autre poste seulement)")


def test_proposer_depuis_la_liste(client, monde, scene):
    client.force_login(scene["referent"])
    cible = scene["personnes"][Statut.SUSPENDU]
    url = reverse("entreprises:offre", args=[scene["offre"].pk])
    page = client.get(url).content.decode()
    assert reverse("entreprises:candidats", args=[scene["offre"].pk]) in page
    reponse = client.post(
        url,
        {
            "action": "proposer",
            "proposer-parcours": libelle_choix(str(cible.participant), cible.pk),
        },
    )
    assert reponse.status_code == 302
    assert MiseEnRelation.objects.filter(offre=scene["offre"], parcours=cible).exists()
    # Un parcours clos n'est pas dans la liste : refusé avec un message, rien d'enregistré.
    sorti = scene["personnes"][Statut.SORTI]
    reponse = client.post(url, {"action": "proposer", "proposer-parcours": str(sorti.pk)})
    assert "Choisissez une proposition de la liste" in reponse.content.decode()
    assert not MiseEnRelation.objects.filter(parcours=sorti).exists()


@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [(Role.CRE, "a", 2), (Role.REFERENT, "a", 2), (Role.PRESCRIPTEUR, "a", 1)],
)
def test_404_hors_perimetre(client, monde, scene, role, structure, plie):
    client.force_login(monde.user(role, structure, plie))
    _candidats(client, scene["offre"], attendu=404)
    _candidats(client, scene["offre"], q="", attendu=404)  # même sans texte cherché


def test_offre_fermee_404_et_sans_session_connexion(client, monde, scene):
    offre = scene["offre"]
    reponse = client.get(reverse("entreprises:candidats", args=[offre.pk]), {"q": "martin"})
    assert reponse.status_code == 302 and "connexion" in reponse["Location"]
    services.cloturer_offre(offre, par=monde.user(Role.CRE), motif="Poste supprimé")
    client.force_login(scene["referent"])
    _candidats(client, offre, attendu=404)
