"""Suggérer le référent : territoire d'abord, puis file active, contre le plafond du PLIE."""

import datetime
from decimal import Decimal

import pytest

from parcours.accompagnement.enums import Statut
from parcours.commissions.services import suggerer_referents
from parcours.core.enums import Role
from tests.factories import StructureFactory, membre

pytestmark = pytest.mark.django_db


def suivis(commission, nombre, structure, statut=Statut.ADMIS):
    for _ in range(nombre):
        commission.dossier(statut, structure=structure)


def test_territoire_d_abord_puis_file_active(commission, django_assert_max_num_queries):
    monde = commission.monde
    # Le référent de la structure b travaille sur le territoire du dossier.
    operateur_b = monde.structure("operateur", "b")
    operateur_b.territoire = monde.territoire1
    operateur_b.save()
    nouveau = membre(Role.REFERENT, StructureFactory(plie=monde.plie1, nom="Opérateur neuf"))
    suivis(commission, 2, "a")
    suivis(commission, 3, "b")
    dossier = commission.dossier(Statut.EN_COMMISSION_ENTREE)

    with django_assert_max_num_queries(2):
        suggestions = suggerer_referents(dossier)

    assert [(s.referent, s.meme_territoire, s.file_active) for s in suggestions] == [
        (commission.referent_b, True, 3),
        (nouveau, False, 0),
        (commission.referent, False, 2),
    ]
    assert suggestions[0].structure == operateur_b
    assert all(s.plafond == 80 and not s.au_dessus_du_plafond for s in suggestions)
    assert all(s.avertissement == "" for s in suggestions)


def test_seuls_les_etats_de_file_active_comptent(commission):
    for statut in (
        Statut.ADMIS,
        Statut.EN_EMPLOI,
        Statut.SORTIE_PROPOSEE,
        Statut.SORTI,  # clos : ne compte plus
        Statut.REFUSE,  # jamais suivi
    ):
        commission.dossier(statut, structure="a")
    (suggestion,) = [
        s for s in suggerer_referents(commission.dossier()) if s.referent == commission.referent
    ]
    assert suggestion.file_active == 3


def test_au_dela_du_plafond_avertit(commission):
    referentiel = commission.monde.plie1.referentiels.get()
    referentiel.contenu["portefeuille"]["plafond_par_referent"] = 4
    referentiel.save()
    # Mi-temps : plafond 4 × 0,5 = 2.
    mi_temps = membre(
        Role.REFERENT, commission.monde.structure("operateur", "a"), etp=Decimal("0.5")
    )
    suivis(commission, 2, "a")  # suivis par le référent à temps plein de la structure a
    suggestions = {s.referent: s for s in suggerer_referents(commission.dossier())}

    plein = suggestions[commission.referent]
    assert (plein.file_active, plein.plafond, plein.au_dessus_du_plafond) == (2, 4, False)
    assert suggestions[mi_temps].plafond == 2

    suivis(commission, 2, "a")
    plein = {s.referent: s for s in suggerer_referents(commission.dossier())}[commission.referent]
    assert (plein.file_active, plein.au_dessus_du_plafond) == (4, True)
    assert plein.avertissement == (
        f"{commission.referent} suit déjà 4 participant(s) pour un plafond de 4 (1 ETP × 4) : "
        "cette admission dépasserait le plafond du PLIE."
    )


def test_referents_actifs_du_plie_seulement(commission):
    monde = commission.monde
    membre(Role.REFERENT, monde.structure("operateur", "a", 2))  # autre PLIE
    membre(Role.REFERENT_ETAPE, monde.structure("operateur", "a"))  # pas référent de parcours
    membre(Role.REFERENT, monde.structure("operateur", "a"), fin=datetime.date(2021, 1, 1))
    referents = {s.referent for s in suggerer_referents(commission.dossier())}
    assert referents == {commission.referent, commission.referent_b}


def test_sans_referentiel_pas_de_plafond(commission):
    commission.monde.plie1.referentiels.all().delete()
    suggestions = suggerer_referents(commission.dossier())
    assert suggestions and all(
        s.plafond is None and not s.au_dessus_du_plafond for s in suggestions
    )
