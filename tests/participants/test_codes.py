from parcours.participants.enums import Frein, StatutSocial
from parcours.referentiel.sections.eligibilite.vocabulaire import FREINS, STATUTS


def test_codes_du_formulaire_et_du_moteur_d_eligibilite_identiques():
    # Les cases du formulaire de prescription et le vocabulaire du référentiel doivent coïncider.
    assert set(StatutSocial.values) == set(STATUTS)
    assert set(Frein.values) == set(FREINS)
