"""`full_clean` juge les contraintes CHECK du questionnaire FSE+ en une requête
(parcours/core/contraintes.py) : mêmes erreurs que Django, qui les juge une à une."""

from django.db import models

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE
from tests.factories import parcours_en

EXCLUS = ["parcours", "renseigne_par", "participation", "recopie_de"]


def _erreurs(appel):
    try:
        appel()
    except Exception as exc:  # ValidationError attendue, comparée telle quelle
        return exc.message_dict
    return None


def test_memes_erreurs_que_django_en_une_requete(monde, django_assert_max_num_queries):
    q = QuestionnaireFSE(
        parcours=parcours_en(monde, Statut.ADMIS, engagement=False),
        diplome_dgefp="zz",
        handicap_reconnu="nsp",
        type_emploi="durable",
        situation_marche_travail="demandeur_emploi",
        mois_recherche_emploi=3,
        code_postal_naissance="470",
    )
    attendues = _erreurs(lambda: models.Model.validate_constraints(q, exclude=EXCLUS))
    assert attendues is not None and len(attendues["__all__"]) == 4
    # Le point de sauvegarde et la requête : 3, au lieu de 3 par contrainte.
    with django_assert_max_num_queries(4):
        obtenues = _erreurs(lambda: q.validate_constraints(exclude=EXCLUS))
    assert obtenues == attendues


def test_un_questionnaire_valide_passe_et_un_champ_exclu_saute_sa_contrainte(monde):
    q = QuestionnaireFSE(
        parcours=parcours_en(monde, Statut.ADMIS, engagement=False),
        code_postal_naissance="470",
    )
    assert _erreurs(lambda: q.validate_constraints(exclude=EXCLUS))
    exclus = [*EXCLUS, "code_postal_naissance"]
    assert _erreurs(lambda: q.validate_constraints(exclude=exclus)) is None
    assert _erreurs(lambda: models.Model.validate_constraints(q, exclude=exclus)) is None
