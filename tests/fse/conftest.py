import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role, TypeStructure
from parcours.fse.enums import TypeOperation
from parcours.fse.models import OperationFse
from tests.factories import StructureFactory, membre, parcours_en


class Operations:
    """Dans le PLIE 1 : l'opération d'accompagnement de l'opérateur A (financée par le
    Département), celle de l'opérateur B, une action financée portée par B ; dans le PLIE 2 :
    celle de son opérateur A."""

    def __init__(self, monde):
        self.monde = monde
        debut = timezone.localdate() - datetime.timedelta(days=400)
        self.departement = StructureFactory(
            plie=monde.plie1, type=TypeStructure.FINANCEUR, nom="Département"
        )
        self.region = StructureFactory(plie=monde.plie1, type=TypeStructure.FINANCEUR, nom="Région")
        self.a = OperationFse.objects.create(
            plie=monde.plie1,
            numero="202100001",
            libelle="Accompagnement A",
            type=TypeOperation.ACCOMPAGNEMENT,
            structure_porteuse=monde.structure("operateur", "a", 1),
            debut=debut,
        )
        self.a.financeurs.add(self.departement)
        self.b = OperationFse.objects.create(
            plie=monde.plie1,
            numero="202100002",
            libelle="Accompagnement B",
            type=TypeOperation.ACCOMPAGNEMENT,
            structure_porteuse=monde.structure("operateur", "b", 1),
            debut=debut,
        )
        self.b.financeurs.add(self.region)
        self.action = OperationFse.objects.create(
            plie=monde.plie1,
            numero="202100003",
            libelle="Mises en situation de travail",
            type=TypeOperation.ACTION,
            structure_porteuse=monde.structure("operateur", "b", 1),
            debut=debut,
        )
        self.voisine = OperationFse.objects.create(
            plie=monde.plie2,
            numero="202100001",
            libelle="Accompagnement du PLIE voisin",
            type=TypeOperation.ACCOMPAGNEMENT,
            structure_porteuse=monde.structure("operateur", "a", 2),
            debut=debut,
        )

    def financeur(self, structure=None):
        return membre(Role.FINANCEUR, structure or self.departement)

    def engage(self, structure="a", plie=1, complet=True, **participant):
        """Un parcours engagé ; sa fiche participant complète (adresse, commune) sauf
        `complet=False`."""
        parcours = parcours_en(self.monde, Statut.EN_ACCOMPAGNEMENT, plie=plie, structure=structure)
        p = parcours.participant
        if complet:
            p.adresse, p.commune_insee, p.commune_nom = "1 rue de la Paix", "47001", "Agen"
        for champ, valeur in participant.items():
            setattr(p, champ, valeur)
        p.save()
        return parcours


@pytest.fixture
def operations(monde):
    return Operations(monde)
