"""Tableau de bord : « confirmées après la période d'essai ». Participant : d'après le contrat
relié à la candidature ; candidat externe seulement : des heures deux mois après l'embauche.

Embauches d'avril 2025 sur 2025-BAT-001 (calculé à la main, aujourd'hui = 01/09/2025) :
- A : essai fini le 31/05, contrat en cours                       → confirmée
- B : contrat fini le 15/05, pendant l'essai (fin d'essai 31/05)  → non
- C : essai fini le 01/09 (pas encore passé le 01/09)              → non (oui le 02/09)
- D : contrat sans période d'essai renseignée                      → non
- E : participant sans contrat relié, des heures en juin           → non (pas d'approximation)
- F : contrat fini le jour de la fin d'essai (31/05)               → non
- G : candidat externe, des heures en juin                         → confirmée (approximation)
- Lina (Chantier, deux besoins, sans contrat)                      → non
"""

import datetime

import pytest

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.clauses import rapports
from parcours.clauses.models import Positionnement
from parcours.emploi.models import Contrat
from tests.clauses.chantier_heures import Chantier, embaucher, heures, participant_du_plie
from tests.clauses.factories import CandidatExterneFactory

pytestmark = pytest.mark.django_db

AVRIL = datetime.date(2025, 4, 1)


def _embauche_avec_contrat(c, fin_essai, fin=None, nom="x"):
    participant = participant_du_plie(c.monde, prenom=nom)
    positionnement = embaucher(c.besoin, participant, date=AVRIL)
    if fin_essai is False:  # aucun contrat relié
        return participant
    contrat = Contrat.objects.create(
        parcours=Parcours.objects.get(participant=participant),
        type="cdi",
        employeur="Bâtir Agenais",
        debut=AVRIL,
        fin=fin,
        periode_essai_jours=(fin_essai - AVRIL).days + 1 if fin_essai else None,
        fin_periode_essai=fin_essai,
        created_by=c.facilitateur,
    )
    Positionnement.objects.filter(pk=positionnement.pk).update(contrat=contrat)
    return participant


@pytest.fixture
def c(monde):
    c = Chantier(monde)
    mai31 = datetime.date(2025, 5, 31)
    _embauche_avec_contrat(c, mai31, nom="A")
    _embauche_avec_contrat(c, mai31, fin=datetime.date(2025, 5, 15), nom="B")
    _embauche_avec_contrat(c, datetime.date(2025, 9, 1), nom="C")
    _embauche_avec_contrat(c, None, nom="D")
    e = _embauche_avec_contrat(c, False, nom="E")
    heures(c, c.marche, e, (2025, 6), 35)
    _embauche_avec_contrat(c, mai31, fin=mai31, nom="F")
    g = CandidatExterneFactory(plie=monde.plie1)
    embaucher(c.besoin, g, date=AVRIL)
    heures(c, c.marche, g, (2025, 6), 35)
    return c


def _positionnements(c):
    return acces.positionnements_visibles(c.facilitateur).filter(besoin__marche__plie=c.monde.plie1)


def _avril(c, aujourdhui, positionnements=None):
    positionnements = positionnements if positionnements is not None else _positionnements(c)
    lignes = rapports.tableau_de_bord(positionnements, 2025, aujourdhui=aujourdhui)
    return next(ligne for ligne in lignes if ligne["mois"] == AVRIL)


def test_confirmations_d_apres_le_contrat_et_les_heures_des_externes(c, django_assert_num_queries):
    positionnements = _positionnements(c)
    with django_assert_num_queries(5):
        avril = _avril(c, datetime.date(2025, 9, 1), positionnements)
    assert (avril["embauches"], avril["confirmations"]) == (9, 2)  # A et G


def test_confirmation_quand_la_periode_d_essai_est_passee(c):
    assert _avril(c, datetime.date(2025, 9, 2))["confirmations"] == 3  # A, C et G
    assert _avril(c, datetime.date(2025, 5, 31))["confirmations"] == 1  # G seulement


def test_legende_du_tableau_de_bord(client, c):
    from django.urls import reverse

    client.force_login(c.facilitateur)
    page = client.get(
        reverse("clauses:tableau_de_bord") + f"?plie={c.monde.plie1.code}&annee=2025"
    ).content.decode()
    assert "pour un candidat externe seulement" in page
