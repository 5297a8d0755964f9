"""Le questionnaire FSE+ d'entrée (DOMAIN §7) : réponses, validation, complétude."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import QuestionnaireFSE
from parcours.participants.enums import NiveauQualification
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db

NSP = "nsp"


def test_questionnaire_complet(admis, questionnaire_complet):
    q = engagement.enregistrer_questionnaire(admis, admis.referent, questionnaire_complet)
    assert q.complet and q.champs_manquants() == []
    assert q.renseigne_par == admis.referent
    assert q.get_niveau_diplome_display() == NiveauQualification.CAP_BEP.label


def test_enregistrement_en_plusieurs_fois_et_champs_manquants_en_francais(admis):
    q = engagement.enregistrer_questionnaire(
        admis, admis.referent, {"commune_naissance": "Agen", "code_postal_naissance": "47000"}
    )
    assert not q.complet
    assert q.champs_manquants() == [
        "date d'entrée dans l'opération",
        "situation sur le marché du travail",
        "plus haut niveau de diplôme",
        "reconnaissance officielle d'un handicap",
        "perception de minima sociaux",
        "sans domicile fixe ou exclusion du logement",
        "un parent né à l'étranger",
    ]
    q = engagement.enregistrer_questionnaire(
        admis, admis.referent, {"situation_marche_travail": "demandeur_emploi"}
    )
    assert q.commune_naissance == "Agen"  # la première saisie est gardée
    assert "durée de recherche d'emploi (en mois)" in q.champs_manquants()
    assert QuestionnaireFSE.objects.filter(parcours=admis).count() == 1


@pytest.mark.parametrize(
    ("situation", "exige", "pas_exige"),
    [
        ("en_emploi", "type_emploi", "mois_recherche_emploi"),
        ("demandeur_emploi", "mois_recherche_emploi", "type_emploi"),
        ("en_formation", None, None),
        ("inactif", None, None),
    ],
)
def test_reponses_exigees_selon_la_situation(
    admis, questionnaire_complet, situation, exige, pas_exige
):
    donnees = {
        **questionnaire_complet,
        "situation_marche_travail": situation,
        "mois_recherche_emploi": None,
    }
    q = engagement.enregistrer_questionnaire(admis, admis.referent, donnees)
    if exige:
        assert q.champs_manquants_codes() == [exige]
        assert pas_exige not in q.champs_exiges()
    else:
        assert q.complet


@pytest.mark.parametrize("champ", ["handicap_reconnu", "minima_sociaux"])
def test_ne_souhaite_pas_repondre_refuse_sur_les_autres_questions(
    admis, questionnaire_complet, champ
):
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_questionnaire(
            admis, admis.referent, {**questionnaire_complet, champ: NSP}
        )
    assert list(exc.value.message_dict) == [champ]
    (message,) = exc.value.message_dict[champ]
    assert message.startswith("« Ne souhaite pas répondre » n'est pas possible pour la question")
    assert "seules les questions sur le logement et sur les parents nés à l'étranger" in message
    assert not QuestionnaireFSE.objects.filter(parcours=admis).exists()


@pytest.mark.parametrize("champ", ["sans_domicile", "parent_ne_etranger"])
def test_ne_souhaite_pas_repondre_accepte_sur_les_deux_questions_prevues(
    admis, questionnaire_complet, champ
):
    q = engagement.enregistrer_questionnaire(
        admis, admis.referent, {**questionnaire_complet, champ: NSP}
    )
    assert getattr(q, champ) == NSP and q.complet


@pytest.mark.parametrize("champ", ["handicap_reconnu", "minima_sociaux"])
def test_la_base_refuse_aussi_ne_souhaite_pas_repondre(admis, questionnaire_complet, champ):
    q = engagement.enregistrer_questionnaire(admis, admis.referent, questionnaire_complet)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireFSE.objects.filter(pk=q.pk).update(**{champ: NSP})


def test_clean_du_modele_refuse_aussi(admis):
    q = QuestionnaireFSE(parcours=admis, minima_sociaux=NSP, date_entree=_demain())
    with pytest.raises(ValidationError) as exc:
        q.full_clean()
    assert set(exc.value.message_dict) == {"minima_sociaux", "date_entree"}


def _demain():
    return timezone.localdate() + datetime.timedelta(days=1)


def test_date_d_entree_apres_aujourd_hui_refusee(admis, questionnaire_complet):
    demain = _demain()
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_questionnaire(
            admis, admis.referent, {**questionnaire_complet, "date_entree": demain}
        )
    assert exc.value.message_dict == {
        "date_entree": [
            "La date d'entrée dans l'opération ne peut pas être postérieure à aujourd'hui "
            f"({demain:%d/%m/%Y} > {timezone.localdate():%d/%m/%Y})."
        ]
    }


def test_date_d_entree_anterieure_a_la_saisie_acceptee(admis, questionnaire_complet):
    """Elle peut précéder l'entrée dans le système (et même la prescription)."""
    anterieure = admis.date_prescription - datetime.timedelta(days=60)
    q = engagement.enregistrer_questionnaire(
        admis, admis.referent, {**questionnaire_complet, "date_entree": anterieure.isoformat()}
    )
    assert q.date_entree == anterieure


def test_date_d_entree_avant_la_naissance_refusee(admis, questionnaire_complet):
    with pytest.raises(ValidationError, match="précéder la date de naissance"):
        engagement.enregistrer_questionnaire(
            admis, admis.referent, {**questionnaire_complet, "date_entree": "1970-01-01"}
        )


@pytest.mark.parametrize(
    ("donnees", "champ", "extrait"),
    [
        ({"date_entree": "32/13/2024"}, "date_entree", "Date d'entrée dans l'opération :"),
        (
            {"niveau_diplome": "bac"},
            "niveau_diplome",
            "Niveau de diplôme (nomenclature nationale) :",
        ),
        ({"niveau_diplome": 2}, "niveau_diplome", "« 2 » n'est pas une réponse possible"),
        (
            {"situation_marche_travail": "retraite"},
            "situation_marche_travail",
            "« retraite » n'est pas une réponse possible à la question « situation sur le marché "
            "du travail » (réponses : En emploi ; En formation",
        ),
        ({"code_postal_naissance": "4700"}, "code_postal_naissance", "5 chiffres (99999"),
        ({"code_postal_naissance": "47 00"}, "code_postal_naissance", "5 chiffres"),
        (
            {"situation_marche_travail": "inactif", "type_emploi": "durable"},
            "type_emploi",
            "que pour une personne en emploi",
        ),
        (
            {"situation_marche_travail": "en_emploi", "mois_recherche_emploi": 3},
            "mois_recherche_emploi",
            "que pour une personne en recherche active",
        ),
        (
            {"situation_marche_travail": "demandeur_emploi", "mois_recherche_emploi": 700},
            "mois_recherche_emploi",
            "semble erronée",
        ),
        (
            {"situation_marche_travail": "demandeur_emploi", "mois_recherche_emploi": -1},
            "mois_recherche_emploi",
            "",
        ),
        ({"age_du_capitaine": 42}, "age_du_capitaine", "Question inconnue"),
    ],
)
def test_mauvaises_reponses_refusees_par_champ(admis, donnees, champ, extrait):
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_questionnaire(admis, admis.referent, donnees)
    assert champ in exc.value.message_dict
    assert any(extrait in m for m in exc.value.message_dict[champ])
    assert not QuestionnaireFSE.objects.filter(parcours=admis).exists()


def test_changer_de_situation_efface_ce_qui_ne_s_applique_plus(admis, questionnaire_complet):
    q = engagement.enregistrer_questionnaire(
        admis,
        admis.referent,
        {
            **questionnaire_complet,
            "situation_marche_travail": "en_emploi",
            "type_emploi": "aide",
            "mois_recherche_emploi": None,
        },
    )
    assert (q.type_emploi, q.mois_recherche_emploi) == ("aide", None)
    q = engagement.enregistrer_questionnaire(
        admis,
        admis.referent,
        {"situation_marche_travail": "demandeur_emploi", "mois_recherche_emploi": "8"},
    )
    assert (q.type_emploi, q.mois_recherche_emploi) == ("", 8)


def test_effacer_une_reponse(admis, questionnaire_complet):
    engagement.enregistrer_questionnaire(admis, admis.referent, questionnaire_complet)
    q = engagement.enregistrer_questionnaire(admis, admis.referent, {"sans_domicile": ""})
    assert q.champs_manquants() == ["sans domicile fixe ou exclusion du logement"]


def test_apres_l_engagement_le_questionnaire_se_rectifie_mais_reste_complet(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    q = engagement.enregistrer_questionnaire(
        parcours, parcours.referent, {"parent_ne_etranger": "oui"}
    )
    assert q.parent_ne_etranger == "oui"
    with pytest.raises(ValidationError) as exc:
        engagement.enregistrer_questionnaire(parcours, parcours.referent, {"minima_sociaux": None})
    assert "doit rester complet" in exc.value.message_dict["minima_sociaux"][0]
    q.refresh_from_db()
    assert q.minima_sociaux == "non"


def test_donnees_initiales_d_apres_la_prescription(admis):
    prescription = admis.prescription
    prescription.niveau_qualification = NiveauQualification.BAC
    prescription.sans_emploi_depuis = timezone.localdate() - datetime.timedelta(days=400)
    prescription.rqth_jusqu_au = timezone.localdate() + datetime.timedelta(days=30)
    prescription.save()
    prescription.statuts.create(code="rsa")
    suggestions = engagement.donnees_initiales(admis)
    assert suggestions["niveau_diplome"] == NiveauQualification.BAC
    assert suggestions["situation_marche_travail"] == "demandeur_emploi"
    assert suggestions["mois_recherche_emploi"] in (13, 14)
    assert suggestions["minima_sociaux"] == "oui"
    assert suggestions["handicap_reconnu"] == "oui"
    # Rien n'est supposé sans preuve : pas de « non » par défaut.
    assert "sans_domicile" not in suggestions and "parent_ne_etranger" not in suggestions
