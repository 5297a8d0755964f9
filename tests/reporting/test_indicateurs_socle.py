"""Le socle des indicateurs : registre, filtres de périmètre, valeurs comptées à la main."""

import datetime

import pytest

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.reporting.indicateurs import INDICATEURS, Filtres, calculer
from parcours.reporting.periode import periode
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db


def _entre_le(parcours, jour):
    Parcours.objects.filter(pk=parcours.pk).update(date_entree=jour)


def test_le_registre_refuse_un_code_declare_deux_fois():
    from parcours.reporting.indicateurs import indicateur

    with pytest.raises(ValueError, match="deux fois"):
        indicateur("entrees_par_mois", "Doublon")(lambda f: None)
    assert "sorties_par_type" in INDICATEURS


def test_entrees_par_mois_comptees_dans_le_perimetre(monde):
    a1 = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    a2 = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    b = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure="b")
    voisin = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2)
    _entre_le(a1, datetime.date(2026, 1, 15))
    _entre_le(a2, datetime.date(2026, 3, 2))
    _entre_le(b, datetime.date(2026, 3, 31))
    _entre_le(voisin, datetime.date(2026, 3, 10))
    filtres = Filtres(
        plies=frozenset({monde.plie1.pk}), periode=periode("2026-01-01", "2026-03-31")
    )

    tableau = calculer("entrees_par_mois", filtres)

    assert tableau.lignes == [("01/2026", 1), ("02/2026", 0), ("03/2026", 2)]
    structure_a = frozenset({monde.structure("operateur", "a", 1).pk})
    assert calculer("entrees_par_mois", filtres.avec(structures=structure_a)).lignes == [
        ("01/2026", 1),
        ("02/2026", 0),
        ("03/2026", 1),
    ]
    assert calculer("entrees_par_mois", filtres.avec(public="homme")).lignes[2] == ("03/2026", 0)
