"""Complétude de l'engagement et transition `engager` : refusée en disant ce qui manque."""

import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.accompagnement.chemins import completer_engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.errors import TransitionInterdite
from tests.engagement.conftest import AVEC_ANIMATION, appliquer_referentiel, fichier

pytestmark = pytest.mark.django_db


def test_rien_de_fait_tout_manque(admis, code_referentiel):
    etat = engagement.etat_engagement(admis)
    assert not etat.complet
    assert not etat.contrat_signe and not etat.questionnaire_complet
    manquants = etat.manquants()
    attendu_contrat = [
        "Contrat d'engagement : signature du participant manquante",
        "Contrat d'engagement : signature du référent manquante",
    ]
    if code_referentiel in AVEC_ANIMATION:
        attendu_contrat.append("Contrat d'engagement : signature de l'équipe d'animation manquante")
    attendu_contrat.append("Contrat d'engagement : copie signée non déposée")
    assert manquants[: len(attendu_contrat)] == attendu_contrat
    assert "Questionnaire FSE+ : situation sur le marché du travail manquante" in manquants
    assert "Questionnaire FSE+ : plus haut niveau de diplôme manquant" in manquants
    assert "Pièce manquante : justificatif de domicile" in manquants
    assert "Pièce manquante : pièce d'identité ou titre de séjour" in manquants
    assert not any("CV" in m for m in manquants)  # facultatif


def test_engager_refuse_en_nommant_ce_qui_manque_puis_accepte(admis, code_referentiel):
    referent = admis.referent
    with pytest.raises(TransitionInterdite) as exc:
        admis.engager(par=referent)
    message = str(exc.value)
    assert message.startswith(
        "Il n'est pas encore possible d'engager l'accompagnement (entretien d'engagement) : "
        "l'engagement n'est pas complet (Contrat d'engagement : signature du participant "
        "manquante ; "
    )
    assert "Questionnaire FSE+ : date d'entrée dans l'opération manquante" in message
    assert "Pièce manquante : justificatif de domicile" in message
    assert message.endswith(")."), message
    assert Parcours.objects.get(pk=admis.pk).statut == Statut.ADMIS

    # Contrat et questionnaire faits, une pièce obligatoire manque encore.
    completer_engagement(admis, parties=("contrat", "questionnaire"))
    pieces = [p for p in engagement.pieces_attendues(admis) if p.obligatoire]
    for piece in pieces[1:]:
        engagement.deposer_piece(admis, piece.code, fichier(f"{piece.code}.pdf"), referent)
    with pytest.raises(TransitionInterdite) as exc:
        admis.engager(par=referent)
    manque = pieces[0].libelle[0].lower() + pieces[0].libelle[1:]
    assert str(exc.value).endswith(f"l'engagement n'est pas complet (Pièce manquante : {manque}).")

    engagement.deposer_piece(admis, pieces[0].code, fichier(), referent)
    assert engagement.etat_engagement(admis).complet
    assert engagement.etat_engagement(admis).manquants() == []
    parcours = engagement.engager_parcours(admis, referent)
    parcours = Parcours.objects.get(pk=parcours.pk)
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    assert parcours.transitions.last().transition == "engager"


def test_engager_prend_la_date_d_entree_du_questionnaire(admis, questionnaire_complet):
    anterieure = timezone.localdate() - datetime.timedelta(days=20)
    completer_engagement(admis, parties=("contrat", "pieces"))
    engagement.enregistrer_questionnaire(
        admis, admis.referent, {**questionnaire_complet, "date_entree": anterieure}
    )
    engagement.engager_parcours(admis, admis.referent)
    assert Parcours.objects.get(pk=admis.pk).date_entree == anterieure


def test_l_etat_est_relu_en_base(admis):
    """La condition juge l'état réel du dossier, pas une copie en mémoire."""
    assert not engagement.etat_engagement(admis).complet
    completer_engagement(admis)
    assert engagement.etat_engagement(admis).complet
    engagement.enregistrer_questionnaire(admis, admis.referent, {"minima_sociaux": None})
    etat = engagement.etat_engagement(admis)
    assert etat.manquants() == ["Questionnaire FSE+ : perception de minima sociaux manquante"]
    with pytest.raises(TransitionInterdite, match="perception de minima sociaux manquante"):
        admis.engager(par=admis.referent)


def test_signature_de_l_animation_exigee_quand_le_referentiel_la_prevoit(monde, admis):
    appliquer_referentiel(monde.plie1, {"signataires": ["participant", "referent", "animation"]})
    aujourdhui = timezone.localdate()
    contrat = engagement.ouvrir_contrat(admis, admis.referent)
    engagement.enregistrer_signatures(
        contrat,
        admis.referent,
        {"participant": aujourdhui, "referent": aujourdhui},
        copie_signee=fichier(),
    )
    completer_engagement(admis, parties=("questionnaire", "pieces"))
    assert engagement.etat_engagement(admis).manquants() == [
        "Contrat d'engagement : signature de l'équipe d'animation manquante"
    ]
    engagement.enregistrer_signatures(
        contrat, monde.user(Role.ANIMATEUR), {"animation": aujourdhui}
    )
    engagement.engager_parcours(admis, admis.referent)
    assert Parcours.objects.get(pk=admis.pk).statut == Statut.EN_ACCOMPAGNEMENT


def test_les_dossiers_construits_passent_par_l_engagement(monde):
    """La fabrique et la démo amènent les dossiers en accompagnement par les vrais services."""
    from tests.factories import parcours_en

    parcours = parcours_en(monde, Statut.EN_EMPLOI)
    etat = engagement.etat_engagement(parcours)
    assert etat.complet and etat.contrat_signe and etat.questionnaire_complet
