"""Tableau d'impact : participants en emploi 6 et 12 mois après leur embauche sur les marchés
du donneur d'ordre (002:L634). Calculé à la main, aujourd'hui = 01/05/2026 :

- Lina : embauchée le 01/04/2025 ; contrat 01/04/2025 → 31/12/2025.
  À 6 mois (01/10/2025) : oui ; à 12 mois (01/04/2026) : non.
- P2 : 15/06/2025 ; contrat chez un autre employeur depuis le 01/11/2025, en cours.
  À 6 mois (15/12/2025) : oui ; à 12 mois (15/06/2026) : non mesurable encore.
- P3 : 01/05/2025 ; contrats 01/05 → 30/06/2025 puis depuis le 01/04/2026.
  À 6 mois (01/11/2025) : non ; à 12 mois (01/05/2026, aujourd'hui) : oui.
- P4 : 10/01/2026, sans contrat : non mesurable encore aux deux jalons.
- Sam : candidat externe (aucun contrat enregistré) : hors décompte.
- P5 : PLIE 2, autre donneur d'ordre, en emploi : hors périmètre.

À 6 mois : 4 embauchés, 3 mesurables, 2 en emploi, 1 non mesurable encore.
À 12 mois : 4 embauchés, 2 mesurables, 1 en emploi, 2 non mesurables encore.
"""

import datetime
import io

import pytest
from openpyxl import load_workbook

from parcours.accompagnement.models import Parcours
from parcours.clauses import rapports
from parcours.clauses.exports import rapport_pdf, rapport_xlsx
from parcours.clauses.models import Marche
from parcours.emploi.models import Contrat
from tests.clauses.chantier_heures import Chantier, embaucher, participant_du_plie
from tests.clauses.factories import BesoinFactory
from tests.pdf import texte_pdf

pytestmark = pytest.mark.django_db

AUJOURDHUI = datetime.date(2026, 5, 1)
D = datetime.date


def _contrat(c, participant, debut, fin=None, employeur="Bâtir Agenais"):
    return Contrat.objects.create(
        parcours=Parcours.objects.get(participant=participant),
        type="cdd" if fin else "cdi",
        employeur=employeur,
        debut=debut,
        fin=fin,
        created_by=c.facilitateur,
    )


@pytest.fixture
def c(monde):
    c = Chantier(monde)
    _contrat(c, c.lina, D(2025, 4, 1), D(2025, 12, 31))
    p2 = participant_du_plie(monde, prenom="Deux")
    embaucher(c.besoin, p2, date=D(2025, 6, 15))
    _contrat(c, p2, D(2025, 11, 1), employeur="Autre employeur")
    p3 = participant_du_plie(monde, prenom="Trois")
    embaucher(c.besoin, p3, date=D(2025, 5, 1))
    _contrat(c, p3, D(2025, 5, 1), D(2025, 6, 30))
    _contrat(c, p3, D(2026, 4, 1))
    p4 = participant_du_plie(monde, prenom="Quatre")
    embaucher(c.besoin, p4, date=D(2026, 1, 10))
    p5 = participant_du_plie(monde, plie=2, prenom="Cinq")
    embaucher(BesoinFactory(marche=c.marche_plie2), p5, date=D(2025, 4, 1))
    _contrat(c, p5, D(2025, 4, 1))
    c.p2, c.p3 = p2, p3
    return c


def _marches(c):
    return Marche.objects.filter(operation__donneur_ordre=c.donneur)


ATTENDU = [
    {
        "jalon": 6,
        "embauches": 4,
        "mesurables": 3,
        "en_emploi": 2,
        "non_mesurables": 1,
    },
    {
        "jalon": 12,
        "embauches": 4,
        "mesurables": 2,
        "en_emploi": 1,
        "non_mesurables": 2,
    },
]


def _sans_libelle(lignes):
    return [{k: v for k, v in ligne.items() if k in ATTENDU[0]} for ligne in lignes]


def test_emploi_a_6_et_12_mois_en_une_requete(c, django_assert_num_queries):
    with django_assert_num_queries(1):
        lignes = rapports.emploi_apres_embauche(_marches(c), aujourdhui=AUJOURDHUI)
    assert _sans_libelle(lignes) == ATTENDU


def test_la_periode_filtre_les_embauches(c):
    periode = rapports.Periode(D(2025, 5, 1), D(2025, 6, 1))  # P3 et P2
    lignes = rapports.emploi_apres_embauche(_marches(c), periode, aujourdhui=AUJOURDHUI)
    assert [(e["embauches"], e["mesurables"], e["en_emploi"]) for e in lignes] == [
        (2, 2, 1),
        (2, 1, 1),
    ]


def test_requetes_constantes(c, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as avant:
        rapports.tableau_impact(c.donneur, _marches(c), aujourdhui=AUJOURDHUI)
    for i in range(3):
        p = participant_du_plie(c.monde, prenom=f"Plus{i}")
        embaucher(c.besoin2, p, date=D(2025, 4, 1))
        _contrat(c, p, D(2025, 4, 1))
    with django_assert_max_num_queries(len(avant)):
        rapports.tableau_impact(c.donneur, _marches(c), aujourdhui=AUJOURDHUI)


def test_xlsx_et_pdf(c):
    rapport = rapports.tableau_impact(c.donneur, _marches(c), aujourdhui=AUJOURDHUI)
    classeur = load_workbook(io.BytesIO(rapport_xlsx(rapport)))
    feuille = classeur["Emploi après l'embauche"]
    lignes = [ligne for ligne in feuille.iter_rows(values_only=True) if ligne[0]]
    entete = lignes.index(
        (
            "Jalon",
            "Participants embauchés",
            "Mesurables",
            "En emploi",
            "Part en emploi",
            "Non mesurables encore",
        )
    )
    six, douze = lignes[entete + 1], lignes[entete + 2]
    assert six[:4] == ("En emploi à 6 mois", 4, 3, 2) and six[5] == 1
    assert six[4] == pytest.approx(2 / 3, abs=1e-4)
    assert douze[:4] == ("En emploi à 12 mois", 4, 2, 1) and douze[5] == 2
    assert douze[4] == pytest.approx(0.5)
    synthese = {
        ligne[0]: ligne[1]
        for ligne in classeur["Synthèse"].iter_rows(values_only=True)
        if ligne and ligne[0]
    }
    assert synthese["Participants en emploi à 6 mois"] == "2 sur 3 (1 non mesurable(s) encore)"
    assert synthese["Participants en emploi à 12 mois"] == "1 sur 2 (2 non mesurable(s) encore)"
    texte = texte_pdf(rapport_pdf(rapport))
    assert "En emploi à 12 mois" in texte
    # Des totaux seulement : aucun nom de personne.
    for nom in ("Lina", "Deux", "Trois"):
        assert nom not in texte


def test_ecran_du_donneur_d_ordre_en_totaux_seulement(client, monde):
    from django.urls import reverse

    from tests.clauses.test_rapports_acces import Monde

    m = Monde(monde)
    # Lina, embauchée le 01/04/2025, en emploi depuis : les deux jalons sont passés.
    _contrat(m, m.lina, D(2025, 4, 1))
    client.force_login(m.compte_donneur)
    texte = client.get(reverse("clauses:impact", args=[m.donneur.pk])).content.decode()
    assert "Emploi après l&#x27;embauche" in texte or "Emploi après l'embauche" in texte
    assert "En emploi à 6 mois" in texte and "En emploi à 12 mois" in texte
    assert "1 sur 1" in texte
    assert "Lina" not in texte and m.lina.numero not in texte
