"""La démo amène ses dossiers en accompagnement par l'engagement, et en laisse en cours."""

import pytest
from django.utils import timezone

from parcours.accompagnement.engagement import etat_engagement
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from tests.demo_du_module import demo_du_module

pytestmark = pytest.mark.django_db
demo = demo_du_module(complete=False)


def test_demo_engagement_complet_au_dela_de_l_admission(demo):
    engages = Parcours.objects.filter(statut__in=STATUTS_FILE_ACTIVE).exclude(statut=Statut.ADMIS)
    assert engages.exists()
    for parcours in engages:
        etat = etat_engagement(parcours)
        assert etat.complet, (parcours, etat.manquants())
        # Référentiel de démonstration : les pièces obligatoires ont été déposées.
        assert parcours.pieces_entree.filter(code="justificatif-domicile").exists()
        # La signature ne précède pas l'admission (datée dans le passé par la démo).
        admission = timezone.localdate(parcours.transitions.get(transition="admettre").at)
        assert parcours.contrat_engagement.date_signature_participant >= admission
    admis = Parcours.objects.filter(statut=Statut.ADMIS)
    assert admis.exists()
    assert all(not etat_engagement(p).complet for p in admis)
    # Flandre Lys : l'équipe d'animation signe aussi.
    flandre = engages.filter(plie__code="flandre-lys").first()
    assert flandre.contrat_engagement.date_signature_animation is not None
