"""Outils des tests de l'API : des clés créées par le vrai service (l'administrateur du PLIE),
un client qui présente la clé dans l'en-tête Authorization."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from parcours.core.cles import creer_cle
from parcours.core.enums import DroitCle, Role

TOUS_LES_DROITS = list(DroitCle.values)
TYPE_STRUCTURE = {
    Role.PRESCRIPTEUR: "prescripteur",
    Role.CRE: "porteur",
    Role.FACILITATEUR: "porteur",
    Role.DONNEUR_ORDRE: "porteur",
}


def nouvelle_cle(monde, role=Role.PRESCRIPTEUR, structure="a", plie=1, droits=None, **kwargs):
    """(clé, jeton) : une clé de la structure `structure` du PLIE `plie`, tenant `role`."""
    admin = monde.user(Role.ADMIN, "a", plie)
    return creer_cle(
        par=admin,
        plie=monde.plie(plie),
        structure=monde.structure(TYPE_STRUCTURE[role], structure, plie),
        role=role,
        droits=TOUS_LES_DROITS if droits is None else droits,
        nom=kwargs.pop("nom", f"Outil {role} {structure}{plie}"),
        expire_le=kwargs.pop("expire_le", timezone.localdate() + datetime.timedelta(days=90)),
    )


class ClientApi:
    """Un client HTTP qui présente un jeton (ou la session de `Client.force_login`)."""

    def __init__(self, jeton=None, client=None):
        self.client = client or Client()
        self.entetes = {"Authorization": f"Bearer {jeton}"} if jeton else {}

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.entetes)

    def post(self, url, donnees, idempotence=None):
        entetes = dict(self.entetes)
        if idempotence is not None:
            entetes["Idempotency-Key"] = idempotence
        return self.client.post(
            url, json.dumps(donnees), content_type="application/json", headers=entetes
        )


@pytest.fixture
def api_cle(monde):
    """`api_cle(role=…, structure=…, plie=…, droits=…)` : (client, clé)."""

    def fabrique(**kwargs):
        cle, jeton = nouvelle_cle(monde, **kwargs)
        return ClientApi(jeton), cle

    return fabrique
