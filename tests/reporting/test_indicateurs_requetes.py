"""Chaque indicateur fait le même petit nombre de requêtes (3 au plus) quel que soit le volume,
sans filtre comme avec tous les filtres."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien, Etape, ParticipationFse
from parcours.emploi.models import Contrat, PropositionSortie
from parcours.fse.enums import TypeOperation
from parcours.fse.models import OperationFse
from parcours.reporting.indicateurs import INDICATEURS, calculer
from tests.factories import parcours_en
from tests.reporting.jeux import filtres, poser

pytestmark = pytest.mark.django_db


def aujourdhui():
    # Lu à l'appel, pas à l'import : une suite qui passe minuit (heure de Paris) entre la
    # collecte et le test daterait sinon le jeu de la veille.
    return timezone.localdate()


def _peupler(monde, operation, n):
    """`n` fois : un suivi (étape, entretien), un sorti (contrat, sortie validée), un ajourné, un
    suspendu ; l'engagement les fait entrer dans l'opération d'accompagnement de leur structure."""
    referent = monde.user("referent")
    for _ in range(n):
        suivi = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
        Etape.objects.create(
            parcours=suivi,
            type_code="formation",
            type_libelle="Formation",
            categorie="Formation",
            date_debut=aujourdhui(),
            created_by=referent,
        )
        Entretien.objects.create(
            parcours=suivi, date=timezone.now(), canal="telephone", auteur=referent
        )
        sorti = parcours_en(monde, Statut.SORTI)
        poser(sorti, date_entree=aujourdhui() - datetime.timedelta(days=300))
        Contrat.objects.create(
            parcours=sorti, type="cdi", employeur="Garage", debut=aujourdhui(), created_by=referent
        )
        PropositionSortie.objects.create(
            parcours=sorti,
            type_sortie="emploi_durable",
            date_sortie=aujourdhui(),
            statut="validee",
            proposee_par=referent,
            qualification={"qualifie": True, "categorie": "emploi_durable"},
        )
        parcours_en(monde, Statut.AJOURNE)
        parcours_en(monde, Statut.SUSPENDU)


def _requetes(f):
    comptes = {}
    for code in INDICATEURS:
        with CaptureQueriesContext(connection) as requetes:
            calculer(code, f)
        comptes[code] = len(requetes)
    return comptes


def test_requetes_constantes_sur_deux_tailles_avec_et_sans_filtres(monde):
    operation = OperationFse.objects.create(
        plie=monde.plie1,
        numero="20260001",
        libelle="Accompagnement A",
        type=TypeOperation.ACCOMPAGNEMENT,
        structure_porteuse=monde.structure("operateur", "a", 1),
        debut=aujourdhui() - datetime.timedelta(days=400),
    )
    sans_filtre = filtres(monde.plie1, du=f"{aujourdhui().year}-01-01", au=str(aujourdhui()))
    tous = sans_filtre.avec(
        territoire=monde.territoire1.pk,
        structures=frozenset({monde.structure("operateur", "a", 1).pk}),
        referents=frozenset({monde.user("referent").pk}),
        operations=frozenset({operation.pk}),
        public="femme",
    )
    _peupler(monde, operation, 1)
    petit = {"sans": _requetes(sans_filtre), "tous": _requetes(tous)}
    _peupler(monde, operation, 3)
    grand = {"sans": _requetes(sans_filtre), "tous": _requetes(tous)}

    assert grand == petit
    trop = {code: n for cas in petit.values() for code, n in cas.items() if n > 3}
    assert trop == {}
    # Le jeu n'est pas vide : les indicateurs comptent bien ce qu'on a construit.
    assert calculer("sorties_par_categorie", sans_filtre).lignes[3][1] == 4
    assert calculer("etapes_par_categorie", tous).lignes == [("Formation", 4, 0, 4)]
    assert ParticipationFse.objects.filter(operation=operation).count() == 4 * 3
