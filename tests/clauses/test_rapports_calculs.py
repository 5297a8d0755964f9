"""Les bilans de clauses contre des totaux calculés à la main (chantier de tests/clauses/
chantier_heures.py), en un nombre de requêtes constant."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours import acces
from parcours.clauses import rapports
from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import Marche, Positionnement, TransitionPositionnement
from parcours.clauses.rapports import Periode
from parcours.emploi.enums import TypeContrat
from parcours.participants.enums import StatutSocial
from tests.clauses.chantier_heures import Bilan, Chantier, embaucher, heures
from tests.clauses.factories import (
    BesoinFactory,
    CandidatExterneFactory,
    PositionnementFactory,
)
from tests.factories import ParcoursFactory, PrescriptionFactory


@pytest.fixture
def bilan(monde):
    return Bilan(monde)


def test_par_marche(bilan, django_assert_num_queries):
    marches = bilan.marches()
    with django_assert_num_queries(1):
        lignes = rapports.par_marche(marches)
    assert [
        (ligne["numero"], ligne["heures_prevues"], ligne["realisees"], ligne["taux"])
        for ligne in lignes
    ] == [
        ("2025-BAT-001", Decimal(1000), Decimal(270), Decimal("0.2700")),
        ("2025-BAT-002", Decimal(500), Decimal(20), Decimal("0.0400")),
        ("2025-BAT-003", Decimal(200), Decimal(0), Decimal(0)),
    ]
    assert [ligne["personnes"] for ligne in lignes] == [2, 1, 0]


def test_par_operation_donneur_entreprise(bilan, django_assert_num_queries):
    marches = bilan.marches()
    with django_assert_num_queries(3):  # une requête chacun (issue 11 : deux auparavant)
        operations = rapports.par_operation(marches)
        donneurs = rapports.par_donneur_ordre(marches)
        entreprises = rapports.par_entreprise(marches)
    assert [
        (o["nom"], o["marches"], o["prevues"], o["realisees"], o["taux"], o["personnes"])
        for o in operations
    ] == [
        ("École Jules Ferry", 1, Decimal(200), Decimal(0), Decimal(0), 0),
        ("Résidence des Pins", 2, Decimal(1500), Decimal(290), Decimal("0.1933"), 2),
    ]
    assert [
        (d["nom"], d["prevues"], d["realisees"], d["taux"], d["personnes"]) for d in donneurs
    ] == [("Agen Habitat", Decimal(1700), Decimal(290), Decimal("0.1706"), 2)]
    assert [
        (e["nom"], e["prevues"], e["realisees"], e["taux"], e["personnes"]) for e in entreprises
    ] == [
        ("Bâtir Agenais", Decimal(1200), Decimal(270), Decimal("0.2250"), 2),
        ("Peintures du Lot", Decimal(500), Decimal(20), Decimal("0.0400"), 1),
    ]


def test_bilan_heures_une_requete_pour_le_total_et_les_trois_regroupements(
    bilan, django_assert_num_queries
):
    """L'écran des bilans lit le total et les regroupements en une requête (GROUPING SETS) : les
    mêmes chiffres que chaque fonction seule ; les heures prévues ne sont pas multipliées par le
    nombre de lignes d'heures ; une personne sur deux marchés ne compte qu'une fois."""
    marches = bilan.marches()
    with django_assert_num_queries(1):
        tout = rapports.bilan_heures(marches)
    assert tout["totaux"] == rapports.totaux(marches)
    assert (tout["totaux"]["prevues"], tout["totaux"]["realisees"]) == (Decimal(1700), Decimal(290))
    assert (tout["totaux"]["marches"], tout["totaux"]["operations"]) == (3, 2)
    assert (tout["totaux"]["entreprises"], tout["totaux"]["personnes"]) == (2, 2)
    assert tout["operations"] == rapports.par_operation(marches)
    assert tout["donneurs"] == rapports.par_donneur_ordre(marches)
    assert tout["entreprises"] == rapports.par_entreprise(marches)
    # Sans marché visible : des zéros, pas d'erreur.
    vide = rapports.bilan_heures(marches.none())
    assert (vide["totaux"]["prevues"], vide["totaux"]["marches"], vide["donneurs"]) == (0, 0, [])


def test_periode(bilan):
    mai = Periode(datetime.date(2025, 5, 1), datetime.date(2025, 5, 1))
    t = rapports.totaux(bilan.marches(), mai)
    assert (t["prevues"], t["realisees"], t["personnes"], t["marches"], t["operations"]) == (
        Decimal(1700),
        Decimal(150),
        2,
        3,
        2,
    )
    depuis_juin = rapports.totaux(bilan.marches(), Periode(debut=datetime.date(2025, 6, 1)))
    assert (depuis_juin["realisees"], depuis_juin["personnes"]) == (Decimal(40), 1)


def test_publics_et_equite(bilan, django_assert_num_queries):
    marches = bilan.marches()
    with django_assert_num_queries(1):
        lignes = rapports.publics(marches)
    assert [(p["code"], p["personnes"], p["heures"], p["part"]) for p in lignes] == [
        ("toutes", 2, Decimal(290), Decimal(1)),
        ("femme", 1, Decimal(200), Decimal("0.6897")),
        ("jeune", 1, Decimal(200), Decimal("0.6897")),
        ("rsa", 2, Decimal(290), Decimal(1)),
        ("qpv", 1, Decimal(200), Decimal("0.6897")),
        ("rqth", 0, Decimal(0), Decimal(0)),
        ("participant", 1, Decimal(200), Decimal("0.6897")),
        ("externe", 1, Decimal(90), Decimal("0.3103")),
    ]


def test_statut_declare_dans_un_autre_plie_ne_compte_pas(bilan):
    """RSA, QPV, RQTH : les statuts déclarés dans le PLIE du marché seulement. Lina, déclarée
    RQTH dans le PLIE voisin (un autre parcours), n'est pas travailleuse handicapée ici ; un
    autre parcours du même PLIE (clos), lui, compte."""
    monde, lina = bilan.monde, bilan.lina
    ailleurs = ParcoursFactory(plie=monde.plie2, territoire=monde.territoire(2), participant=lina)
    PrescriptionFactory(parcours=ailleurs).statuts.create(code=StatutSocial.RQTH)
    publics = {p["code"]: p for p in rapports.publics(bilan.marches())}
    assert (publics["rqth"]["personnes"], publics["rqth"]["heures"]) == (0, Decimal(0))
    ici = ParcoursFactory(
        plie=monde.plie1, territoire=monde.territoire(1), participant=lina, statut="annule"
    )
    PrescriptionFactory(parcours=ici).statuts.create(code=StatutSocial.RQTH)
    publics = {p["code"]: p for p in rapports.publics(bilan.marches())}
    assert (publics["rqth"]["personnes"], publics["rqth"]["heures"]) == (1, Decimal(200))


def test_moins_de_26_ans_au_mois_des_heures(bilan):
    """Né le 15/05/1999 : 25 ans au 1er mai 2025, 26 ans au 1er juin."""
    jeune = CandidatExterneFactory(
        plie=bilan.monde.plie1, date_naissance=datetime.date(1999, 5, 15)
    )
    embaucher(bilan.besoin, jeune)
    heures(bilan, bilan.marche, jeune, (2025, 5), 10)
    heures(bilan, bilan.marche, jeune, (2025, 6), 7)
    mai = Periode(datetime.date(2025, 5, 1), datetime.date(2025, 5, 1))
    juin = Periode(datetime.date(2025, 6, 1), datetime.date(2025, 6, 1))
    jeunes = {p["code"]: p for p in rapports.publics(bilan.marches(), mai)}["jeune"]
    assert (jeunes["personnes"], jeunes["heures"]) == (2, Decimal(110))  # Lina 80 + 20, 10
    jeunes = {p["code"]: p for p in rapports.publics(bilan.marches(), juin)}["jeune"]
    assert (jeunes["personnes"], jeunes["heures"]) == (0, Decimal(0))


def test_types_de_contrat(bilan):
    assert [(c["type"], c["embauches"]) for c in rapports.types_de_contrat(bilan.marches())] == [
        (TypeContrat.CDD, 2),
        (TypeContrat.ETTI, 1),
    ]
    mai = Periode(datetime.date(2025, 5, 1), datetime.date(2025, 5, 1))
    assert [
        (c["type"], c["embauches"]) for c in rapports.types_de_contrat(bilan.marches(), mai)
    ] == [(TypeContrat.CDD, 1)]


def test_tableau_impact_du_donneur(bilan):
    marches = Marche.objects.filter(operation__donneur_ordre=bilan.donneur)
    rapport = rapports.tableau_impact(bilan.donneur, marches)
    synthese = {libelle: valeur for libelle, valeur, _ in rapport.synthese}
    assert synthese["Heures d'insertion prévues"] == Decimal(1700)
    assert synthese["Heures d'insertion réalisées"] == Decimal(290)
    assert synthese["Taux de réalisation"] == Decimal("0.1706")
    assert synthese["Embauches"] == 3
    assert [t.titre for t in rapport.tableaux] == [
        "Par opération",
        "Par marché",
        "Par entreprise",
        "Publics",
        "Types de contrat",
        "Emploi après l'embauche",
    ]
    assert rapport.tableaux[0].total == (
        "Total",
        3,
        Decimal(1700),
        Decimal(290),
        Decimal("0.1706"),
        2,
    )


# — Le tableau de bord mensuel —


def _a(jour, mois, annee=2025):
    return timezone.make_aware(datetime.datetime(annee, mois, jour, 12, 0))


def _transition(positionnement, cible, quand, par):
    TransitionPositionnement.objects.create(
        positionnement=positionnement,
        transition="test",
        source=StatutPositionnement.PROPOSEE,
        target=cible,
        par=par,
        at=quand,
    )


def test_tableau_de_bord_mensuel(monde, django_assert_num_queries):
    from tests.clauses.chantier_heures import participant_du_plie

    c = Chantier(monde)
    besoin = BesoinFactory(marche=c.marche, facilitateur=c.facilitateur)
    retenue = PositionnementFactory(
        besoin=besoin,
        candidat_externe=CandidatExterneFactory(plie=monde.plie1),
        statut=StatutPositionnement.EMBAUCHEE,
        date_embauche=datetime.date(2025, 4, 10),
        type_contrat=TypeContrat.CDI,
        employeur="Bâtir Agenais",
    )
    ecartee = PositionnementFactory(
        besoin=besoin, candidat_externe=CandidatExterneFactory(plie=monde.plie1)
    )
    proposee = PositionnementFactory(
        besoin=besoin, candidat_externe=None, participant=participant_du_plie(monde)
    )
    Positionnement.objects.filter(pk=retenue.pk).update(created_at=_a(15, 3))
    Positionnement.objects.filter(pk=ecartee.pk).update(created_at=_a(16, 3))
    Positionnement.objects.filter(pk=proposee.pk).update(created_at=_a(1, 4))
    # Les candidatures du Chantier (créées aujourd'hui) n'ont pas de date en 2025.
    Positionnement.objects.exclude(pk__in=[retenue.pk, ecartee.pk, proposee.pk]).update(
        created_at=_a(1, 1, 2024)
    )
    _transition(retenue, StatutPositionnement.POSITIONNEE, _a(20, 3), c.facilitateur)
    _transition(retenue, StatutPositionnement.RETENUE, _a(2, 4), c.facilitateur)
    _transition(ecartee, StatutPositionnement.POSITIONNEE, _a(1, 4), c.facilitateur)
    _transition(ecartee, StatutPositionnement.NON_RETENUE, _a(5, 4), c.facilitateur)
    # Heures deux mois après le mois d'embauche (avril → juin) : confirmée après l'essai.
    heures(c, c.marche, retenue.candidat_externe, (2025, 6), 35)
    # Lina (embauchée le 01/04/2025 sur deux besoins) n'a d'heures qu'en mai : non confirmée.
    heures(c, c.marche, c.lina, (2025, 5), 35)

    positionnements = acces.positionnements_visibles(c.facilitateur).filter(
        besoin__marche__plie=monde.plie1
    )
    with django_assert_num_queries(5):
        lignes = rapports.tableau_de_bord(positionnements, 2025)
    par_mois = {ligne["mois"].month: ligne for ligne in lignes}
    assert len(lignes) == 12
    assert {k: par_mois[3][k] for k in ("candidats", "candidatures", "mises_en_relation")} == {
        "candidats": 2,
        "candidatures": 2,
        "mises_en_relation": 1,
    }
    avril = {k: v for k, v in par_mois[4].items() if k != "mois"}
    assert avril == {
        "candidats": 1,
        "candidatures": 1,
        "mises_en_relation": 1,
        "entretiens": 2,
        "embauches": 3,  # la candidature retenue + Lina sur ses deux besoins
        "confirmations": 1,
    }
    assert (par_mois[5]["embauches"], par_mois[5]["confirmations"]) == (1, 0)  # Sam, sans heures
    assert sum(ligne["candidatures"] for ligne in lignes) == 3
