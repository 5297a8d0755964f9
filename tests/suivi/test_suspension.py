import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import MotifSuspension, Statut
from parcours.accompagnement.models import Suspension, TransitionParcours
from parcours.core.errors import TransitionInterdite
from tests.suivi.conftest import appliquer_referentiel


def test_suspendre_renouveler_lever(dossier, referent, animateur):
    debut = timezone.localdate() - datetime.timedelta(days=10)
    suspension = suivi.suspendre_parcours(
        dossier, referent, motif=MotifSuspension.SANTE, precision="Hospitalisation", debut=debut
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.SUSPENDU
    assert suspension.fin_prevue == suivi.ajouter_mois(debut, 3)
    journal = TransitionParcours.objects.filter(parcours=dossier).order_by("-at", "-id").first()
    assert (journal.transition, journal.par, journal.motif) == (
        "suspendre",
        referent,
        "Santé : Hospitalisation",
    )

    ancienne = suspension.fin_prevue
    suspension = suivi.renouveler_suspension(dossier, animateur, motif="Soins prolongés")
    assert suspension.fin_prevue == suivi.ajouter_mois(ancienne, 3)
    assert suspension.renouvellements == 1
    ligne = suspension.journal_renouvellements.get()
    assert (ligne.ancienne_fin, ligne.nouvelle_fin, ligne.par) == (
        ancienne,
        suspension.fin_prevue,
        animateur,
    )

    suivi.lever_suspension(dossier, referent, motif="Reprise des démarches")
    dossier.refresh_from_db()
    suspension.refresh_from_db()
    assert dossier.statut == Statut.EN_ACCOMPAGNEMENT
    assert suspension.levee_le == timezone.localdate() and suspension.levee_par == referent
    transitions = list(
        TransitionParcours.objects.filter(parcours=dossier).values_list("transition", flat=True)
    )
    assert transitions[-2:] == ["suspendre", "reprendre"]


def test_duree_du_referentiel(monde, dossier, referent):
    appliquer_referentiel(monde.plie1, suivi={"suspension_mois": 2})
    suspension = suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.FAMILLE)
    assert suspension.fin_prevue == suivi.ajouter_mois(timezone.localdate(), 2)


def test_motif_autre_exige_une_precision(dossier, referent):
    with pytest.raises(ValidationError) as exc:
        suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.AUTRE)
    assert "precision" in exc.value.message_dict
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_ACCOMPAGNEMENT and not Suspension.objects.exists()


def test_deja_suspendu(dossier, referent):
    suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.SANTE)
    with pytest.raises(TransitionInterdite):
        suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.SANTE)
    assert Suspension.objects.count() == 1


def test_une_seule_suspension_en_cours_en_base(dossier, referent):
    suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.SANTE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Suspension.objects.create(
            parcours=dossier,
            motif=MotifSuspension.SANTE,
            debut=timezone.localdate(),
            fin_prevue=timezone.localdate(),
            par=referent,
        )


def test_renouveler_sans_suspension(dossier, referent):
    with pytest.raises(TransitionInterdite, match="n'est pas suspendu"):
        suivi.renouveler_suspension(dossier, referent)


def test_renouveler_vers_une_fin_anterieure(dossier, referent):
    suspension = suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.SANTE)
    with pytest.raises(ValidationError):
        suivi.renouveler_suspension(dossier, referent, fin_prevue=suspension.fin_prevue)
    assert not suspension.journal_renouvellements.exists()


def test_delais_par_defaut(monde, catalogue):
    appliquer_referentiel(monde.plie1, suivi=None)
    delais = suivi.delais_de_suivi(monde.plie1)
    assert delais.entretien_physique_mois == 1
    assert delais.sans_contact_mois == 2
    assert delais.sans_etape_mois == 6
    assert delais.alertes_duree_parcours_mois == (12, 24)
    assert delais.suspension_mois == 3
    assert [(r.action, r.delai_jours) for r in delais.absence_injustifiee] == [
        ("courrier", 5),
        ("appel", 12),
    ]
    assert delais.fse_sortie_semaines == 4


def test_delais_du_referentiel(monde, catalogue):
    appliquer_referentiel(monde.plie1, suivi={"sans_contact_mois": 3, "absence_injustifiee": []})
    delais = suivi.delais_de_suivi(monde.plie1.pk)
    assert delais.sans_contact_mois == 3 and delais.absence_injustifiee == ()
    assert delais.entretien_physique_mois == 1
