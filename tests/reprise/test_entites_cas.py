"""La reprise des structures, comptes et réponses FSE+, cas particuliers : passages
successifs, comptes déjà connus, étanchéité entre PLIE, format neutre, classeur XLSX,
participation FSE+."""

from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.accompagnement.models import Entretien, Parcours, QuestionnaireFSE
from parcours.core.enums import Role
from parcours.core.models import Structure, User
from parcours.emploi.models import Contrat
from parcours.reprise.enums import ENTITES_OBJET, Entite
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise import export_suivi
from tests.reprise.test_entites import _etat, _objet, export_complet
from tests.suivi.conftest import appliquer_referentiel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(monde):
    appliquer_referentiel(monde.plie1)
    appliquer_referentiel(monde.plie2)


def test_les_fichiers_peuvent_venir_en_plusieurs_passages(monde, viesion, tmp_path):
    """Des étapes, suivis et contrats qui citent des parcours repris lors d'un passage
    précédent ; et des comptes repris avant les parcours qui les nomment."""
    premier, second, troisieme = tmp_path / "1", tmp_path / "2", tmp_path / "3"
    lignes = export_complet(premier, monde, fichiers=("structures", "utilisateurs"))
    (premier / "participants.csv").unlink()
    (premier / "parcours.csv").unlink()
    reprendre(monde.plie1, viesion, premier)
    jeanne = User.objects.get(username="jdupont")
    assert not jeanne.is_active

    export_complet(second, monde, fichiers=())
    rapport = reprendre(monde.plie1, viesion, second)
    assert rapport.comptes[Entite.PARCOURS].crees == len(lignes["parcours"])
    assert Parcours.objects.filter(referent=jeanne).exists()  # compte repris, encore inactif

    export_complet(
        troisieme, monde, fichiers=("prescriptions", "etapes", "suivis", "contrats", "reponses_fse")
    )
    rapport = reprendre(monde.plie1, viesion, troisieme)

    assert rapport.comptes[Entite.ETAPE].crees == len(lignes["etapes"])
    assert rapport.comptes[Entite.CONTRAT].crees == len(lignes["contrats"])
    assert rapport.comptes[Entite.PARCOURS].crees == 0
    contrat = _objet(Entite.CONTRAT, lignes["contrats"][0]["N° contrat"], Contrat)
    assert (
        contrat.parcours.provenances.get(entite=Entite.PARCOURS).source_id
        == lignes["contrats"][0]["N° parcours"]
    )
    assert _objet(Entite.ENTRETIEN, "TR00009", Entretien).auteur == jeanne


def test_un_compte_deja_du_plie_est_lie_sans_etre_reecrit(monde, viesion, tmp_path):
    deja = monde.user(Role.REFERENT, "a", 1)
    export_complet(tmp_path / "export", monde, fichiers=("structures", "utilisateurs"))
    lignes = export_suivi.utilisateurs()
    lignes[1]["Identifiant"] = deja.username.upper()
    export_suivi.ecrire(tmp_path / "export", "utilisateurs", lignes)

    reprendre(monde.plie1, viesion, tmp_path / "export")

    deja.refresh_from_db()
    assert deja.is_active and deja.has_usable_password()
    assert (deja.first_name, deja.last_name) != ("Marc", "Lopez")
    assert Provenance.objects.get(source_id="U2").liee_a_existant
    # Le rôle de l'autre outil s'ajoute à ses adhésions, sans toucher aux autres.
    assert set(deja.memberships.values_list("role", flat=True)) == {"referent", "prescripteur"}


def test_un_compte_repris_desactive_apres_usage_ne_recoit_plus_de_parcours(
    monde, viesion, tmp_path
):
    premier, second = tmp_path / "1", tmp_path / "2"
    export_complet(premier, monde, fichiers=("structures", "utilisateurs"))
    (premier / "parcours.csv").unlink()
    reprendre(monde.plie1, viesion, premier)
    # Activé, utilisé, puis désactivé par l'administrateur : il n'est plus référent.
    User.objects.filter(username="jdupont").update(is_active=False, last_login=timezone.now())
    export_complet(second, monde, fichiers=())

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, second)

    assert "« jdupont » n'est pas référent actif de ce PLIE" in refus.value.rapport.refus[0].raison


def test_un_plie_ne_cite_ni_les_parcours_ni_les_structures_de_l_autre(monde, viesion, tmp_path):
    """La provenance est propre au PLIE : un fichier d'étapes du PLIE 1 ne rattache rien aux
    parcours repris dans le PLIE 2, un compte ne rejoint pas une structure du PLIE 2."""
    voisin, ici = tmp_path / "2", tmp_path / "1"
    export_complet(voisin, monde, plie=2, fichiers=("structures", "utilisateurs"))
    reprendre(monde.plie2, viesion, voisin)
    lignes = export_complet(ici, monde, fichiers=("etapes",))
    (ici / "participants.csv").unlink()
    (ici / "parcours.csv").unlink()
    comptes = export_suivi.utilisateurs()
    comptes[0]["Structure"] = monde.structure("operateur", "a", 2).nom
    export_suivi.ecrire(ici, "utilisateurs", comptes)
    avant = _etat()

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, ici)

    assert _etat() == avant
    raisons = {(r.fichier, r.ligne): r.raison for r in refus.value.rapport.refus}
    assert raisons[("utilisateurs.csv", 2)] == "structure « Opérateur a 2 » inconnue de ce PLIE"
    premiere = lignes["etapes"][0]["N° parcours"]
    assert raisons[("etapes.csv", 2)] == f"parcours « {premiere} » absent des parcours repris"
    assert len([r for r in refus.value.rapport.refus if r.fichier == "etapes.csv"]) == len(
        lignes["etapes"]
    )


def test_le_format_neutre_livre_reprend_chaque_entite(monde, tmp_path):
    """neutre.yaml : colonnes aux noms des champs, codes du projet, dates AAAA-MM-JJ."""
    from parcours.reprise.correspondance import lire_correspondance
    from tests.reprise.export import CORRESPONDANCE_VIESION, ecrire_csv
    from tests.reprise.export_participations import operations as operation_fse

    neutre = lire_correspondance(
        (CORRESPONDANCE_VIESION.parent / "neutre.yaml").read_text(encoding="utf-8")
    )
    fichiers = {
        "structures": [{"source_id": "S1", "nom": "ACI du Pin", "type": "siae"}],
        "utilisateurs": [
            {
                "source_id": "U1",
                "identifiant": "rneutre",
                "nom": "Neutre",
                "prenom": "Rémi",
                "structure": "ACI du Pin",
                "role": "referent",
            }
        ],
        "participants": [
            {
                "source_id": "P1",
                "nom": "Durand",
                "prenom": "Léa",
                "date_naissance": "1990-05-04",
                "sexe": "F",
            }
        ],
        "parcours": [
            {
                "source_id": "X1",
                "participant": "P1",
                "statut": "en_emploi",
                "date_prescription": "2023-01-10",
                "date_entree": "2023-02-01",
                "referent": "rneutre",
            }
        ],
        "prescriptions": [
            {
                "source_id": "PX1",
                "parcours": "X1",
                "statuts": "rsa,qpv",
                "decision": "admis",
                "date_decision": "2023-01-25",
            }
        ],
        "decisions_sortie": [
            {
                "source_id": "D1",
                "parcours": "X1",
                "date_proposition": "2023-05-02",
                "type_sortie": "emploi_durable",
                "decision": "sortie_refusee",
                "date_decision": "2023-05-20",
                "motif": "Contrat trop court",
            }
        ],
        "etapes": [
            {
                "source_id": "E1",
                "parcours": "X1",
                "type": "formation-qualifiante",
                "date_debut": "2023-03-01",
                "date_fin": "2023-06-30",
                "statut": "realisee",
            }
        ],
        "entretiens": [
            {
                "source_id": "T1",
                "parcours": "X1",
                "date": "2023-02-01",
                "canal": "visio",
                "auteur": "rneutre",
                "presence": "absent_justifie",
            }
        ],
        "contrats": [
            {
                "source_id": "C1",
                "parcours": "X1",
                "type": "cddi_aci",
                "employeur": "ACI du Pin",
                "debut": "2023-07-01",
                "heures_hebdo": "26",
            }
        ],
        "participations": [
            {
                "source_id": "F1",
                "parcours": "X1",
                "operation": operation_fse(monde).a.numero,
                "structure": "ACI du Pin",
                "date_entree": "2023-02-01",
            }
        ],
        "reponses_fse": [
            {
                "source_id": "Q1",
                "parcours": "X1",
                "situation_marche_travail": "en_emploi",
                "type_emploi": "aide",
                "handicap_reconnu": "non",
            }
        ],
        "suspensions": [
            {
                "source_id": "V1",
                "parcours": "X1",
                "date_debut": "2023-03-01",
                "date_fin_prevue": "2023-06-01",
                "motif": "sante",
                "date_fin": "2023-05-15",
            }
        ],
    }
    for nom, lignes in fichiers.items():
        ecrire_csv(tmp_path / f"{nom}.csv", list(lignes[0]), lignes)

    rapport = reprendre(monde.plie1, neutre, tmp_path)

    assert rapport.refus == []
    suivi = (Entite.PARTICIPANT, Entite.PARCOURS, *ENTITES_OBJET)  # pas les clauses sociales
    assert all(rapport.comptes[e].crees == 1 for e in suivi), rapport.texte()
    parcours = Provenance.objects.get(entite=Entite.PARCOURS, source_id="X1").parcours
    assert parcours.referent.username == "rneutre"
    assert parcours.etapes.get().emploi_ou_formation
    assert parcours.participations_fse.get().structure.nom == "ACI du Pin"
    assert parcours.entretiens.get().presence == "absent_justifie"
    assert parcours.contrats.get().heures_hebdo == Decimal("26")
    assert parcours.questionnaires_fse.get().type_emploi == "aide"
    assert parcours.transitions.filter(target="admis").exists()
    assert parcours.transitions.filter(motif__endswith="« Sortie refusée » : Contrat trop court")


def test_les_fichiers_xlsx_gardent_dates_et_nombres(monde, viesion, tmp_path):
    """Cellules date et nombre d'un classeur : une date reste une date, 17,5 heures restent
    17,5 heures."""
    from datetime import date

    from tests.reprise.export import ecrire_xlsx

    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde, fichiers=("structures", "utilisateurs"))
    contrat = dict(lignes["contrats"][0])
    contrat.update({"Date de début": date(2024, 2, 5), "Heures hebdomadaires": 17.5})
    ecrire_xlsx(dossier / "contrats.xlsx", export_suivi.COLONNES["contrats"], [contrat])

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.CONTRAT].crees == 1
    repris = _objet(Entite.CONTRAT, contrat["N° contrat"], Contrat)
    assert (repris.debut, repris.heures_hebdo) == (date(2024, 2, 5), Decimal("17.50"))


def test_une_structure_renommee_au_nom_d_une_autre_est_refusee(monde, viesion, tmp_path):
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde, fichiers=("structures",))
    (dossier / "participants.csv").unlink()
    (dossier / "parcours.csv").unlink()
    reprendre(monde.plie1, viesion, dossier)
    lignes["structures"][0]["Structure"] = "PORTEUR A 1"  # une structure du PLIE, autre casse
    export_suivi.ecrire(dossier, "structures", lignes["structures"])
    avant = _etat()

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    assert _etat() == avant
    assert _objet(Entite.STRUCTURE, "S1", Structure).nom == "Opérateur des Vignes"
    assert str(refus.value.rapport.refus[0]) == (
        "structures.csv, ligne 2, colonne « Structure » : « PORTEUR A 1 » est le nom d'une "
        "autre structure du PLIE"
    )


def test_un_questionnaire_avec_operation_est_celui_de_sa_participation(monde, viesion, tmp_path):
    """Le numéro d'une opération FSE+ du PLIE rattache le questionnaire à la participation du
    parcours à cette opération, créée au besoin (close pour un parcours sorti)."""
    from datetime import date

    from parcours.accompagnement.models import ParticipationFse
    from parcours.fse.models import OperationFse

    operation = OperationFse.objects.create(
        plie=monde.plie1,
        numero="202100123",
        libelle="Accompagnement PLIE",
        type="accompagnement",
        structure_porteuse=monde.structure("porteur", "a", 1),
        debut=date(2020, 1, 1),
    )
    OperationFse.objects.create(  # même numéro dans l'autre PLIE : jamais cité d'ici
        plie=monde.plie2,
        numero="202100999",
        libelle="Accompagnement voisin",
        type="accompagnement",
        structure_porteuse=monde.structure("porteur", "a", 2),
        debut=date(2020, 1, 1),
    )
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    suivi, sorti = lignes["reponses_fse"][-2], lignes["reponses_fse"][-1]
    assert (suivi["N° parcours"], sorti["N° parcours"]) == ("R00026", "R00027")
    for ligne in (suivi, sorti):
        ligne["N° opération FSE"] = "202100123"
    # Le même parcours a aussi son questionnaire d'engagement, hors participation.
    lignes["reponses_fse"].append(dict(suivi, **{"N° questionnaire": "QX", "N° opération FSE": ""}))
    export_suivi.ecrire(dossier, "reponses_fse", lignes["reponses_fse"])

    reprendre(monde.plie1, viesion, dossier)

    en_cours = _objet(Entite.REPONSE_FSE, "QR00026", QuestionnaireFSE)
    participation = en_cours.participation
    assert (participation.operation, participation.parcours) == (operation, en_cours.parcours)
    assert participation.structure == en_cours.parcours.structure_referente
    assert participation.date_entree == en_cours.date_entree and participation.ouverte
    assert _objet(Entite.REPONSE_FSE, "QX", QuestionnaireFSE).participation is None
    close = _objet(Entite.REPONSE_FSE, "QR00027", QuestionnaireFSE).participation
    assert (close.date_sortie, close.motif_fin) == (close.parcours.date_sortie, "sortie")
    avant = (ParticipationFse.objects.count(), _etat())
    assert avant[0] == 2

    rapport = reprendre(monde.plie1, viesion, dossier)
    assert (ParticipationFse.objects.count(), _etat()) == avant
    assert rapport.comptes[Entite.REPONSE_FSE].mis_a_jour == 0

    lignes["reponses_fse"][0]["N° opération FSE"] = "202100999"
    export_suivi.ecrire(dossier, "reponses_fse", lignes["reponses_fse"])
    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)
    assert str(refus.value.rapport.refus[0]) == (
        "reponses_fse.csv, ligne 2, colonne « N° opération FSE » : opération FSE+ « 202100999 » "
        "inconnue de ce PLIE"
    )
