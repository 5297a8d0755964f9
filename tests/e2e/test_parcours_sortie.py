"""Parcours navigateur de la sortie (issue 4, point 9).

La référente enregistre le contrat de la personne → voit les critères de sortie remplis et leur
date → propose la sortie (inscrite à la commission de sortie à venir) → le président valide la
sortie en séance → la référente saisit les données FSE+ de sortie depuis sa boîte de tâches.
"""

import datetime
import re
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect
from viewflow.workflow.status import STATUS

from parcours.accompagnement.chemins import amener, completer_engagement
from parcours.accompagnement.enums import Statut
from parcours.commissions import services as commissions
from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE
from parcours.emploi import services as emploi
from parcours.emploi.models import DonneesSortieFSE, PropositionSortie
from parcours.referentiel import calendrier
from parcours.referentiel.services import importer_referentiel
from tests.e2e.navigateur import message, se_connecter
from tests.factories import (
    ParcoursFactory,
    PrescriptionFactory,
    StructureFactory,
    le_jour_de_la_seance,
    membre_nomme,
)
from workflows.emploi.flows import SortieFlow

pytestmark = pytest.mark.e2e


class Acteurs:
    """L'Agenais (référentiel réel, règles de sortie comprises), une personne en accompagnement,
    une commission de sortie dans une semaine."""

    def __init__(self):
        importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / "agenais.yaml")
        self.plie = PLIE.objects.get(code="agenais")
        porteur = StructureFactory(plie=self.plie, type=TypeStructure.PORTEUR, nom="Agglo Emploi")
        prescripteur = membre_nomme(
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
        self.parcours = ParcoursFactory(
            plie=self.plie,
            territoire=self.plie.territoires.first(),
            prescripteur=prescripteur,
            structure_prescriptrice=prescripteur.memberships.get().structure,
            participant__nom="Lefèvre",
            participant__prenom="Éloïse",
            date_prescription=timezone.localdate() - relativedelta(months=10),
        )
        PrescriptionFactory(parcours=self.parcours)
        amener(
            self.parcours,
            Statut.EN_ACCOMPAGNEMENT,
            {"animateur": self.animateur, "prescripteur": prescripteur},
            referent=self.referent,
            engagement=completer_engagement,
        )
        self.session = commissions.planifier_session(
            plie=self.plie,
            type="sortie",
            date=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=7),
            membres=[self.president],
            president=self.president,
            par=self.animateur,
        )


@pytest.fixture
def acteurs(transactional_db):
    return Acteurs()


def test_sortie_du_contrat_aux_donnees_fse(page: Page, acteurs):
    page.on("dialog", lambda dialogue: dialogue.accept())  # les confirmations
    parcours = acteurs.parcours
    debut = timezone.localdate() - relativedelta(months=7)

    # 1. La référente enregistre le CDI commencé il y a sept mois.
    se_connecter(page, acteurs.referent, "Rose Référa")
    page.goto(f"/app/emploi/{parcours.pk}/contrats/")
    expect(page.get_by_text("Critères non remplis à ce jour.")).to_be_visible()
    formulaire = page.locator("#form-contrat")
    formulaire.get_by_label("Type de contrat").select_option(label="CDI")
    formulaire.get_by_label("Employeur (ou agence d'intérim)").fill("Boulangerie Martin")
    formulaire.get_by_label("Début").fill(debut.isoformat())
    formulaire.get_by_label("Heures par semaine").fill("35")
    formulaire.get_by_label("Période d'essai (jours)").fill("60")
    formulaire.get_by_role("button", name="Enregistrer le contrat").click()
    expect(message(page)).to_contain_text("Contrat enregistré : CDI — Boulangerie Martin")
    expect(page.locator("#statut-parcours")).to_have_text("En emploi (suivi)")

    # 2. Elle voit les critères remplis, la date et l'explication du moteur.
    q = emploi.qualification_du_parcours(parcours)
    assert q.qualifie
    qualification = page.locator("#qualification")
    expect(qualification).to_contain_text(f"Critères remplis depuis le {q.atteint_le:%d/%m/%Y}")
    expect(qualification).to_contain_text("Emploi durable")
    expect(qualification).to_contain_text("(règle « CDI de 6 mois ou plus »)")  # pas son code
    expect(page.locator("#explication")).to_contain_text(q.explication.splitlines()[0])
    expect(page.locator("#explication")).to_contain_text(f"atteint le {q.atteint_le:%d/%m/%Y}")

    # 3. Elle propose la sortie : le dossier va à la commission de sortie à venir.
    page.get_by_role("link", name="Proposer la sortie").click()
    expect(page.get_by_role("heading", name="Proposer la sortie")).to_be_visible()
    proposition = page.locator("#form-proposition")
    expect(proposition.get_by_label("Type de sortie")).to_have_value("emploi_durable")
    proposition.get_by_label("Éléments à l'appui (pour la commission)").fill(
        "CDI confirmé à l'issue de la période d'essai."
    )
    proposition.get_by_role("button", name="Proposer la sortie").click()
    expect(message(page)).to_have_text(
        re.compile(
            r"^Sortie de LEFÈVRE Éloïse proposée \(Emploi durable\) : inscrite à la Commission "
            r"de sortie du \d{2}/\d{2}/\d{4} à 14:00\.$"
        )
    )
    expect(page.locator("#statut-parcours")).to_have_text("Sortie proposée")

    # 4. Le jour de la séance, le président valide la sortie.
    le_jour_de_la_seance(acteurs.session)
    se_connecter(page, acteurs.president, "Pierre Présidant")
    page.goto(f"/app/commissions/{acteurs.session.pk}/")
    ligne = page.locator(f"#dossier-{parcours.pk}")
    expect(ligne).to_contain_text("Sortie proposée : Emploi durable")
    ligne.get_by_label("Décision").select_option(label="Sortie validée")
    ligne.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("LEFÈVRE Éloïse : sorti.")
    expect(ligne).to_contain_text("Sortie validée")

    # 5. La référente trouve la tâche des données FSE+ dans sa boîte et la fait.
    se_connecter(page, acteurs.referent, "Rose Référa")
    mes_taches = page.get_by_role("region", name="Mes tâches")
    ligne = mes_taches.get_by_role("rowgroup").filter(has_text="LEFÈVRE Éloïse")  # par personne
    echeance = timezone.localdate() + datetime.timedelta(weeks=4)
    expect(ligne).to_contain_text(f"{echeance:%d/%m/%Y}")
    ligne.get_by_role("link", name="Saisir les données FSE de sortie").click()
    expect(page.get_by_text(f"À saisir avant le {echeance:%d/%m/%Y}")).to_be_visible()
    formulaire = page.locator("#form-fse")
    expect(formulaire.get_by_label("En emploi (y compris création d'entreprise)")).to_be_checked()
    formulaire.get_by_label("À temps plein").select_option(label="Oui")
    formulaire.get_by_role("button", name="Enregistrer les données de sortie").click()
    expect(message(page)).to_have_text("Données FSE+ de sortie de LEFÈVRE Éloïse enregistrées.")
    expect(page.get_by_role("region", name="Mes tâches")).not_to_contain_text("LEFÈVRE")

    parcours.refresh_from_db()
    assert parcours.statut == Statut.SORTI
    assert PropositionSortie.objects.get(parcours=parcours).statut == "validee"
    donnees = DonneesSortieFSE.objects.get(parcours=parcours)
    assert (donnees.situation, donnees.type_contrat, donnees.temps_plein) == ("emploi", "cdi", True)
    tache = SortieFlow.task_class.objects.get(
        process__artifact_object_id=parcours.pk, flow_task=SortieFlow.donnees_fse
    )
    assert tache.status == STATUS.DONE


def test_contrat_qui_commence_demain_date_prevue_comme_la_commande(page: Page, acteurs):
    """Issue 12 : un CDD 35 h saisi la veille de son début donne, sur la page des contrats, la
    même date prévisionnelle que le moteur (et donc que `evaluer_sortie`), par la règle des CDD
    (pas « aucun contrat compté (CDI) … Non atteignable »)."""
    page.on("dialog", lambda dialogue: dialogue.accept())
    parcours = acteurs.parcours
    demain = timezone.localdate() + datetime.timedelta(days=1)
    se_connecter(page, acteurs.referent, "Rose Référa")
    page.goto(f"/app/emploi/{parcours.pk}/contrats/")
    formulaire = page.locator("#form-contrat")
    formulaire.get_by_label("Type de contrat").select_option(label="CDD")
    formulaire.get_by_label("Employeur (ou agence d'intérim)").fill("Mairie d'Agen")
    formulaire.get_by_label("Début").fill(demain.isoformat())
    formulaire.get_by_label("Fin (vide si en cours)").fill(
        (demain + relativedelta(months=7)).isoformat()
    )
    formulaire.get_by_label("Heures par semaine").fill("35")
    formulaire.get_by_role("button", name="Enregistrer le contrat").click()
    expect(message(page)).to_contain_text("Contrat enregistré")

    q = emploi.qualification_du_parcours(parcours)
    assert (q.qualifie, q.regle) == (False, "cdd")
    assert q.previsionnel_le == calendrier.terme(demain, 6)
    expect(page.locator("#previsionnel")).to_have_text(f"{q.previsionnel_le:%d/%m/%Y}")
    explication = page.locator("#explication")
    expect(explication).to_contain_text("« CDD de 6 mois ou plus chez le même employeur")
    expect(explication).not_to_contain_text("Non atteignable")
