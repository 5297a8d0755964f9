"""Les participations aux opérations FSE+ et le questionnaire par participation (docs/fse.md)."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import ParticipationFse, QuestionnaireFSE
from parcours.accompagnement.participations import rattacher_aux_operations
from parcours.accompagnement.suivi import changer_referent
from parcours.core.enums import Role
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee
from parcours.fse.categories import (
    DIPLOME_DEPUIS_NIVEAU_NATIONAL,
    code_situation,
    diplome_depuis_niveau_national,
)
from parcours.fse.enums import DiplomeDgefp, MotifFinParticipation
from parcours.participants.enums import NiveauQualification
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db


# — Correspondance des diplômes —


@pytest.mark.parametrize(
    ("niveau", "categorie"),
    [
        (NiveauQualification.SANS, DiplomeDgefp.PRIMAIRE_COLLEGE),
        (NiveauQualification.CAP_BEP, DiplomeDgefp.SECONDAIRE),
        (NiveauQualification.BAC, DiplomeDgefp.SECONDAIRE),
        (NiveauQualification.BAC_2, DiplomeDgefp.SUPERIEUR),
        (NiveauQualification.BAC_3, DiplomeDgefp.SUPERIEUR),
        (NiveauQualification.BAC_5, DiplomeDgefp.SUPERIEUR),
        (NiveauQualification.DOCTORAT, DiplomeDgefp.SUPERIEUR),
        (None, ""),
    ],
)
def test_chaque_niveau_national_a_sa_categorie_dgefp(niveau, categorie):
    assert diplome_depuis_niveau_national(niveau) == categorie


def test_chaque_niveau_national_est_couvert_et_la_migration_a_la_meme_table():
    import importlib

    migration = importlib.import_module(
        "parcours.accompagnement.migrations.0013_questionnaires_diplome_dgefp"
    )
    assert set(NiveauQualification.values) <= set(DIPLOME_DEPUIS_NIVEAU_NATIONAL)
    assert {
        k: str(v) for k, v in DIPLOME_DEPUIS_NIVEAU_NATIONAL.items()
    } == migration.DIPLOME_DEPUIS_NIVEAU_NATIONAL


@pytest.mark.parametrize(
    ("situation", "type_emploi", "code"),
    [
        ("en_emploi", "independant", "1a"),
        ("en_emploi", "durable", "1b"),
        ("en_emploi", "temporaire", "1c"),
        ("en_emploi", "aide", "1d"),
        ("en_emploi", "", ""),
        ("en_formation", "", "1e"),
        ("demandeur_emploi", "", "1f"),
        ("inactif", "", "1h"),
        ("", "", ""),
    ],
)
def test_code_dgefp_de_la_situation(situation, type_emploi, code):
    assert code_situation(situation, type_emploi) == code


def test_la_migration_convertit_les_niveaux_sans_rien_perdre(operations):
    """La conversion de la migration 0013, jouée sur des questionnaires d'avant (niveau
    national seul) : la catégorie est remplie, le niveau national reste."""
    import importlib

    migration = importlib.import_module(
        "parcours.accompagnement.migrations.0013_questionnaires_diplome_dgefp"
    )
    parcours = [operations.engage() for _ in range(3)]
    niveaux = [1, 4, 7]
    for p, niveau in zip(parcours, niveaux, strict=True):
        QuestionnaireFSE.objects.filter(parcours=p).update(niveau_diplome=niveau, diplome_dgefp="")
    migration.categories_dgefp(django_apps, None)
    lus = dict(
        QuestionnaireFSE.objects.filter(parcours__in=parcours).values_list(
            "niveau_diplome", "diplome_dgefp"
        )
    )
    assert lus == {1: "2b", 4: "2c", 7: "2d"}


# — Ouverture, clôture —


def test_l_engagement_ouvre_la_participation_de_l_operation_du_referent(operations):
    parcours = operations.engage()
    participation = ParticipationFse.objects.get(parcours=parcours)
    assert participation.operation == operations.a
    assert participation.structure == operations.a.structure_porteuse
    assert participation.date_entree == parcours.date_entree
    assert participation.ouverte
    questionnaire = QuestionnaireFSE.objects.get(parcours=parcours)
    assert questionnaire.participation == participation
    assert questionnaire.date_entree == participation.date_entree
    assert parcours.questionnaire_fse == questionnaire


def test_sans_operation_le_questionnaire_attend_puis_est_rattache(monde, operations):
    operations.a.debut = timezone.localdate() + datetime.timedelta(days=10)
    operations.a.save()
    parcours = operations.engage()
    assert not ParticipationFse.objects.filter(parcours=parcours).exists()
    questionnaire = QuestionnaireFSE.objects.get(parcours=parcours)
    assert questionnaire.participation is None

    assert rattacher_aux_operations(monde.plie1.pk) == {"closes": 0, "ouvertes": 0}
    jour = operations.a.debut
    assert rattacher_aux_operations(monde.plie1.pk, jour=jour) == {"closes": 0, "ouvertes": 1}
    questionnaire.refresh_from_db()
    assert questionnaire.participation.operation == operations.a
    # Entré avant le début de l'opération : il y entre à son début.
    assert questionnaire.participation.date_entree == jour
    assert questionnaire.date_entree == jour
    # Idempotent.
    assert rattacher_aux_operations(monde.plie1.pk, jour=jour) == {"closes": 0, "ouvertes": 0}


def test_fin_d_operation_puis_nouvelle_convention(monde, operations):
    parcours = operations.engage()
    fin = timezone.localdate() + datetime.timedelta(days=5)
    operations.a.fin = fin
    operations.a.save()
    suivante = type(operations.a).objects.create(
        plie=monde.plie1,
        numero="202200001",
        libelle="Accompagnement A (suite)",
        type="accompagnement",
        structure_porteuse=operations.a.structure_porteuse,
        debut=fin + datetime.timedelta(days=1),
    )
    resultat = rattacher_aux_operations(monde.plie1.pk, jour=fin + datetime.timedelta(days=1))
    assert resultat == {"closes": 1, "ouvertes": 1}
    premiere, seconde = ParticipationFse.objects.filter(parcours=parcours).order_by("pk")
    assert (premiere.date_sortie, premiere.motif_fin) == (fin, MotifFinParticipation.FIN_OPERATION)
    assert (seconde.operation, seconde.date_entree) == (suivante, suivante.debut)
    assert seconde.questionnaire.recopie_de == premiere.questionnaire


def test_changement_de_structure_ouvre_une_participation_et_recopie_le_questionnaire(
    monde, operations
):
    parcours = operations.engage()
    premiere = ParticipationFse.objects.get(parcours=parcours)
    original = premiere.questionnaire
    nouveau = monde.user(Role.REFERENT, "b")
    changer_referent(parcours, nouveau, monde.user(Role.ANIMATEUR), "Déménagement")

    premiere.refresh_from_db()
    aujourdhui = timezone.localdate()
    assert premiere.date_sortie == aujourdhui
    assert premiere.motif_fin == MotifFinParticipation.CHANGEMENT_STRUCTURE
    seconde = ParticipationFse.objects.get(parcours=parcours, date_sortie__isnull=True)
    assert seconde.operation == operations.b
    copie = seconde.questionnaire
    assert copie.recopie_de == original
    assert copie.date_entree == aujourdhui
    for champ in QuestionnaireFSE.CHAMPS:
        if champ != "date_entree":
            assert getattr(copie, champ) == getattr(original, champ), champ
    assert copie.complet
    parcours.refresh_from_db()
    assert parcours.questionnaire_fse == copie


def test_changement_de_referent_dans_la_meme_structure_garde_la_participation(monde, operations):
    parcours = operations.engage()
    from tests.factories import membre

    collegue = membre(Role.REFERENT, monde.structure("operateur", "a", 1))
    changer_referent(parcours, collegue, monde.user(Role.ANIMATEUR), "Congé")
    assert ParticipationFse.objects.filter(parcours=parcours).count() == 1


def test_changement_de_structure_avant_l_engagement_n_ouvre_rien(monde, operations):
    parcours = parcours_en(monde, Statut.ADMIS, engagement=False)
    changer_referent(parcours, monde.user(Role.REFERENT, "b"), monde.user(Role.ANIMATEUR), "Test")
    assert not ParticipationFse.objects.filter(parcours=parcours).exists()


def test_la_sortie_validee_clot_la_participation(monde, operations):
    parcours = parcours_en(monde, Statut.SORTI)
    participation = ParticipationFse.objects.get(parcours=parcours)
    assert participation.date_sortie == parcours.date_sortie
    assert participation.motif_fin == MotifFinParticipation.SORTIE


# — Le questionnaire d'une participation —


def test_rectifier_le_questionnaire_d_une_participation_ne_touche_pas_l_autre(monde, operations):
    parcours = operations.engage()
    changer_referent(parcours, monde.user(Role.REFERENT, "b"), monde.user(Role.ANIMATEUR), "x")
    premiere, seconde = ParticipationFse.objects.filter(parcours=parcours).order_by("pk")
    # L'ancienne participation (pas la dernière) : seule la sienne change.
    engagement.enregistrer_questionnaire(
        parcours,
        monde.user(Role.ANIMATEUR),
        {"situation_marche_travail": "en_formation"},
        participation_id=premiere.pk,
    )
    premiere.questionnaire.refresh_from_db()
    seconde.questionnaire.refresh_from_db()
    assert premiere.questionnaire.situation_marche_travail == "en_formation"
    assert premiere.questionnaire.mois_recherche_emploi is None
    assert seconde.questionnaire.situation_marche_travail == "demandeur_emploi"


def test_le_questionnaire_d_une_participation_se_rectifie_apres_la_sortie(monde, operations):
    parcours = parcours_en(monde, Statut.SORTI)
    participation = ParticipationFse.objects.get(parcours=parcours)
    q = engagement.enregistrer_questionnaire(
        parcours,
        monde.user(Role.ANIMATEUR),
        {"commune_naissance": "Nérac"},
        participation_id=participation.pk,
    )
    assert q.commune_naissance == "Nérac" and q.participation == participation
    # Sans participation (le questionnaire d'engagement), un parcours sorti ne se modifie plus.
    with pytest.raises(TransitionInterdite):
        engagement.enregistrer_questionnaire(
            parcours, monde.user(Role.ANIMATEUR), {"commune_naissance": "Agen"}
        )
    # Qui ne suit pas le parcours ne rectifie pas.
    with pytest.raises(TransitionNonAutorisee):
        engagement.enregistrer_questionnaire(
            parcours,
            monde.user(Role.REFERENT, "a", 2),
            {"commune_naissance": "Agen"},
            participation_id=participation.pk,
        )


def test_la_date_d_entree_du_questionnaire_date_la_participation(monde, operations):
    parcours = operations.engage()
    changer_referent(parcours, monde.user(Role.REFERENT, "b"), monde.user(Role.ANIMATEUR), "x")
    participation = ParticipationFse.objects.filter(parcours=parcours).order_by("pk").first()
    veille = participation.date_entree - datetime.timedelta(days=1)
    engagement.enregistrer_questionnaire(
        parcours,
        monde.user(Role.ANIMATEUR),
        {"date_entree": veille},
        participation_id=participation.pk,
    )
    participation.refresh_from_db()
    assert participation.date_entree == veille
    # Après la sortie de l'opération : refusé, en le disant.
    ParticipationFse.objects.filter(pk=participation.pk).update(date_sortie=veille)
    with pytest.raises(ValidationError, match="ne peut pas suivre la sortie"):
        engagement.enregistrer_questionnaire(
            parcours,
            monde.user(Role.ANIMATEUR),
            {"date_entree": veille + datetime.timedelta(days=1)},
            participation_id=participation.pk,
        )
    # Refusé avant toute écriture : le questionnaire garde sa date (transaction du test gardée).
    assert engagement.questionnaire_de(parcours, participation.pk).date_entree == veille


def test_le_niveau_national_seul_donne_sa_categorie(monde, operations):
    parcours = parcours_en(monde, Statut.ADMIS, engagement=False)
    q = engagement.enregistrer_questionnaire(
        parcours, monde.user(Role.REFERENT), {"niveau_diplome": NiveauQualification.BAC_5}
    )
    assert q.diplome_dgefp == DiplomeDgefp.SUPERIEUR
    # Un choix explicite (jamais scolarisé) l'emporte sur la correspondance.
    q = engagement.enregistrer_questionnaire(
        parcours,
        monde.user(Role.REFERENT),
        {"niveau_diplome": NiveauQualification.SANS, "diplome_dgefp": "2a"},
    )
    assert q.diplome_dgefp == DiplomeDgefp.INFERIEUR_PRIMAIRE
