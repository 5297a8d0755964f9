"""Durées, publics, étapes, entretiens, file active et filtre d'opération, contre des jeux
comptés à la main (ré-entrée, suspension, participations sur deux opérations)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien, Etape, ParticipationFse, StatutDeclare
from parcours.core.models import Membership
from parcours.fse.enums import TypeOperation
from parcours.fse.models import OperationFse
from parcours.participants.models import Participant
from tests.factories import ParcoursFactory, parcours_en
from tests.reporting.jeux import filtres, jour, lignes, par_libelle, poser

pytestmark = pytest.mark.django_db


def _entre(monde, prescription, entree, **kwargs):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, **kwargs)
    poser(parcours, date_prescription=jour(prescription), date_entree=jour(entree))
    return parcours


def test_durees_medianes_et_distributions(monde):
    _entre(monde, "2026-01-01", "2026-01-11")  # 10 jours
    _entre(monde, "2026-01-01", "2026-02-15")  # 45 jours
    _entre(monde, "2026-01-01", "2026-04-01")  # 90 jours
    _entre(monde, "2025-01-01", "2025-12-31")  # entré avant la période
    long = parcours_en(monde, Statut.SORTI)
    court = parcours_en(monde, Statut.SORTI)
    poser(long, date_entree=jour("2025-01-15"), date_sortie=jour("2026-03-14"))  # 13 mois
    poser(
        court,
        date_prescription=jour("2025-12-01"),  # entré 31 jours après
        date_entree=jour("2026-01-01"),
        date_sortie=jour("2026-03-01"),  # 2 mois
    )
    propose = parcours_en(monde, Statut.SORTIE_PROPOSEE)  # non validée : ne compte pas
    poser(propose, date_entree=jour("2025-02-01"), date_sortie=jour("2026-03-01"))
    f = filtres(monde.plie1)

    assert lignes("duree_prescription_entree", f) == [
        ("Moins de 15 jours", 1),
        ("15 à 29 jours", 0),
        ("30 à 59 jours", 2),
        ("60 à 89 jours", 0),
        ("90 jours et plus", 1),
    ]
    assert dict(lignes("duree_entree_sortie", f)) == {
        "Moins de 6 mois": 1,
        "6 à 11 mois": 0,
        "12 à 17 mois": 1,
        "18 à 23 mois": 0,
        "24 à 35 mois": 0,
        "36 mois et plus": 0,
    }
    jours_long, jours_court = 423, 59  # 15/01/2025 → 14/03/2026 ; 01/01 → 01/03/2026
    assert lignes("durees_medianes", f) == [
        ("Prescription → entrée", 4, (31 + 45) / 2),
        ("Entrée → sortie", 2, (jours_long + jours_court) / 2),
    ]


def test_publics_a_l_entree_et_a_la_sortie(monde):
    homme = _entre(monde, "2026-01-01", "2026-02-01")
    Participant.objects.filter(pk=homme.participant_id).update(
        sexe="H", date_naissance=datetime.date(2001, 6, 1)
    )
    homme.prescription.sans_emploi_depuis = jour("2024-01-15")  # 24 mois et demi : DETLD
    homme.prescription.niveau_qualification = 3
    homme.prescription.save()
    StatutDeclare.objects.create(prescription=homme.prescription, code="rsa")
    senior = _entre(monde, "2026-01-01", "2026-03-01")
    Participant.objects.filter(pk=senior.participant_id).update(
        date_naissance=datetime.date(1975, 2, 1)
    )
    senior.prescription.sans_emploi_depuis = jour("2025-02-01")  # 13 mois : DELD seulement
    senior.prescription.save()
    sortie = parcours_en(monde, Statut.SORTI)
    poser(sortie, date_entree=jour("2025-03-01"), date_sortie=jour("2026-05-01"))
    StatutDeclare.objects.create(prescription=sortie.prescription, code="qpv")
    f = filtres(monde.plie1)

    publics = par_libelle("publics", f)
    assert publics["Tous les participants"] == (2, 1)
    assert publics["Femmes"] == (1, 1)
    assert publics["Hommes"] == (1, 0)
    assert publics["Moins de 26 ans à l'entrée"] == (1, 0)
    assert publics["50 ans et plus à l'entrée"] == (1, 0)
    assert publics["Allocataires du RSA"] == (1, 0)
    assert publics["Demandeurs d'emploi de longue durée (12 mois et plus)"] == (2, 0)
    assert publics["Demandeurs d'emploi de très longue durée (24 mois et plus)"] == (1, 0)
    assert publics["Résidents d'un QPV"] == (0, 1)
    assert publics["Niveau de qualification inférieur au bac (niveaux 1 à 3)"] == (1, 0)
    assert publics["Niveau 3 : CAP, BEP"] == (1, 0)
    assert publics["Travailleurs handicapés (RQTH)"] == (0, 0)
    # Le filtre de public s'applique aux autres indicateurs.
    assert lignes("entrees_par_mois", f.avec(public="detld"))[1] == ("02/2026", 1)
    assert lignes("entrees_par_mois", f.avec(public="deld"))[2] == ("03/2026", 1)


def _etape(parcours, categorie, debut, statut="en_cours", compte=True):
    return Etape.objects.create(
        parcours=parcours,
        type_code=categorie[:10],
        type_libelle=categorie,
        categorie=categorie,
        compte=compte,
        date_debut=jour(debut),
        date_fin=jour(debut) if statut == "realisee" else None,
        statut=statut,
        created_by=parcours.referent,
    )


def test_etapes_par_categorie_et_par_participant_avec_reentree(monde):
    premier = parcours_en(monde, Statut.SORTI)
    poser(premier, date_entree=jour("2025-06-01"), date_sortie=jour("2026-02-01"))
    second = parcours_en(monde, Statut.SUSPENDU, participant=premier.participant)
    poser(second, date_entree=jour("2026-04-01"))
    seul = _entre(monde, "2026-01-01", "2026-01-10")
    sans_etape = _entre(monde, "2026-01-01", "2026-01-10")
    _etape(premier, "Formation", "2026-01-05", statut="realisee")
    _etape(second, "Formation", "2026-05-05")
    _etape(second, "Emploi", "2026-06-05")
    _etape(seul, "Emploi", "2026-02-01", statut="realisee")
    _etape(seul, "Accueil", "2026-02-01", compte=False)  # non comptée par le PLIE
    _etape(seul, "Emploi", "2026-03-01", statut="abandonnee")
    _etape(seul, "Emploi", "2025-12-01")  # avant la période
    f = filtres(monde.plie1)

    assert lignes("etapes_par_categorie", f) == [("Emploi", 2, 1, 2), ("Formation", 2, 1, 1)]
    # La personne ré-entrée compte une fois, avec ses 3 étapes des deux parcours.
    assert lignes("etapes_par_participant", f) == [
        ("Aucune", 1),
        ("1", 1),
        ("2", 0),
        ("3 à 5", 1),
        ("6 et plus", 0),
    ]
    assert sans_etape.participant_id not in (premier.participant_id, seul.participant_id)


def test_entretiens_par_mois(monde):
    suivi = _entre(monde, "2026-01-01", "2026-01-10")
    autre = _entre(monde, "2026-01-01", "2026-01-10")
    auteur = suivi.referent

    def entretien(parcours, quand, canal="physique_individuel", presence="present"):
        date = timezone.make_aware(datetime.datetime.fromisoformat(quand))
        Entretien.objects.create(
            parcours=parcours,
            date=date,
            canal=canal,
            presence=presence,
            auteur=auteur,
            motif_absence="" if presence == "present" else "Malade",
        )

    entretien(suivi, "2026-01-12 10:00")
    entretien(suivi, "2026-01-20 10:00", canal="telephone")
    entretien(autre, "2026-01-31 23:30")  # heure de Paris : encore janvier
    entretien(autre, "2026-03-02 09:00", presence="absent_injustifie")
    f = filtres(monde.plie1, au="2026-03-31")

    assert lignes("entretiens_par_mois", f) == [
        ("01/2026", 3, 2, 0, 2),
        ("02/2026", 0, 0, 0, 0),
        ("03/2026", 0, 0, 1, 0),
    ]


def test_file_active_par_referent_face_au_plafond_du_referentiel(acteurs):
    adhesion = Membership.objects.get(user=acteurs.referent)
    Membership.objects.filter(pk=adhesion.pk).update(etp=Decimal("0.5"))
    for statut in ("en_accompagnement", "suspendu", "en_emploi", "sorti", "prescrit"):
        parcours = ParcoursFactory(plie=acteurs.agenais)
        poser(
            parcours,
            statut=statut,
            referent=acteurs.referent,
            structure_referente=adhesion.structure,
        )
    nom = f"{acteurs.referent.first_name} {acteurs.referent.last_name} (Opérateur Agen)"
    f = filtres(acteurs.agenais)

    # 3 en file active (suspendu compris) ; plafond 80 à temps plein, 40 à mi-temps.
    assert lignes("file_active_par_referent", f) == [(nom, 3, 40, 8)]
    assert lignes("file_active_par_referent", f.avec(referents=frozenset({0}))) == []
    assert lignes("file_active_par_referent", filtres(acteurs.flandre)) == []


def test_filtre_operation_participations_sur_deux_operations(monde):
    dans_x = _entre(monde, "2026-01-01", "2026-01-10")
    dans_y = _entre(monde, "2026-01-01", "2026-02-10")
    passe = _entre(monde, "2025-01-01", "2026-03-10")
    debut = jour("2024-01-01")
    x, y = (
        OperationFse.objects.create(
            plie=monde.plie1,
            numero=numero,
            libelle=f"Accompagnement {numero}",
            type=TypeOperation.ACCOMPAGNEMENT,
            structure_porteuse=monde.structure("operateur", "a", 1),
            debut=debut,
        )
        for numero in ("2024000X", "2024000Y")
    )
    structure = monde.structure("operateur", "a", 1)
    for parcours, operation, entree, sortie, motif in (
        (dans_x, x, "2026-01-10", None, ""),
        (dans_y, y, "2026-02-10", None, ""),
        # X jusqu'à l'an dernier, puis Y : le changement de structure ouvre une participation.
        (passe, x, "2025-01-01", "2025-12-31", "changement_structure"),
        (passe, y, "2026-01-01", None, ""),
    ):
        ParticipationFse.objects.create(
            parcours=parcours,
            operation=operation,
            structure=structure,
            date_entree=jour(entree),
            date_sortie=jour(sortie) if sortie else None,
            motif_fin=motif,
        )
    f = filtres(monde.plie1, au="2026-03-31")

    assert lignes("entrees_par_mois", f.avec(operations=frozenset({x.pk}))) == [
        ("01/2026", 1),
        ("02/2026", 0),
        ("03/2026", 0),
    ]
    assert lignes("entrees_par_mois", f.avec(operations=frozenset({y.pk}))) == [
        ("01/2026", 0),
        ("02/2026", 1),
        ("03/2026", 1),
    ]


def test_l_accueil_lit_la_meme_file_active_que_l_indicateur(acteurs, client):
    from django.urls import reverse

    from tests.factories import StructureFactory

    adhesion = Membership.objects.get(user=acteurs.referent)
    Membership.objects.filter(pk=adhesion.pk).update(etp=Decimal("0.02"))  # plafond : 2
    ailleurs = StructureFactory(plie=acteurs.agenais, nom="Ancienne structure")
    for structure in (adhesion.structure, adhesion.structure, adhesion.structure, ailleurs):
        parcours = ParcoursFactory(plie=acteurs.agenais)
        poser(
            parcours,
            statut="en_accompagnement",
            referent=acteurs.referent,
            structure_referente=structure,
        )
    client.force_login(acteurs.animateur)

    page = client.get(reverse("accueil:index")).content.decode()

    # 3 dans sa structure (le dossier suivi dans une autre structure n'y compte pas) ; plafond 2.
    assert "3 (au-dessus du plafond)" in page
    assert lignes("file_active_par_referent", filtres(acteurs.agenais))[0][1:] == (3, 2, 150)
