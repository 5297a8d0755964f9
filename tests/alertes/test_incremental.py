"""La passe incrémentale de `verifier_alertes` : seuls les parcours modifiés sont réexaminés,
et le résultat est celui d'une passe complète."""

import datetime
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.accompagnement import suivi
from parcours.accompagnement.models import Entretien, Etape, Parcours, Prescription
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE
from parcours.core.models import PassePeriodique
from parcours.core.periodiques import passe_unique
from parcours.emploi.models import DonneesSortieFSE
from tests.alertes.conftest import ENTREE, accompagne, entretien
from workflows.alertes.incremental import passe_de_verification

pytestmark = pytest.mark.django_db
JOUR = ENTREE + relativedelta(months=30)
RIEN = "0 alerte(s) ouverte(s), 0 levée(s) automatiquement, 0 réassignée(s)"


def passe(**options):
    sortie = StringIO()
    call_command("verifier_alertes", "--date", JOUR.isoformat(), stdout=sortie, **options)
    return sortie.getvalue()


def vieillir():
    """Toutes les modifications passent avant la dernière passe (hors de sa marge)."""
    loin = timezone.now() - datetime.timedelta(days=1)
    for modele in (Parcours, Entretien, Etape, Prescription, QuestionnaireFSE, DonneesSortieFSE):
        modele.objects.update(updated_at=loin)


def test_meme_resultat_qu_une_passe_complete(monde):
    dossiers = [accompagne(monde) for _ in range(3)]
    assert "alerte(s) ouverte(s)" in passe()  # première passe : complète
    vieillir()
    # Une série de changements par les vrais chemins (updated_at posé par l'enregistrement).
    entretien(dossiers[0], JOUR - datetime.timedelta(days=2))
    suivi.suspendre_parcours(dossiers[1], dossiers[1].referent, motif="sante")
    incrementale = passe()
    assert "(2 parcours modifié(s) examiné(s))" in incrementale
    assert "0 levée(s)" not in incrementale
    # Une passe complète juste après ne trouve rien à ouvrir ni à lever.
    assert passe(complete=True).startswith(RIEN + ".")


def test_une_passe_sans_changement_n_examine_rien(monde):
    for _ in range(3):
        accompagne(monde)
    passe()
    vieillir()
    with CaptureQueriesContext(connection) as peu:
        assert passe().startswith(RIEN + " (0 parcours")
    for _ in range(5):
        accompagne(monde)
    passe(complete=True)
    vieillir()
    with CaptureQueriesContext(connection) as beaucoup:
        assert passe().startswith(RIEN + " (0 parcours")
    assert len(beaucoup) == len(peu)


def test_un_nouveau_jour_repart_d_une_passe_complete(monde):
    accompagne(monde)
    passe()
    vieillir()
    with passe_unique("verifier_alertes") as tenue:
        bilan = passe_de_verification(tenue, JOUR + datetime.timedelta(days=1))
    assert bilan.complete
    assert (
        PassePeriodique.objects.get(commande="verifier_alertes").etat["jour"]
        == (JOUR + datetime.timedelta(days=1)).isoformat()
    )


def test_date_illisible_refusee_sans_passe(monde):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date illisible"):
        call_command("verifier_alertes", "--date", "31/02", stdout=StringIO())
    assert not PassePeriodique.objects.filter(commande="verifier_alertes").exists()


def test_au_dela_du_seuil_une_passe_complete_plutot_qu_une_liste_de_cles(monde, monkeypatch):
    from workflows.alertes import incremental

    dossiers = [accompagne(monde) for _ in range(3)]
    passe()
    vieillir()
    monkeypatch.setattr(incremental, "SEUIL_PASSE_COMPLETE", 1)
    entretien(dossiers[0], JOUR - datetime.timedelta(days=2))
    suivi.suspendre_parcours(dossiers[1], dossiers[1].referent, motif="sante")
    # Deux dossiers modifiés, seuil à 1 : la passe est complète (elle ne dit pas combien de
    # dossiers modifiés elle a examinés) et son résultat est celui de la passe incrémentale.
    sortie = passe()
    assert "parcours modifié(s) examiné(s)" not in sortie
    assert "0 levée(s)" not in sortie
    assert passe(complete=True).startswith(RIEN + ".")
