"""Parcours navigateur de l'entrée en PLIE, un rôle après l'autre (issue 3, point 8).

Le prescripteur (France Travail) saisit la prescription → l'animateur la prend dans sa file et la
déclare recevable (elle est placée sur la séance d'entrée à venir) → le président de séance
admet la personne et désigne son référent → le référent génère le contrat, enregistre les
signatures avec la copie signée, puis engage l'accompagnement une fois tout complet.

Le questionnaire FSE+ et les pièces d'entrée sont complétés en base par les vrais services
(`completer_engagement`) pour garder un parcours court : leurs écrans sont couverts au niveau
HTTP par tests/workflows/test_entree_commission_engagement.py.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect
from viewflow.workflow.status import STATUS

from parcours.accompagnement import engagement
from parcours.accompagnement.chemins import completer_engagement
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions import services as commissions
from parcours.commissions.models import Decision
from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE
from parcours.referentiel.services import importer_referentiel
from tests.e2e.navigateur import message, se_connecter
from tests.factories import StructureFactory, le_jour_de_la_seance, membre_nomme
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Acteurs:
    """Le PLIE de l'Agenais (référentiel réel), un compte par rôle, une séance d'entrée à venir."""

    def __init__(self):
        importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / "agenais.yaml")
        self.plie = PLIE.objects.get(code="agenais")
        porteur = StructureFactory(plie=self.plie, type=TypeStructure.PORTEUR, nom="Agglo Emploi")
        self.prescripteur = membre_nomme(
            Role.PRESCRIPTEUR,
            StructureFactory(
                plie=self.plie, type=TypeStructure.PRESCRIPTEUR, nom="France Travail Agen"
            ),
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
        self.session = commissions.planifier_session(
            plie=self.plie,
            type="entree",
            date=timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=7),
            membres=[self.president],
            president=self.president,
            par=self.animateur,
        )


@pytest.fixture
def acteurs(transactional_db):
    return Acteurs()


def test_entree_de_la_prescription_a_l_engagement(page: Page, acteurs):
    # 1. Le prescripteur saisit la prescription depuis son accueil.
    se_connecter(page, acteurs.prescripteur, "Paul Prescot")
    page.get_by_role("link", name="Nouvelle prescription").click()
    expect(page).to_have_url(re.compile(r"/app/participants/prescrire/$"))
    expect(
        page.get_by_role("heading", name="Prescription vers le PLIE de l'Agenais")
    ).to_be_visible()
    page.get_by_label("Nom *", exact=True).fill("Lefèvre")
    page.get_by_label("Prénom").fill("Éloïse")
    page.get_by_label("Date de naissance").fill("1980-05-17")
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_label("Téléphone").fill("0612345678")
    page.get_by_label("Commune de résidence").select_option(label="Agen (47001)")
    page.get_by_label("Motifs de l'orientation vers le PLIE *").fill(
        "Recherche d'emploi depuis deux ans, souhaite un accompagnement."
    )
    page.get_by_label("Sans emploi depuis").fill("2022-06-01")
    page.get_by_label("Allocataire du RSA (socle)", exact=True).check()
    # Chaque date de statut est nommée d'après son statut pour les lecteurs d'écran.
    page.get_by_label("Allocataire du RSA (socle) : depuis le").fill("2022-01-01")
    page.get_by_label("Mobilité").check()
    page.get_by_label("La personne a reçu la notice d'information").check()
    page.get_by_role("button", name="Envoyer la prescription").click()

    expect(message(page)).to_have_text(
        "Prescription de LEFÈVRE Éloïse enregistrée : "
        "l'équipe d'animation va en vérifier la recevabilité."
    )
    expect(page).to_have_url(re.compile(r"/app/participants/\d+/$"))
    parcours = Parcours.objects.select_related("participant").get()
    participant = parcours.participant
    expect(
        page.get_by_role("heading", name=f"LEFÈVRE Éloïse ({participant.numero})")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Parcours "))).to_have_text(
        "Parcours PLIE de l'Agenais — Prescrit"
    )

    # 2. L'animateur prend la tâche dans sa file et déclare la prescription recevable.
    se_connecter(page, acteurs.animateur, "Anne Animat")
    a_prendre = page.get_by_role("region", name="À prendre (1)")
    # Les tâches sont groupées par personne : le groupe (en-tête et tâches) de LEFÈVRE Éloïse.
    ligne = a_prendre.get_by_role("rowgroup").filter(has_text="LEFÈVRE Éloïse")
    expect(ligne).to_contain_text("Vérifier la recevabilité")
    ligne.get_by_role("button", name="Prendre").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Vérifier la recevabilité — LEFÈVRE Éloïse"))
    ).to_be_visible()
    expect(page.get_by_text("Éligible selon le référentiel du PLIE")).to_be_visible()
    page.get_by_label("Recevable : à inscrire en commission d'entrée").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))
    expect(message(page)).to_have_text(
        re.compile(
            r"^Prescription de LEFÈVRE Éloïse recevable, inscrite à la Commission d'entrée du "
            r"\d{2}/\d{2}/\d{4} à 14:00\.$"
        )
    )
    expect(page.get_by_role("region", name=re.compile("^À prendre"))).to_have_count(0)

    # 3. Le jour de la séance, le président l'ouvre et admet la personne en désignant sa
    # référente (présélectionnée : la seule du PLIE).
    le_jour_de_la_seance(acteurs.session)
    se_connecter(page, acteurs.president, "Pierre Présidant")
    page.get_by_role("link", name="Commissions").click()
    expect(page).to_have_url(re.compile(r"/app/commissions/$"))
    page.locator("#liste-sessions").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/app/commissions/{acteurs.session.pk}/$"))
    expect(page.get_by_role("heading", name="Ordre du jour (1)")).to_be_visible()
    ligne = page.locator(f"#dossier-{parcours.pk}")
    expect(ligne).to_contain_text("LEFÈVRE Éloïse")
    expect(ligne).to_contain_text("France Travail Agen")
    ligne.get_by_label("Décision").select_option(label="Admis")
    choix_referent = ligne.get_by_label("Référent (si admis)")
    libelle = choix_referent.locator("option", has_text="Rose Référa").text_content()
    choix_referent.select_option(label=libelle.strip())
    ligne.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("LEFÈVRE Éloïse : admis.")
    expect(ligne).to_contain_text("Admis — référent : Rose Référa (Opérateur Agen)")
    expect(ligne).to_contain_text("par Pierre Présidant le")

    # 4. La référente mène le premier entretien.
    se_connecter(page, acteurs.referent, "Rose Référa")
    mes_taches = page.get_by_role("region", name="Mes tâches")
    ligne = mes_taches.get_by_role("rowgroup").filter(has_text="LEFÈVRE Éloïse")  # par personne
    ligne.get_by_role("link", name="Premier entretien").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Premier entretien — LEFÈVRE Éloïse"))
    ).to_be_visible()
    expect(page.get_by_text("Pour engager l'accompagnement, il manque :")).to_be_visible()
    manquants = page.locator("#manquants li")
    for manque in (
        "Contrat d'engagement : signature du participant manquante",
        "Contrat d'engagement : copie signée non déposée",
        "Questionnaire FSE+ : date d'entrée dans l'opération manquante",
        "Pièce manquante : pièce d'identité ou titre de séjour",
    ):
        expect(manquants.filter(has_text=manque)).to_have_count(1)

    page.get_by_label("Objectifs du parcours").fill("Emploi durable dans la logistique.")
    page.get_by_role("button", name="Générer le contrat").click()
    expect(message(page)).to_have_text("Contrat d'engagement généré.")
    # Le contrat se télécharge par la vue des documents (politique d'accès, trace).
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le contrat (PDF)").click()
    contrat_genere = engagement.contrat_de(parcours)
    assert telechargement.value.suggested_filename == (
        f"contrat-engagement-{contrat_genere.pk}.pdf"
    )
    assert Path(telechargement.value.path()).read_bytes().startswith(b"%PDF-")

    # Les signatures du jour et la copie signée, saisies à l'écran.
    aujourdhui = timezone.localdate()
    page.get_by_label("Signature par le participant").fill(aujourdhui.isoformat())
    page.get_by_label("Signature par le référent").fill(aujourdhui.isoformat())
    page.get_by_label("Copie signée du contrat").set_input_files(
        {"name": "contrat-signe.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Enregistrer les signatures").click()
    expect(message(page)).to_have_text("Signatures enregistrées.")
    expect(page.get_by_text(f"Copie signée déposée le {aujourdhui:%d/%m/%Y}")).to_be_visible()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="télécharger", exact=True).click()
    assert Path(telechargement.value.path()).read_bytes() == PDF
    expect(manquants.filter(has_text="Contrat d'engagement")).to_have_count(0)
    expect(manquants.filter(has_text="Questionnaire FSE+").first).to_be_visible()

    # Questionnaire FSE+ et pièces d'entrée par les vrais services, puis engagement à l'écran.
    parcours.refresh_from_db()
    completer_engagement(parcours, par=acteurs.referent, parties=("questionnaire", "pieces"))
    page.reload()
    expect(page.get_by_text("Tout est prêt : l'accompagnement peut être engagé.")).to_be_visible()
    expect(manquants).to_have_count(0)
    page.get_by_role("button", name="Engager l'accompagnement").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))
    expect(message(page)).to_have_text("Accompagnement de LEFÈVRE Éloïse engagé.")
    expect(page.get_by_role("region", name="Mes tâches")).to_contain_text(
        "Aucune tâche en attente."
    )

    # 5. La fiche du participant : en accompagnement, avec tout l'historique de l'entrée.
    portefeuille = page.get_by_role("region", name=re.compile("^Mon portefeuille"))
    expect(portefeuille.get_by_role("heading")).to_have_text("Mon portefeuille — file active : 1")
    expect(portefeuille.get_by_role("listitem")).to_have_text(["En accompagnement : 1"])
    portefeuille.get_by_role("link", name="Voir mes participants").click()
    expect(page).to_have_url(re.compile(r"/app/participants/$"))
    ligne = page.locator("#liste-participants tbody tr")
    expect(ligne).to_have_count(1)
    expect(ligne.locator("td")).to_have_text(
        [
            participant.numero,
            "LEFÈVRE",
            "Éloïse",
            "17/05/1980",
            "Agen",
            "PLIE de l'Agenais",
            "En accompagnement",
            "Rose Référa",
            re.compile(r"^\d{2}/\d{2}/\d{4}$"),  # date d'entrée
        ]
    )
    ligne.get_by_role("link", name="LEFÈVRE").click()
    expect(page).to_have_url(re.compile(rf"/app/participants/{participant.pk}/$"))
    expect(page.get_by_role("heading", name=re.compile("^Parcours "))).to_have_text(
        "Parcours PLIE de l'Agenais — En accompagnement"
    )
    expect(
        page.get_by_text(re.compile(r"référent : Rose Référa \(Opérateur Agen\)"))
    ).to_be_visible()
    historique = page.locator("section", has=page.get_by_role("heading", name="Historique"))
    lignes = historique.locator("table tbody tr")
    expect(lignes.locator("td:nth-child(2)")).to_have_text(
        [
            "Engager l'accompagnement",
            "Admettre",
            "Inscrire en commission d'entrée",
            "Déclarer recevable",
        ]
    )
    expect(lignes.locator("td:nth-child(4)")).to_have_text(
        ["En accompagnement", "Admis", "En commission d'entrée", "Recevable"]
    )
    expect(lignes.locator("td:nth-child(5)")).to_have_text(
        ["Rose Référa", "Pierre Présidant", "Anne Animat", "Anne Animat"]
    )

    # 6. En base : l'état, les acteurs de chaque étape, la décision et un flux terminé.
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    assert parcours.referent == acteurs.referent
    assert parcours.prescripteur == acteurs.prescripteur
    prescription = parcours.prescription
    assert prescription.eligible is True
    assert (participant.commune_insee, prescription.sans_emploi_depuis, prescription.freins) == (
        "47001",
        datetime.date(2022, 6, 1),
        ["mobilite"],
    )
    assert [(s.code, s.depuis) for s in prescription.statuts.all()] == [
        ("rsa", datetime.date(2022, 1, 1))
    ]
    assert [(t.transition, t.par) for t in parcours.transitions.order_by("at", "id")] == [
        ("declarer_recevable", acteurs.animateur),
        ("inscrire_en_commission", acteurs.animateur),
        ("admettre", acteurs.president),
        ("engager", acteurs.referent),
    ]
    decision = Decision.objects.get(parcours=parcours)
    assert (decision.session, decision.par, decision.referent) == (
        acteurs.session,
        acteurs.president,
        acteurs.referent,
    )
    contrat = engagement.contrat_de(parcours)
    assert contrat.fichier.name.endswith(".pdf") and contrat.est_signe
    assert contrat.objectifs == "Emploi durable dans la logistique."
    assert engagement.etat_engagement(parcours).complet
    process = EntreeFlow.process_class.objects.get(
        artifact_object_id=parcours.pk, flow_class=EntreeFlow
    )
    assert process.status == STATUS.DONE
    assert not process.task_set.exclude(status=STATUS.DONE).exists()
