"""Parcours navigateur d'une clause sociale, du besoin au tableau d'impact (issue 5, point 7).

La facilitatrice enregistre le besoin de l'entreprise attributaire → elle y positionne deux
candidats externes (éligibilité vérifiée, présentés à l'entreprise) → l'entreprise en retient un
(embauche enregistrée) et écarte l'autre → la facilitatrice importe le fichier d'heures du mois
(aperçu puis confirmation) → le tableau d'impact du donneur d'ordre montre ces heures, à l'écran
et dans le classeur téléchargé ; le compte du donneur d'ordre le lit aussi, sans nom de personne.

Le référentiel réel de l'Agenais fournit le public éligible (section `clauses`) ; le donneur
d'ordre, l'opération, le marché, l'entreprise et les deux candidats sont posés en base.
"""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from parcours.clauses.enums import ModaliteClause, StatutPositionnement, TypeDonneurOrdre
from parcours.clauses.models import (
    CandidatExterne,
    DonneurOrdre,
    HeuresRealisees,
    Marche,
    Operation,
    Positionnement,
)
from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE
from parcours.entreprises.models import Entreprise
from parcours.referentiel.services import importer_referentiel
from tests.clauses.chantier_heures import siret_valide
from tests.e2e.navigateur import message, se_connecter
from tests.factories import StructureFactory, membre_nomme

pytestmark = pytest.mark.e2e


class Acteurs:
    def __init__(self):
        importer_referentiel(Path(settings.BASE_DIR) / "referentiels" / "agenais.yaml")
        self.plie = PLIE.objects.get(code="agenais")
        porteur = StructureFactory(plie=self.plie, type=TypeStructure.PORTEUR, nom="Agglo Emploi")
        self.facilitatrice = membre_nomme(
            Role.FACILITATEUR, porteur, "facilitatrice", "Fanny", "Facil"
        )
        bailleur = StructureFactory(
            plie=self.plie, type=TypeStructure.DONNEUR_ORDRE, nom="Agen Habitat (bailleur)"
        )
        self.compte_bailleur = membre_nomme(
            Role.DONNEUR_ORDRE, bailleur, "bailleur", "Bernard", "Bailleur"
        )
        self.donneur = DonneurOrdre.objects.create(
            plie=self.plie,
            nom="Agen Habitat",
            type=TypeDonneurOrdre.BAILLEUR_SOCIAL,
            structure=bailleur,
        )
        operation = Operation.objects.create(donneur_ordre=self.donneur, nom="Résidence des Pins")
        self.entreprise = Entreprise.objects.create(
            plie=self.plie, raison_sociale="Bâtir Agenais", siret=siret_valide(43210001)
        )
        # Le mois courant : l'embauche et les heures tombent dans la période du marché.
        self.mois = timezone.localdate().replace(day=1)
        self.marche = Marche.objects.create(
            operation=operation,
            numero="2026-BAT-001",
            intitule="Gros œuvre",
            modalite_clause=ModaliteClause.CONDITION_EXECUTION,
            heures_prevues=Decimal(1200),
            date_debut=self.mois - datetime.timedelta(days=200),
            date_fin=self.mois + datetime.timedelta(days=400),
            attributaire=self.entreprise,
        )
        commun = {
            "plie": self.plie,
            "commune_insee": "47001",
            "commune_nom": "Agen",
            "rsa": True,
            "created_by": self.facilitatrice,
        }
        self.sam = CandidatExterne.objects.create(
            nom="Martin", prenom="Sam", date_naissance=datetime.date(1985, 3, 2), sexe="H", **commun
        )
        self.lea = CandidatExterne.objects.create(
            nom="Durand", prenom="Léa", date_naissance=datetime.date(1990, 7, 9), sexe="F", **commun
        )


@pytest.fixture
def acteurs(transactional_db):
    return Acteurs()


def proposer_et_positionner(page: Page, besoin_url: str, candidat):
    """Depuis la fiche du besoin : proposer le candidat externe, confirmer son éligibilité, le
    présenter à l'entreprise."""
    page.goto(besoin_url)
    page.get_by_role("link", name="Proposer un candidat").click()
    page.get_by_label("Candidat externe déjà enregistré").select_option(label=str(candidat))
    page.get_by_role("button", name="Proposer").click()
    expect(message(page)).to_have_text(
        f"Candidature de {candidat} proposée : le facilitateur vérifie son éligibilité."
    )
    page.get_by_role("link", name="Vérifier l'éligibilité à la clause").click()
    page.get_by_label("Éligible à la clause").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("Éligibilité enregistrée.")
    page.get_by_role("link", name="Positionner auprès de l'entreprise").click()
    page.get_by_label("Commentaire (CV validé, entretien prévu…)").fill("CV validé.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("Candidature positionnée auprès de l'entreprise.")
    return page.url


def test_clause_du_besoin_au_tableau_d_impact(page: Page, acteurs, tmp_path):
    a = acteurs
    # 1. La facilitatrice enregistre le besoin de l'entreprise attributaire.
    se_connecter(page, a.facilitatrice, "Fanny Facil")
    page.goto("/app/clauses/")
    page.get_by_role("link", name="Nouveau besoin").click()
    expect(page.get_by_role("heading", name="Nouveau besoin")).to_be_visible()
    # Les champs par leur identifiant (le libellé peut changer, l'identifiant reste).
    page.locator("#id_marche").select_option(label=str(a.marche))
    page.get_by_label("Poste *", exact=True).fill("Maçon VRD")
    page.get_by_label("Nombre de postes *", exact=True).fill("1")
    page.get_by_label("Type de contrat *", exact=True).select_option(label="CDD")
    page.get_by_label("Début souhaité *", exact=True).fill(f"{a.mois:%Y-%m-%d}")
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text(
        "Besoin « Maçon VRD » enregistré : diffusez-le aux référents et prescripteurs."
    )
    expect(page.get_by_role("heading", name=re.compile("^Maçon VRD"))).to_be_visible()
    besoin_url = page.url

    # 2. Elle positionne deux candidats.
    candidature_sam = proposer_et_positionner(page, besoin_url, a.sam)
    candidature_lea = proposer_et_positionner(page, besoin_url, a.lea)
    page.goto(besoin_url)
    candidatures = page.locator("#candidatures")
    expect(candidatures.get_by_text("Positionnée auprès de l'entreprise")).to_have_count(2)

    # 3. L'entreprise retient Sam (embauche) et écarte Léa.
    page.goto(candidature_sam)
    page.get_by_role("link", name="Décision de l'entreprise").click()
    page.get_by_label("Candidature retenue").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("Décision de l'entreprise enregistrée.")
    page.get_by_role("link", name="Enregistrer l'embauche").click()
    expect(page.get_by_label("Employeur")).to_have_value("Bâtir Agenais")
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("Embauche enregistrée.")
    expect(
        page.get_by_text(re.compile(r"^Embauche le \d{2}/\d{2}/\d{4} : CDD chez Bâtir"))
    ).to_be_visible()

    page.goto(candidature_lea)
    page.get_by_role("link", name="Décision de l'entreprise").click()
    page.get_by_label("Candidature non retenue").check()
    page.get_by_label("Motif").fill("Pas de permis B.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page)).to_have_text("Décision de l'entreprise enregistrée.")
    assert dict(Positionnement.objects.values_list("candidat_externe__prenom", "statut")) == {
        "Sam": StatutPositionnement.EMBAUCHEE,
        "Léa": StatutPositionnement.NON_RETENUE,
    }

    # 4. Les heures du mois arrivent : un fichier avec une erreur (Léa n'est pas embauchée)
    # est refusé en entier, puis le fichier corrigé est contrôlé et importé.
    mois = f"{a.mois:%Y-%m}"
    entete = "marche;siret;personne;mois;heures\r\n"
    ligne_sam = f"{a.marche.numero};{a.entreprise.siret};{a.sam.numero};{mois};151,67\r\n"
    fautif = tmp_path / "heures-fautif.csv"
    fautif.write_bytes(
        (
            "\ufeff"
            + entete
            + ligne_sam
            + f"{a.marche.numero};{a.entreprise.siret};{a.lea.numero};{mois};20\r\n"
        ).encode()
    )
    page.goto("/app/clauses/heures/")
    expect(page.locator("#marches-heures")).to_contain_text("2026-BAT-001")
    page.get_by_role("link", name="Importer un fichier d'heures").click()
    # Le modèle à remplir : l'en-tête attendu et une ligne d'exemple tirée du PLIE.
    with page.expect_download() as modele:
        page.get_by_role("link", name="Télécharger le modèle").click()
    lignes_modele = Path(modele.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert lignes_modele[0] == entete.strip()
    assert lignes_modele[1].startswith(f"{a.marche.numero};{a.entreprise.siret};P000123;")
    page.get_by_label("Fichier").set_input_files(str(fautif))
    page.get_by_role("button", name="Contrôler le fichier").click()
    erreurs = page.locator("#erreurs-import")
    expect(erreurs).to_contain_text(
        "1 erreur dans « heures-fautif.csv » : aucune heure n'a été enregistrée."
    )
    expect(erreurs.get_by_role("listitem")).to_have_text(
        [
            f"ligne 3 : personne « {a.lea.numero} » : pas embauchée sur le marché "
            f"« {a.marche.numero} » (aucune candidature « Embauchée » sur un besoin de ce marché)"
        ]
    )
    assert HeuresRealisees.objects.count() == 0

    correct = tmp_path / "heures.csv"
    correct.write_bytes(("\ufeff" + entete + ligne_sam).encode())
    page.get_by_label("Fichier").set_input_files(str(correct))
    page.get_by_role("button", name="Contrôler le fichier").click()
    expect(page.locator("#apercu-import")).to_contain_text(
        "Fichier « heures.csv » valide : 1 ligne, 151,67 h — 1 nouvelle, 0 remplacée."
    )
    assert HeuresRealisees.objects.count() == 0  # l'aperçu n'enregistre rien
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(message(page)).to_have_text(
        "Import de « heures.csv » : 1 ligne(s), 151,67 h — 1 nouvelle(s), 0 remplacée(s)."
    )
    heures = HeuresRealisees.objects.get()
    assert (heures.candidat_externe, heures.heures, heures.source) == (
        a.sam,
        Decimal("151.67"),
        "import",
    )

    # La grille du mois montre les heures importées (en tête, à part, dans la case).
    page.goto(f"/app/clauses/heures/marches/{a.marche.pk}/?mois={mois}")
    expect(page.locator("#heures-enregistrees")).to_have_text(
        f"Déjà enregistrées pour {a.mois:%m/%Y} : 151,67 h pour 1 personne sur 1."
    )
    expect(page.locator("#saisie-heures input[name^='heures_']")).to_have_value("151,67")

    # 5. Le tableau d'impact du donneur d'ordre montre les heures.
    page.get_by_role("link", name="Bilans d'heures").click()
    page.locator("#par-donneur").get_by_role("link", name="Agen Habitat").click()
    expect(page.get_by_role("heading", name="Tableau d'impact — Agen Habitat")).to_be_visible()
    synthese = page.locator("#synthese")
    expect(synthese).to_contain_text("Heures d'insertion prévues1\u202f200,00")
    expect(synthese).to_contain_text("Heures d'insertion réalisées151,67")
    expect(synthese).to_contain_text("Taux de réalisation12,6\u00a0%")
    expect(synthese).to_contain_text("Personnes ayant travaillé1")
    expect(synthese).to_contain_text("Embauches1")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger (XLSX)").click()
    classeur = load_workbook(io.BytesIO(Path(telechargement.value.path()).read_bytes()))
    marches = list(classeur["Par marché"].iter_rows(values_only=True))
    assert marches[1][0] == "2026-BAT-001"
    assert marches[1][7] == pytest.approx(151.67)

    # 6. Le compte du bailleur lit le même tableau, sans nom de personne.
    # Il y arrive depuis son accueil (issue 12 : le lien manquait).
    se_connecter(page, a.compte_bailleur, "Bernard Bailleur")
    page.locator("#tableaux-impact").get_by_role(
        "link", name="Tableau d'impact — Agen Habitat"
    ).click()
    expect(page.get_by_role("heading", name="Tableau d'impact — Agen Habitat")).to_be_visible()
    expect(page.locator("#synthese")).to_contain_text("Heures d'insertion réalisées151,67")
    expect(page.get_by_role("main")).not_to_contain_text("Martin")
    expect(page.get_by_role("main")).not_to_contain_text(a.sam.numero)
