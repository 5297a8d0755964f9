"""Parcours navigateur d'une commission d'entrée (issue 12, points 1 et 7) : une séance de
l'Agenais le jour même, deux dossiers. Le président lit le résumé de chaque dossier, ajourne le
premier sans motif (message, la ligne reste « Ajourné »), corrige avec le motif, admet le second
avec la référente présélectionnée ; la séance est tenue, il la clôture en confirmant les présents,
puis rouvre le dossier décidé (plus de 404 après la clôture)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from parcours.accompagnement.chemins import amener
from parcours.accompagnement.enums import Statut
from parcours.commissions import services as commissions
from parcours.commissions.enums import StatutSession, TypeDecision
from parcours.commissions.models import Decision
from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE
from parcours.referentiel.services import importer_referentiel
from tests.e2e.navigateur import message, se_connecter
from tests.factories import (
    ParcoursFactory,
    PrescriptionFactory,
    StructureFactory,
    le_jour_de_la_seance,
    membre_nomme,
)

pytestmark = pytest.mark.e2e


class Seance:
    def __init__(self):
        importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / "agenais.yaml")
        self.plie = PLIE.objects.get(code="agenais")
        porteur = StructureFactory(plie=self.plie, type=TypeStructure.PORTEUR, nom="Agglo Emploi")
        self.prescripteur = membre_nomme(
            Role.PRESCRIPTEUR,
            StructureFactory(plie=self.plie, type=TypeStructure.PRESCRIPTEUR, nom="FT Agen"),
            "prescripteur.ft",
            "Paul",
            "Prescot",
        )
        self.animateur = membre_nomme(Role.ANIMATEUR, porteur, "animatrice", "Anne", "Animat")
        self.president = membre_nomme(Role.COMMISSION, porteur, "president", "Pierre", "Présidant")
        self.referent = membre_nomme(
            Role.REFERENT,
            StructureFactory(plie=self.plie, nom="Opérateur Agen"),
            "referente",
            "Rose",
            "Référa",
        )
        self.dossiers = [self.recevable("Lefèvre", "Éloïse"), self.recevable("Martin", "Hugo")]
        # La séance créée reçoit les dossiers recevables qui attendaient.
        self.session = commissions.planifier_session(
            plie=self.plie,
            type="entree",
            date=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=7),
            membres=[self.president],
            president=self.president,
            par=self.animateur,
        )
        le_jour_de_la_seance(self.session)

    def recevable(self, nom, prenom):
        parcours = ParcoursFactory(
            plie=self.plie,
            territoire=self.plie.territoires.first(),
            prescripteur=self.prescripteur,
            structure_prescriptrice=self.prescripteur.memberships.get().structure,
            participant__nom=nom,
            participant__prenom=prenom,
            participant__commune_nom="Agen",
        )
        PrescriptionFactory(parcours=parcours, motif="Recherche un emploi dans la logistique")
        acteurs = {"animateur": self.animateur, "prescripteur": self.prescripteur}
        return amener(parcours, Statut.RECEVABLE, acteurs, referent=self.referent)


@pytest.fixture
def seance(transactional_db):
    return Seance()


def test_commission_d_entree_une_erreur_puis_la_correction(page: Page, seance):
    eloise, hugo = seance.dossiers
    se_connecter(page, seance.president, "Pierre Présidant")
    page.get_by_role("link", name="Commissions").click()
    page.locator("#liste-sessions").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/app/commissions/{seance.session.pk}/$"))
    expect(page.get_by_role("heading", name="Ordre du jour (2)")).to_be_visible()
    expect(page.locator("#etat-seance")).to_have_text("Planifiée")
    # Rien à inscrire pour le président : il ne gère pas l'ordre du jour.
    expect(page.get_by_role("button", name="Inscrire à cette séance")).to_have_count(0)

    ligne = page.locator(f"#dossier-{eloise.pk}")
    expect(ligne.locator(".plie-resume")).to_contain_text(" ans · Agen · prescrit par FT Agen")
    expect(ligne.locator(".plie-resume")).to_contain_text(
        "éligible · motif : Recherche un emploi dans la logistique"
    )
    # La référente suggérée est présélectionnée.
    expect(ligne.get_by_label("Référent (si admis)")).to_have_value(str(seance.referent.pk))

    # 1. Ajourné sans motif : le message, la ligne reste « Ajourné ».
    ligne.get_by_label("Décision").select_option(label="Ajourné")
    ligne.get_by_role("button", name="Enregistrer").click()
    ligne = page.locator(f"#dossier-{eloise.pk}")
    expect(ligne.get_by_role("alert")).to_have_text(
        "Un motif est obligatoire pour la décision « Ajourné »."
    )
    expect(ligne.get_by_label("Décision")).to_have_value("ajourne")
    expect(page.get_by_text("Transition")).to_have_count(0)
    assert not Decision.objects.exists()

    # 2. La correction : le motif tapé, la même ligne enregistrée.
    ligne.get_by_label("Motif").fill("Projet professionnel à préciser")
    ligne.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("LEFÈVRE Éloïse : ajourné.")
    expect(page.locator(f"#dossier-{eloise.pk}")).to_contain_text(
        "Ajourné — Projet professionnel à préciser"
    )
    expect(page.locator("#etat-seance")).to_have_text("En cours (décisions)")

    # 3. Le second dossier : admis avec la référente présélectionnée.
    ligne = page.locator(f"#dossier-{hugo.pk}")
    ligne.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("MARTIN Hugo : admis.")
    expect(page.locator(f"#dossier-{hugo.pk}")).to_contain_text(
        "Admis — référent : Rose Référa (Opérateur Agen)"
    )
    expect(page.locator("#etat-seance")).to_have_text("Tenue (à clôturer)")

    # 4. La clôture demande confirmation, les présents cochés.
    page.get_by_role("link", name="Clôturer la séance…").click()
    expect(page.get_by_role("heading", name=re.compile("^Clôturer la "))).to_be_visible()
    expect(page.get_by_label("Pierre Présidant")).to_be_checked()
    page.get_by_role("button", name="Clôturer la séance").click()
    expect(message(page)).to_have_text(
        "Séance clôturée : procès-verbal établi, prescripteurs informés."
    )
    expect(page.locator("#etat-seance")).to_have_text("Clôturée")
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)
    expect(page.get_by_role("link", name="Procès-verbal (PDF)")).to_be_visible()

    # 5. Après la clôture, le président relit le dossier qu'il a décidé.
    page.locator(f"#dossier-{hugo.pk}").get_by_role("link", name="MARTIN Hugo").click()
    expect(page.get_by_role("heading", name=re.compile("^MARTIN Hugo"))).to_be_visible()

    seance.session.refresh_from_db()
    assert seance.session.statut == StatutSession.CLOTUREE
    assert list(seance.session.presents.all()) == [seance.president]
    assert sorted(Decision.objects.values_list("type", flat=True)) == [
        TypeDecision.ADMIS,
        TypeDecision.AJOURNE,
    ]
