"""Décisions d'entrée, sorties et objectifs du protocole, contre des jeux comptés à la main."""

import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import TransitionParcours
from parcours.core.models import Territoire
from parcours.emploi.models import Contrat, DonneesSortieFSE, PropositionSortie
from tests.factories import ParcoursFactory, PrescriptionFactory, parcours_en
from tests.reporting.jeux import filtres, jour, lignes, par_libelle, poser

pytestmark = pytest.mark.django_db


def annee():
    """L'année en cours, lue à l'appel et non à l'import : une suite qui passe minuit (heure de
    Paris) entre la collecte et le test filtrerait sinon sur la date de la veille."""
    aujourdhui = timezone.localdate()
    return {"du": f"{aujourdhui.year}-01-01", "au": f"{aujourdhui.year}-12-31"}


def test_decisions_d_entree_par_territoire_et_par_type_de_prescripteur(monde):
    parcours_en(monde, Statut.ADMIS)
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)  # admis puis entré aujourd'hui
    ajourne = parcours_en(monde, Statut.AJOURNE)
    refuse = parcours_en(monde, Statut.REFUSE)
    parcours_en(monde, Statut.ADMIS, structure="b")
    parcours_en(monde, Statut.ADMIS, plie=2)  # l'autre PLIE
    poser(ajourne, structure_prescriptrice=None)
    # Un refus prononcé l'an dernier : hors période.
    TransitionParcours.objects.filter(parcours=refuse, transition="refuser").update(
        at=timezone.now() - datetime.timedelta(days=400)
    )
    f = filtres(monde.plie1, **annee())

    assert lignes("decisions_par_territoire", f) == [(monde.territoire1.nom, 3, 1, 0, 1)]
    assert par_libelle("decisions_par_prescripteur", f) == {
        "Prescripteur": (3, 0, 0, 1),
        "Non renseigné": (0, 1, 0, 0),
    }
    structure_b = frozenset({monde.structure("operateur", "b", 1).pk})
    # Le filtre de structure porte sur la structure du référent : seul l'admis de B reste.
    assert lignes("decisions_par_territoire", f.avec(structures=structure_b)) == [
        (monde.territoire1.nom, 1, 0, 0, 0)
    ]
    autre = Territoire.objects.create(plie=monde.plie1, code="t1-bis", nom="Zeta")
    assert lignes("decisions_par_territoire", f.avec(territoire=autre.pk)) == [("Zeta", 0, 0, 0, 0)]


def _sorti(monde, type_sortie, date_sortie, **kwargs):
    parcours = parcours_en(monde, Statut.SORTI, **kwargs)
    poser(
        parcours, type_sortie=type_sortie, date_sortie=date_sortie, date_entree=jour("2025-01-02")
    )
    return parcours


def test_sorties_par_categorie_taux_et_reentree_sans_la_sortie_proposee(monde):
    premier = _sorti(monde, "emploi_durable", jour("2026-02-10"))
    # Ré-entrée de la même personne : un second parcours, sorti lui aussi (abandon).
    second = _sorti(monde, "abandon", jour("2026-05-10"), participant=premier.participant)
    _sorti(monde, "demenagement", jour("2026-06-01"))
    _sorti(monde, "emploi_durable", jour("2025-12-31"))  # hors période
    parcours_en(monde, Statut.SORTIE_PROPOSEE)  # proposée, pas validée : pas une sortie
    parcours_en(monde, Statut.SUSPENDU)
    f = filtres(monde.plie1)

    assert second.participant_id == premier.participant_id
    assert lignes("sorties_par_categorie", f) == [
        ("Sortie positive", 1, 33.3),
        ("Autre sortie (administrative)", 1, 33.3),
        ("Sortie négative", 1, 33.3),
        ("Toutes les sorties", 3, 100.0),
    ]
    assert par_libelle("sorties_par_type", f)["Emploi durable"] == (1,)
    assert lignes("sorties_par_categorie", f.avec(public="homme"))[3] == (
        "Toutes les sorties",
        0,
        None,
    )


def test_situation_a_la_sortie_et_qualification_obtenue(monde):
    referent = monde.user("referent")
    emploi = _sorti(monde, "emploi_durable", jour("2026-02-10"))
    formation = _sorti(monde, "formation_qualifiante", jour("2026-03-10"))
    _sorti(monde, "demenagement", jour("2026-04-10"))  # données pas encore saisies
    DonneesSortieFSE.objects.create(
        parcours=emploi, situation="emploi", type_contrat="cdi", saisie_par=referent
    )
    DonneesSortieFSE.objects.create(
        parcours=formation,
        situation="formation",
        intitule_formation="CAP cuisine",
        qualification_obtenue=True,
        intitule_qualification="CAP cuisine",
        saisie_par=referent,
    )

    assert lignes("situation_a_la_sortie", filtres(monde.plie1)) == [
        ("En emploi (y compris création d'entreprise)", 1, 0),
        ("En formation", 1, 1),
        ("Qualification obtenue", 0, 0),
        ("En recherche d'emploi", 0, 0),
        ("Autre situation (inactivité, déménagement…)", 0, 0),
        ("Non saisie", 1, 0),
    ]


def test_en_contrat_a_la_sortie_a_six_et_douze_mois(monde):
    referent = monde.user("referent")
    aujourdhui = timezone.localdate()
    sortie_ancienne = aujourdhui - datetime.timedelta(days=450)
    sortie_recente = aujourdhui - datetime.timedelta(days=250)
    ancien = _sorti(monde, "emploi_durable", sortie_ancienne)
    recent = _sorti(monde, "emploi_durable", sortie_recente)
    # En contrat à la sortie et 6 mois après, plus à 12 mois.
    Contrat.objects.create(
        parcours=ancien,
        type="cdd",
        employeur="Boulangerie",
        debut=sortie_ancienne - datetime.timedelta(days=30),
        fin=sortie_ancienne + datetime.timedelta(days=300),
        created_by=referent,
    )
    # Embauché après la sortie, toujours en poste ; 12 mois pas encore échus.
    Contrat.objects.create(
        parcours=recent,
        type="cdi",
        employeur="Garage",
        debut=sortie_recente + datetime.timedelta(days=10),
        created_by=referent,
    )
    f = filtres(monde.plie1, du="2020-01-01", au=str(aujourdhui))

    assert lignes("emploi_apres_sortie", f) == [
        ("À la sortie", 2, 1, 50.0),
        ("6 mois après la sortie", 2, 2, 100.0),
        ("12 mois après la sortie", 1, 0, 0.0),
    ]


def _sorti_dans(plie, referent, categorie, type_sortie="emploi_durable"):
    """Un parcours sorti du PLIE de démo, avec sa proposition validée qualifiée par une règle."""
    parcours = ParcoursFactory(plie=plie, territoire=Territoire.objects.filter(plie=plie).first())
    PrescriptionFactory(parcours=parcours)
    poser(
        parcours,
        statut="sorti",
        date_entree=jour("2025-06-01"),
        date_sortie=jour("2026-03-01"),
        type_sortie=type_sortie,
    )
    PropositionSortie.objects.create(
        parcours=parcours,
        type_sortie=type_sortie,
        date_sortie=jour("2026-03-01"),
        statut="validee",
        proposee_par=referent,
        qualification=None if categorie is None else {"qualifie": True, "categorie": categorie},
    )
    return parcours


def test_sorties_par_categorie_des_regles_de_chaque_plie_de_demo(acteurs):
    for categorie in ("emploi_durable", "emploi_durable", "sortie_positive", None):
        _sorti_dans(acteurs.agenais, acteurs.referent, categorie)
    _sorti_dans(acteurs.agenais, acteurs.referent, None, type_sortie="abandon")  # négative
    _sorti_dans(acteurs.flandre, acteurs.referent, "formation_qualifiante")

    assert lignes("sorties_par_regle", filtres(acteurs.agenais)) == [
        ("Emploi durable", 2),
        ("Sortie positive", 1),
        ("Formation qualifiante", 0),
        ("Création d'entreprise", 0),
        ("Sans règle atteinte", 1),
    ]
    # Flandre Lys n'a pas de « cas particulier » : pas de catégorie « Sortie positive ».
    assert lignes("sorties_par_regle", filtres(acteurs.flandre)) == [
        ("Emploi durable", 0),
        ("Formation qualifiante", 1),
        ("Création d'entreprise", 0),
        ("Sans règle atteinte", 0),
    ]


def test_objectifs_du_protocole_des_plie_de_demo(acteurs):
    for _ in range(2):
        _sorti_dans(acteurs.agenais, acteurs.referent, "emploi_durable")
    _sorti_dans(acteurs.flandre, acteurs.referent, "emploi_durable")
    _sorti_dans(acteurs.flandre, acteurs.referent, None, type_sortie="abandon")
    entre = ParcoursFactory(plie=acteurs.agenais)
    poser(entre, statut="en_accompagnement", date_entree=jour("2026-04-01"))

    # Agenais : 300 entrées et 136 sorties positives par an (001:L399-403).
    assert lignes("objectifs_protocole", filtres(acteurs.agenais)) == [
        ("Entrées", 300, 300, 1, 0),
        ("Sorties positives", 136, 136, 2, 1),
        ("Taux de sorties positives (%)", None, None, None, None),
    ]
    # Un semestre : l'objectif de la période est proratisé (181 jours sur 365).
    semestre = filtres(acteurs.agenais, au="2026-06-30")
    assert lignes("objectifs_protocole", semestre)[1] == ("Sorties positives", 136, 67, 2, 3)
    # Flandre Lys : seul un taux attendu de 50 % (002:L447) ; 1 positive sur 2 sorties.
    assert lignes("objectifs_protocole", filtres(acteurs.flandre)) == [
        ("Entrées", None, None, 0, None),
        ("Sorties positives", None, None, 1, None),
        ("Taux de sorties positives (%)", 50, 50, 50.0, 100),
    ]
