"""La prescription se place à sa date dans la frise (parcours/dossier/chronologie.py) : une
prescription datée dans le passé (reprise d'un dossier papier, démo) vient avant ce qui l'a
suivie, et non au jour de sa saisie."""

import datetime

from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, TransitionParcours
from parcours.dossier.chronologie import frise
from parcours.dossier.evenements import Rubrique
from tests.factories import parcours_en


def test_prescription_saisie_le_jour_meme_garde_son_heure(monde):
    parcours = parcours_en(monde, Statut.RECEVABLE)
    (prescription, *suite) = frise(parcours, suivi=True)
    assert prescription.rubrique == Rubrique.PRESCRIPTION
    assert prescription.le == parcours.created_at
    assert not prescription.jour_seul
    assert all(e.le >= prescription.le for e in suite)


def test_prescription_datee_dans_le_passe_vient_en_premier(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    il_y_a_six_mois = timezone.localdate() - datetime.timedelta(days=180)
    Parcours.objects.filter(pk=parcours.pk).update(date_prescription=il_y_a_six_mois)
    # Les transitions ont eu lieu après la prescription, il y a cinq mois.
    TransitionParcours.objects.filter(parcours=parcours).update(
        at=timezone.now() - datetime.timedelta(days=150)
    )
    parcours = Parcours.objects.get(pk=parcours.pk)
    evenements = frise(parcours, suivi=True)
    assert evenements[0].rubrique == Rubrique.PRESCRIPTION
    assert timezone.localdate(evenements[0].le) == il_y_a_six_mois
    assert evenements[0].jour_seul
    # La plus récente d'abord à l'écran : la prescription est tout en bas, pas au-dessus.
    assert [e.le for e in evenements] == sorted(e.le for e in evenements)
