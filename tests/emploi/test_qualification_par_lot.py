"""La qualification par lot : le même résultat que parcours par parcours, sans requête par
parcours (contrats chargés par lot, règles lues une fois par PLIE)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.emploi import services
from tests.emploi.fabrique_emploi import cdi, il_y_a, referentiel
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db


def lesquels(dossiers):
    return Parcours.objects.filter(pk__in=[p.pk for p in dossiers])


def _en_emploi(monde, n, plie=1):
    dossiers = []
    for i in range(n):
        parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=plie)
        debut = il_y_a(months=1 + 3 * i)
        services.enregistrer_contrat(parcours, par=parcours.referent, **cdi(debut=debut))
        dossiers.append(parcours)
    return dossiers


def test_meme_resultat_que_parcours_par_parcours(monde):
    referentiel(monde.plie1)  # le PLIE 2 n'a pas de référentiel : explication, pas d'erreur
    dossiers = _en_emploi(monde, 3) + _en_emploi(monde, 1, plie=2)
    lot = dict(services.qualifications_par_lot(lesquels(dossiers), lot=2))
    assert len(lot) == 4
    for parcours in dossiers:
        attendu = services.qualification_du_parcours(Parcours.objects.get(pk=parcours.pk))
        assert lot[parcours] == attendu
    assert {q.qualifie for q in lot.values()} == {True, False}


def test_requetes_independantes_du_nombre_de_parcours(monde):
    referentiel(monde.plie1)
    peu, beaucoup = _en_emploi(monde, 1), _en_emploi(monde, 4)

    def requetes(dossiers):
        with CaptureQueriesContext(connection) as capture:
            resultats = list(services.qualifications_par_lot(lesquels(dossiers)))
        assert len(resultats) == len(dossiers)
        return len(capture)

    assert requetes(beaucoup) == requetes(peu)
