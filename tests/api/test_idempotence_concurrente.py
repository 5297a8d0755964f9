"""La même écriture envoyée deux fois en même temps avec la même clé d'idempotence (un
logiciel qui réessaie trop tôt) : une seule est faite, l'autre la rejoue. Deux fils, deux
connexions à la vraie base, départ simultané."""

import threading

import pytest
from django.db import connection

from parcours.clauses.models import HeuresRealisees
from parcours.core.enums import Role
from parcours.core.models import EcritureApi
from tests.api.conftest import ClientApi, nouvelle_cle
from tests.clauses.chantier_heures import Chantier


@pytest.mark.django_db(transaction=True)
def test_deux_envois_simultanes_une_seule_ecriture(monde):
    c = Chantier(monde)
    _, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    corps = {
        "lignes": [
            {
                "marche": c.marche.numero,
                "siret": c.attributaire.siret,
                "personne": c.lina.numero,
                "mois": "2025-04",
                "heures": "151,67",
            }
        ]
    }
    depart = threading.Barrier(2)
    reponses = []

    def envoyer():
        try:
            depart.wait()
            reponses.append(ClientApi(jeton).post("/api/v1/heures/", corps, idempotence="avril"))
        finally:
            connection.close()

    fils = [threading.Thread(target=envoyer) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    assert sorted(r.status_code for r in reponses) == [201, 201]
    assert sorted(r.get("Idempotent-Replayed", "") for r in reponses) == ["", "true"]
    assert HeuresRealisees.objects.count() == 1
    assert EcritureApi.objects.count() == 1
