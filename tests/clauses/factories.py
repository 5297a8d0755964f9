"""Fabriques des clauses sociales (donneurs d'ordre, marchés, besoins, candidatures, heures)."""

import datetime
from decimal import Decimal

import factory

from parcours.clauses.enums import ModaliteClause, SourceHeures, TypeDonneurOrdre
from parcours.clauses.models import (
    Besoin,
    CandidatExterne,
    DonneurOrdre,
    HeuresRealisees,
    Lot,
    Marche,
    Operation,
    Positionnement,
)
from parcours.core.enums import Role
from parcours.emploi.enums import TypeContrat
from parcours.entreprises.models import Entreprise
from tests.factories import PLIEFactory, UserFactory


class DonneurOrdreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonneurOrdre

    plie = factory.SubFactory(PLIEFactory)
    nom = factory.Sequence(lambda n: f"Bailleur {n}")
    type = TypeDonneurOrdre.BAILLEUR_SOCIAL


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation

    donneur_ordre = factory.SubFactory(DonneurOrdreFactory)
    nom = factory.Sequence(lambda n: f"Rénovation résidence {n}")
    date_debut = datetime.date(2025, 1, 1)
    date_fin = datetime.date(2026, 12, 31)


def _siret(n: int) -> str:
    """Un SIRET valide (clé de Luhn) distinct pour chaque n."""
    base = f"{n:013d}"
    for cle in range(10):
        chiffres = [int(c) for c in base + str(cle)]
        total = 0
        for i, c in enumerate(reversed(chiffres)):
            c = c * 2 if i % 2 else c
            total += c - 9 if c > 9 else c
        if total % 10 == 0:
            return base + str(cle)
    raise AssertionError("clé introuvable")


class EntrepriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entreprise

    plie = factory.SubFactory(PLIEFactory)
    raison_sociale = factory.Sequence(lambda n: f"BTP Construction {n}")
    siret = factory.Sequence(lambda n: _siret(7320000 + n))


class MarcheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Marche

    operation = factory.SubFactory(OperationFactory)
    plie = factory.SelfAttribute("operation.donneur_ordre.plie")
    numero = factory.Sequence(lambda n: f"2025-BAT-{n:03d}")
    intitule = factory.Sequence(lambda n: f"Gros œuvre {n}")
    modalite_clause = ModaliteClause.CONDITION_EXECUTION
    heures_prevues = Decimal("1200")
    date_debut = datetime.date(2025, 3, 1)
    date_fin = datetime.date(2026, 6, 30)
    attributaire = factory.SubFactory(EntrepriseFactory, plie=factory.SelfAttribute("..plie"))


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    marche = factory.SubFactory(MarcheFactory)
    numero = factory.Sequence(lambda n: str(n + 1))
    intitule = "Maçonnerie"
    heures_prevues = Decimal("400")


class BesoinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Besoin

    marche = factory.SubFactory(MarcheFactory)
    poste = "Manœuvre bâtiment"
    nb_postes = 2
    type_contrat = TypeContrat.CDD
    date_debut = datetime.date(2025, 4, 1)
    date_fin = datetime.date(2025, 10, 31)
    facilitateur = factory.SubFactory(UserFactory)


class CandidatExterneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidatExterne

    plie = factory.SubFactory(PLIEFactory)
    nom = factory.Sequence(lambda n: f"Externe{n}")
    prenom = "Sam"
    date_naissance = datetime.date(1975, 2, 3)
    sexe = "H"
    commune_insee = "47001"
    commune_nom = "Agen"
    rsa = True
    created_by = factory.SubFactory(UserFactory)


class PositionnementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Positionnement

    besoin = factory.SubFactory(BesoinFactory)
    candidat_externe = factory.SubFactory(
        CandidatExterneFactory, plie=factory.SelfAttribute("..besoin.marche.plie")
    )
    propose_par = factory.SelfAttribute("besoin.facilitateur")
    role_proposant = Role.FACILITATEUR


class HeuresRealiseesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeuresRealisees

    marche = factory.SubFactory(MarcheFactory)
    candidat_externe = factory.SubFactory(
        CandidatExterneFactory, plie=factory.SelfAttribute("..marche.plie")
    )
    mois = datetime.date(2025, 4, 1)
    heures = Decimal("70")
    siret = factory.SelfAttribute("marche.attributaire.siret")
    source = SourceHeures.SAISIE
    created_by = factory.SubFactory(UserFactory)
