"""Enregistrer un contrat par l'API : le service de l'écran (`enregistrer_contrat`), l'entrée en
emploi au premier contrat, les refus nommant le champ, l'écriture journalisée (clé ou compte)."""

import pytest

from parcours.core.enums import Role
from parcours.core.models import EcritureApi
from parcours.emploi.models import Contrat
from tests.api.conftest import ClientApi, nouvelle_cle
from tests.entreprises.conftest import une_entreprise
from tests.factories import parcours_en

CONTRAT = {"type": "cdd", "employeur": "Boulangerie Martin", "debut": "2026-01-05"}


def _url(parcours):
    return f"/api/v1/parcours/{parcours.pk}/contrats/"


def test_le_premier_contrat_fait_entrer_en_emploi(monde, client):
    parcours = parcours_en(monde, "en_accompagnement")
    referent = monde.user(Role.REFERENT)
    client.force_login(referent)
    reponse = ClientApi(client=client).post(
        _url(parcours),
        {**CONTRAT, "fin": "2026-09-30", "heures_hebdo": "35", "periode_essai_jours": 15},
    )
    assert reponse.status_code == 201, reponse.content
    corps = reponse.json()
    assert (corps["type"], corps["fin_periode_essai"]) == ("cdd", "2026-01-19")
    parcours.refresh_from_db()
    assert parcours.statut == "en_emploi"
    contrat = Contrat.objects.get()
    assert contrat.created_by == referent
    ecriture = EcritureApi.objects.get()
    assert (ecriture.cle, ecriture.user, ecriture.action) == (None, referent, "contrat")
    # Relu par la liste.
    (lu,) = ClientApi(client=client).get(_url(parcours)).json()["results"]
    assert lu["id"] == contrat.pk


@pytest.mark.parametrize(
    "donnees, champ",
    [
        ({**CONTRAT, "type": "stage"}, "type"),
        ({**CONTRAT, "debut": "05/01/2026"}, "debut"),
        ({**CONTRAT, "heures_hebdo": "beaucoup"}, "heures_hebdo"),
        ({**CONTRAT, "salaire": 1800}, "salaire"),
        ({**CONTRAT, "employeur": ""}, "employeur"),
        ({**CONTRAT, "fin": "2025-01-01"}, "fin"),
        ({**CONTRAT, "employeur": "Boulangerie\nMartin"}, "employeur"),
    ],
)
def test_contrat_refuse_nomme_le_champ(monde, client, donnees, champ):
    parcours = parcours_en(monde, "en_accompagnement")
    client.force_login(monde.user(Role.REFERENT))
    reponse = ClientApi(client=client).post(_url(parcours), donnees)
    assert reponse.status_code == 400, reponse.content
    assert champ in reponse.json()["champs"], reponse.json()
    assert not Contrat.objects.exists() and not EcritureApi.objects.exists()
    parcours.refresh_from_db()
    assert parcours.statut == "en_accompagnement"


def test_chevauchement_refuse(monde):
    parcours = parcours_en(monde, "en_emploi")
    cle, jeton = nouvelle_cle(monde, role=Role.CRE)
    api = ClientApi(jeton)
    assert api.post(_url(parcours), CONTRAT).status_code == 201
    avant = Contrat.objects.count()
    reponse = api.post(_url(parcours), {**CONTRAT, "debut": "2026-02-01"})
    assert reponse.status_code == 400
    assert "debut" in reponse.json()["champs"]
    assert Contrat.objects.count() == avant
    assert EcritureApi.objects.filter(cle=cle).count() == 1


def test_entreprise_d_un_autre_plie_refusee(monde):
    parcours = parcours_en(monde, "en_emploi")
    voisine = une_entreprise(monde, plie=2)
    _, jeton = nouvelle_cle(monde, role=Role.CRE)
    reponse = ClientApi(jeton).post(_url(parcours), {**CONTRAT, "entreprise": voisine.pk})
    assert reponse.status_code == 400
    assert list(reponse.json()["champs"]) == ["entreprise"]
    du_plie = une_entreprise(monde)
    reponse = ClientApi(jeton).post(
        _url(parcours), {"type": "cdi", "entreprise": du_plie.pk, "debut": "2026-03-01"}
    )
    assert reponse.status_code == 201
    assert reponse.json()["employeur"] == du_plie.raison_sociale


def test_contrat_sur_un_parcours_sorti(monde, client):
    parcours = parcours_en(monde, "sorti")
    _, jeton = nouvelle_cle(monde, role=Role.CRE)
    # Le CRE ne suit plus un parcours sorti : 404 ; l'animation le voit et reçoit le refus.
    assert ClientApi(jeton).post(_url(parcours), CONTRAT).status_code == 404
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = ClientApi(client=client).post(_url(parcours), CONTRAT)
    assert reponse.status_code == 400
    assert "Sorti" in reponse.json()["champs"]["detail"][0]
    assert not EcritureApi.objects.exists()
