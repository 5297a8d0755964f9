"""La reprise des structures, comptes, étapes, entretiens et contrats (docs/reprise.md) : créés,
relance inchangée, export modifié mis à jour, contrôle sans enregistrement, fichiers repris en
plusieurs passages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parcours.acces.dossiers import parcours_visibles
from parcours.accompagnement.models import (
    Entretien,
    Etape,
    JournalEtape,
    Parcours,
    Prescription,
    QuestionnaireFSE,
    StatutDeclare,
    TransitionParcours,
)
from parcours.core.enums import Role
from parcours.core.models import Membership, Structure, User
from parcours.emploi.models import Contrat
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.factories import membre
from tests.reprise import export_suivi
from tests.reprise.export import ecrire_csv, ecrire_export, generer
from tests.reprise.export_participations import COLONNES as COLONNES_PARTICIPATIONS
from tests.suivi.conftest import appliquer_referentiel

pytestmark = pytest.mark.django_db

SUIVI = (
    Entite.PRESCRIPTION,
    Entite.ETAPE,
    Entite.ENTRETIEN,
    Entite.CONTRAT,
    Entite.REPONSE_FSE,
)
TOUTES = (
    Entite.STRUCTURE,
    Entite.UTILISATEUR,
    Entite.PARTICIPANT,
    Entite.PARCOURS,
    Entite.DECISION_SORTIE,
    *SUIVI,
)


@pytest.fixture(autouse=True)
def catalogue(monde):
    appliquer_referentiel(monde.plie1)
    appliquer_referentiel(monde.plie2)


def export_complet(dossier, monde, nombre=28, plie=1, fichiers=None):
    """Écrit l'export ; rend les lignes de chaque fichier."""
    personnes, dossiers = generer(nombre, referents=(export_suivi.REFERENT,))
    etapes, suivis, contrats = export_suivi.suivi(dossiers)
    lignes = {
        "structures": export_suivi.structures(monde.structure("operateur", "a", plie).nom),
        "utilisateurs": export_suivi.utilisateurs(),
        "prescriptions": export_suivi.prescriptions(dossiers),
        "decisions_sortie": export_suivi.decisions_sortie(dossiers),
        "reponses_fse": export_suivi.reponses_fse(dossiers),
        "etapes": etapes,
        "suivis": suivis,
        "contrats": contrats,
        "veilles": export_suivi.veilles(dossiers),
    }
    ecrire_export(dossier, personnes, dossiers)
    for nom in lignes if fichiers is None else fichiers:
        export_suivi.ecrire(dossier, nom, lignes[nom])
    if fichiers is None:
        # Le fichier des participations, vide : ce monde n'a pas d'opération FSE+
        # (tests/reprise/test_participations.py les reprend).
        ecrire_csv(dossier / "participations.csv", COLONNES_PARTICIPATIONS, [])
    lignes["parcours"] = dossiers
    return lignes


def _objet(entite, source_id, modele):
    return modele.objects.get(
        pk=Provenance.objects.get(entite=entite, source_id=source_id).objet_id
    )


def _etat():
    modeles = (
        Structure,
        User,
        Membership,
        Parcours,
        Prescription,
        StatutDeclare,
        TransitionParcours,
        Etape,
        JournalEtape,
        Entretien,
        Contrat,
        QuestionnaireFSE,
    )
    return (*(m.objects.count() for m in modeles), Provenance.objects.count())


@pytest.mark.parametrize("plie", [1, 2])
def test_chaque_entite_est_creee(monde, viesion, tmp_path, plie):
    lignes = export_complet(tmp_path / "export", monde, plie=plie)
    rapport = reprendre(monde.plie(plie), viesion, tmp_path / "export")

    attendus = {
        Entite.STRUCTURE: 3,
        Entite.UTILISATEUR: 2,
        Entite.ETAPE: len(lignes["etapes"]),
        Entite.ENTRETIEN: len(lignes["suivis"]),
        Entite.CONTRAT: len(lignes["contrats"]),
        Entite.REPONSE_FSE: len(lignes["reponses_fse"]),
        Entite.DECISION_SORTIE: len(lignes["decisions_sortie"]),
    }
    assert all(n > 0 for n in attendus.values())
    assert {e: rapport.comptes[e].crees for e in attendus} == attendus
    assert f"Étapes : {attendus[Entite.ETAPE]} créé(s), 0 mis à jour" in rapport.texte()

    # Structures : créées avec leur type ; celle du même nom est liée, jamais réécrite.
    vignes = _objet(Entite.STRUCTURE, "S1", Structure)
    assert (vignes.plie, vignes.type) == (monde.plie(plie), "operateur")
    existante = monde.structure("operateur", "a", plie)
    assert _objet(Entite.STRUCTURE, "S3", Structure) == existante
    assert Structure.objects.get(pk=existante.pk).nom == existante.nom
    assert Provenance.objects.get(source_id="S3").liee_a_existant

    # Comptes : inactifs, sans mot de passe utilisable, sans droit d'instance, une adhésion.
    jeanne = User.objects.get(username=export_suivi.REFERENT)
    assert (jeanne.first_name, jeanne.last_name) == ("Jeanne", "Dupont")
    assert not jeanne.is_active and not jeanne.has_usable_password()
    assert not jeanne.is_staff and not jeanne.is_superuser
    assert not jeanne.user_permissions.exists() and not jeanne.groups.exists()
    adhesion = jeanne.memberships.get()
    assert (adhesion.structure, adhesion.role) == (vignes, "referent")
    assert f"{adhesion.debut:%d/%m/%Y}" == "01/09/2020"
    assert User.objects.get(username="mlopez").memberships.get().role == "prescripteur"
    # Le référent nommé par les parcours du même passage est ce compte, dans sa structure.
    suivis = Parcours.objects.filter(referent=jeanne)
    assert suivis.exists() and {p.structure_referente for p in suivis} == {vignes}

    # Prescriptions : motif, statuts déclarés, structure prescriptrice (qui ouvre le parcours à
    # ses prescripteurs, et à eux seuls) ; la décision de commission est au journal du parcours.
    prescription = _objet(Entite.PRESCRIPTION, "PR00000", Prescription)
    assert prescription.motif == "Recherche d'emploi depuis deux ans"
    assert prescription.parcours.structure_prescriptrice.nom == "Mission locale"
    assert set(
        _objet(Entite.PRESCRIPTION, "PA00000", Prescription).statuts.values_list("code", flat=True)
    ) == {"rsa", "qpv"}
    mission_locale = Structure.objects.get(plie=monde.plie(plie), nom="Mission locale")
    prescripteur = membre(Role.PRESCRIPTEUR, mission_locale)
    autre = monde.user(Role.PRESCRIPTEUR, "a", plie)
    assert parcours_visibles(prescripteur).filter(pk=prescription.parcours_id).exists()
    assert not parcours_visibles(autre).filter(pk=prescription.parcours_id).exists()
    ajourne = Provenance.objects.get(entite=Entite.PARCOURS, source_id="R00006").parcours
    decision = ajourne.transitions.get(source="en_commission_entree")
    assert (decision.target, decision.par.username) == ("ajourne", "reprise-viesion")
    assert decision.motif.endswith("« Ajourné » : Projet à préciser")
    assert timezone.localtime(decision.at).date() == ajourne.date_prescription + timedelta(20)

    # Étapes : type du catalogue (par libellé ou par code), catégorie recopiée, journal daté.
    bilan = _objet(Entite.ETAPE, "ER00009", Etape)
    assert (bilan.type_code, bilan.categorie, bilan.statut) == (
        "bilan-competences",
        "2 Orientation, mobilisation, préqualification",
        "realisee",
    )
    assert (bilan.prestataire, bilan.intitule) == ("CIBC Agen", "Bilan CIBC")
    assert bilan.parcours.provenances.get(entite=Entite.PARCOURS).source_id == "R00009"
    accueil = _objet(Entite.ETAPE, "FR00009", Etape)
    assert (accueil.type_code, accueil.compte, accueil.statut) == ("accueil", False, "en_cours")
    journal = bilan.journal.get()
    assert journal.par.username == "reprise-viesion" and journal.statut_apres == "realisee"
    assert timezone.localtime(journal.le).date() == bilan.date_debut

    # Entretiens : canal, objet, auteur retrouvé ; auteur inconnu : le compte de la reprise.
    connu = _objet(Entite.ENTRETIEN, "TR00009", Entretien)
    assert (connu.canal, connu.auteur, connu.note) == (
        "physique_individuel",
        jeanne,
        "Point sur le projet",
    )
    inconnu = _objet(Entite.ENTRETIEN, "TR00013", Entretien)
    assert inconnu.auteur.username == "reprise-viesion"
    assert inconnu.note.startswith("Saisi dans ABC VIeSION par ancien.collegue.")

    # Contrats : type, employeur, heures, au nom de la reprise.
    contrat = _objet(Entite.CONTRAT, "CR00011", Contrat)
    assert (contrat.type, contrat.employeur, contrat.heures_hebdo, contrat.fin) == (
        "cdi",
        "Boulangerie Martin",
        Decimal("35.00"),
        None,
    )
    assert contrat.parcours.statut == "en_emploi"

    # Réponses FSE+ : le questionnaire d'entrée du parcours, complet.
    questionnaire = _objet(Entite.REPONSE_FSE, "QR00009", QuestionnaireFSE)
    assert questionnaire.parcours == bilan.parcours and questionnaire.participation is None
    assert (
        questionnaire.situation_marche_travail,
        questionnaire.mois_recherche_emploi,
        questionnaire.diplome_dgefp,
        questionnaire.sans_domicile,
    ) == ("demandeur_emploi", 18, "2c", "nsp")
    assert questionnaire.complet and questionnaire.renseigne_par.username == "reprise-viesion"


def test_relancer_le_meme_export_ne_change_rien(monde, viesion, tmp_path):
    export_complet(tmp_path / "export", monde)
    reprendre(monde.plie1, viesion, tmp_path / "export")
    avant = _etat()

    rapport = reprendre(monde.plie1, viesion, tmp_path / "export")

    assert _etat() == avant
    for entite in TOUTES:
        c = rapport.comptes[entite]
        assert (c.crees, c.mis_a_jour, c.refuses) == (0, 0, 0), entite
        assert c.inchanges > 0, entite


@pytest.mark.parametrize("nombre", [14, 56])
def test_une_relance_complete_fait_un_nombre_de_requetes_constant(
    monde, viesion, tmp_path, nombre, django_assert_num_queries
):
    lignes = export_complet(tmp_path / "export", monde, nombre=nombre)
    reprendre(monde.plie1, viesion, tmp_path / "export")
    # 35 : 26, plus l'état des parcours pour les décisions de sortie (2), les participations FSE+
    # déjà en base et les dates des parcours repris (3), les suspensions (4).
    with django_assert_num_queries(35):
        rapport = reprendre(monde.plie1, viesion, tmp_path / "export")
    assert rapport.comptes[Entite.ETAPE].inchanges == len(lignes["etapes"])


def test_un_export_modifie_met_a_jour_ce_qui_a_change(monde, viesion, tmp_path):
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    reprendre(monde.plie1, viesion, dossier)
    etape = _objet(Entite.ETAPE, lignes["etapes"][1]["N° étape"], Etape)

    lignes["structures"][0]["Type de structure"] = "SIAE"
    lignes["utilisateurs"][0]["Nom"] = "Dupont-Martin"
    lignes["etapes"][1].update({"Statut de l'étape": "Abandonnée", "Date de fin": "01/03/2024"})
    lignes["suivis"][0]["Type de suivi"] = "Téléphone"
    lignes["contrats"][0]["Heures hebdomadaires"] = "24,5"
    lignes["prescriptions"][0]["Statuts"] = "RQTH | RSA"
    lignes["reponses_fse"][0]["Durée de recherche (mois)"] = "30"
    for nom in export_suivi.COLONNES:
        export_suivi.ecrire(dossier, nom, lignes[nom])
    avant = _etat()

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert _etat() == avant  # rien de dupliqué
    for entite in (Entite.STRUCTURE, Entite.UTILISATEUR, *SUIVI):
        assert (rapport.comptes[entite].mis_a_jour, rapport.comptes[entite].crees) == (1, 0)
    assert _objet(Entite.STRUCTURE, "S1", Structure).type == "siae"
    assert User.objects.get(username="jdupont").last_name == "Dupont-Martin"
    modifiee = Etape.objects.get(pk=etape.pk)
    assert (modifiee.statut, modifiee.version) == ("abandonnee", etape.version + 1)
    assert modifiee.updated_by.username == "reprise-viesion"
    premier = lignes["suivis"][0]["N° suivi"]
    assert _objet(Entite.ENTRETIEN, premier, Entretien).canal == "telephone"
    premier = lignes["contrats"][0]["N° contrat"]
    assert _objet(Entite.CONTRAT, premier, Contrat).heures_hebdo == Decimal("24.50")
    prescription = _objet(Entite.PRESCRIPTION, "PA00000", Prescription)
    assert list(prescription.statuts.values_list("code", flat=True)) == ["rqth", "rsa"]
    premier = lignes["reponses_fse"][0]["N° questionnaire"]
    assert _objet(Entite.REPONSE_FSE, premier, QuestionnaireFSE).mois_recherche_emploi == 30


def test_le_controle_ne_garde_rien(monde, viesion, tmp_path):
    export_complet(tmp_path / "export", monde)
    avant = _etat()

    controle = reprendre(monde.plie1, viesion, tmp_path / "export", dry_run=True)

    assert _etat() == avant
    assert not User.objects.filter(username__in=["jdupont", "mlopez"]).exists()
    vraie = reprendre(monde.plie1, viesion, tmp_path / "export")
    assert controle.comptes == vraie.comptes
