"""Chaque sorte de refus des structures, comptes, étapes, suivis et contrats : fichier, ligne,
colonne et raison ; rien n'est enregistré, pas même les entités justes du même passage."""

import pytest

from parcours.core.enums import Role
from parcours.core.models import Structure, User
from parcours.reprise.correspondance import CorrespondanceInvalide, lire_correspondance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise import export_suivi
from tests.reprise.test_entites import _etat, export_complet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(monde):
    from tests.suivi.conftest import appliquer_referentiel

    appliquer_referentiel(monde.plie1)


def _ajourne(lignes):
    return next(ligne for ligne in lignes["prescriptions"] if ligne["N° prescription"] == "PR00006")


def _premier_en_emploi(lignes):
    return lignes["contrats"][0]


CAS = {
    "structure deux fois": (
        lambda lignes, monde: lignes["structures"].append(
            dict(lignes["structures"][0], **{"Code structure": "S9"})
        ),
        ("structures.csv", 5, "Structure", "structure deux fois dans le fichier (ligne 2)"),
    ),
    "type de structure inconnu": (
        lambda lignes, monde: lignes["structures"][1].update({"Type de structure": "Club"}),
        ("structures.csv", 3, "Type de structure", "valeur « Club » sans correspondance"),
    ),
    "structure inconnue": (
        lambda lignes, monde: lignes["utilisateurs"][1].update({"Structure": "Nulle part"}),
        ("utilisateurs.csv", 3, "Structure", "structure « Nulle part » inconnue de ce PLIE"),
    ),
    "rôle administrateur": (
        lambda lignes, monde: lignes["utilisateurs"][1].update({"Profil": "admin"}),
        ("utilisateurs.csv", 3, "Profil", "valeur « admin » sans correspondance"),
    ),
    "courriel invalide": (
        lambda lignes, monde: lignes["utilisateurs"][0].update({"Courriel": "jeanne@"}),
        ("utilisateurs.csv", 2, "Courriel", "« jeanne@ » : adresse invalide"),
    ),
    "identifiant invalide": (
        lambda lignes, monde: lignes["utilisateurs"][1].update({"Identifiant": "marc lopez"}),
        ("utilisateurs.csv", 3, "Identifiant", "« marc lopez » : lettres, chiffres et @ . + - _"),
    ),
    "nom trop long": (
        lambda lignes, monde: lignes["utilisateurs"][1].update({"Nom": "L" * 151}),
        ("utilisateurs.csv", 3, "Nom", "151 caractères (150 au plus)"),
    ),
    "identifiant deux fois": (
        lambda lignes, monde: lignes["utilisateurs"].append(
            dict(lignes["utilisateurs"][0], **{"Code utilisateur": "U9", "Identifiant": "JDUPONT"})
        ),
        ("utilisateurs.csv", 4, "Identifiant", "identifiant deux fois dans le fichier (ligne 2)"),
    ),
    "identifiant pris dans l'autre PLIE": (
        lambda lignes, monde: lignes["utilisateurs"][1].update(
            {"Identifiant": monde.user(Role.REFERENT, "a", 2).username}
        ),
        ("utilisateurs.csv", 3, "Identifiant", "déjà pris par un compte hors de ce PLIE"),
    ),
    "statut déclaré inconnu": (
        lambda lignes, monde: lignes["prescriptions"][0].update({"Statuts": "RSA, Martien"}),
        ("prescriptions.csv", 2, "Statuts", "valeur « Martien » sans correspondance"),
    ),
    "structure prescriptrice inconnue": (
        lambda lignes, monde: lignes["prescriptions"][0].update({"Prescripteur": "Pôle Nord"}),
        ("prescriptions.csv", 2, "Prescripteur", "structure « Pôle Nord » inconnue de ce PLIE"),
    ),
    "décision sans date": (
        lambda lignes, monde: _ajourne(lignes).update({"Date de la commission": ""}),
        ("prescriptions.csv", 10, "Date de la commission", "date obligatoire pour une décision"),
    ),
    "ajournement sans motif": (
        lambda lignes, monde: _ajourne(lignes).update({"Motif de la décision": ""}),
        ("prescriptions.csv", 10, "Motif de la décision", "motif obligatoire pour la décision"),
    ),
    "deux prescriptions pour un parcours": (
        lambda lignes, monde: lignes["prescriptions"].append(
            dict(lignes["prescriptions"][0], **{"N° prescription": "P9"})
        ),
        ("prescriptions.csv", None, "N° parcours", "une seule prescription par parcours"),
    ),
    "type d'étape hors catalogue": (
        lambda lignes, monde: lignes["etapes"][0].update({"Étape": "Plongée sous-marine"}),
        ("etapes.csv", 2, "Étape", "« Plongée sous-marine » n'est pas un type d'étape"),
    ),
    "étape réalisée sans fin": (
        lambda lignes, monde: lignes["etapes"][0].update({"Date de fin": ""}),
        ("etapes.csv", 2, "Date de fin", "date de fin obligatoire pour une étape réalisée"),
    ),
    "étape réalisée dans le futur": (
        lambda lignes, monde: lignes["etapes"][0].update({"Date de fin": "01/01/2099"}),
        ("etapes.csv", 2, "Date de fin", "ne peut pas se terminer dans le futur"),
    ),
    "étape en cours qui n'a pas commencé": (
        lambda lignes, monde: lignes["etapes"][1].update({"Date de début": "01/01/2099"}),
        ("etapes.csv", 3, "Statut de l'étape", "est encore « prévue »"),
    ),
    "étape finie avant son début": (
        lambda lignes, monde: lignes["etapes"][0].update({"Date de fin": "01/01/2000"}),
        ("etapes.csv", 2, "Date de fin", "fin (01/01/2000) avant le début"),
    ),
    "étape deux fois": (
        lambda lignes, monde: lignes["etapes"].append(lignes["etapes"][0]),
        ("etapes.csv", None, "N° étape", "deux fois dans le fichier (même identifiant que la"),
    ),
    "parcours inconnu": (
        lambda lignes, monde: lignes["suivis"][0].update({"N° parcours": "R77777"}),
        ("suivis.csv", 2, "N° parcours", "parcours « R77777 » absent des parcours repris"),
    ),
    "canal sans correspondance": (
        lambda lignes, monde: lignes["suivis"][0].update({"Type de suivi": "Pigeon voyageur"}),
        ("suivis.csv", 2, "Type de suivi", "valeur « Pigeon voyageur » sans correspondance"),
    ),
    "date de suivi au mauvais format": (
        lambda lignes, monde: lignes["suivis"][0].update({"Date du suivi": "2024-03-01"}),
        ("suivis.csv", 2, "Date du suivi", "date « 2024-03-01 » au mauvais format"),
    ),
    "heures illisibles": (
        lambda lignes, monde: _premier_en_emploi(lignes).update({"Heures hebdomadaires": "35h"}),
        ("contrats.csv", 2, "Heures hebdomadaires", "« 35h » n'est pas un nombre d'heures"),
    ),
    "contrats qui se chevauchent": (
        lambda lignes, monde: lignes["contrats"].append(
            dict(_premier_en_emploi(lignes), **{"N° contrat": "C99999"})
        ),
        ("contrats.csv", None, "Date de début", "chevauche le contrat de la ligne 2"),
    ),
    "contrat fini avant son début": (
        lambda lignes, monde: _premier_en_emploi(lignes).update({"Date de fin": "01/01/2000"}),
        ("contrats.csv", 2, "Date de fin", "fin (01/01/2000) avant le début"),
    ),
    "type d'emploi pour une personne sans emploi": (
        lambda lignes, monde: lignes["reponses_fse"][0].update({"Type d'emploi": "Emploi aidé"}),
        ("reponses_fse.csv", 2, "Type d'emploi", "réponse réservée à une personne en emploi"),
    ),
    "durée de recherche illisible": (
        lambda lignes, monde: lignes["reponses_fse"][0].update(
            {"Durée de recherche (mois)": "1 an"}
        ),
        ("reponses_fse.csv", 2, "Durée de recherche (mois)", "« 1 an » n'est pas un nombre"),
    ),
    "code postal de naissance": (
        lambda lignes, monde: lignes["reponses_fse"][0].update({"Code postal de naissance": "470"}),
        ("reponses_fse.csv", 2, "Code postal de naissance", "« 470 » : 5 chiffres"),
    ),
    "réponse fermée sans correspondance": (
        lambda lignes, monde: lignes["reponses_fse"][0].update({"Handicap reconnu": "Peut-être"}),
        ("reponses_fse.csv", 2, "Handicap reconnu", "valeur « Peut-être » sans correspondance"),
    ),
    "colonne manquante": (
        lambda lignes, monde: [ligne.pop("Employeur") for ligne in lignes["contrats"]],
        ("contrats.csv", 1, "Employeur", "colonne manquante"),
    ),
}


@pytest.mark.parametrize("cas", CAS)
def test_chaque_refus_nomme_sa_ligne_et_rien_n_est_enregistre(monde, viesion, tmp_path, cas):
    casser, (fichier, ligne, colonne, raison) = CAS[cas]
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    casser(lignes, monde)
    for nom in export_suivi.COLONNES:
        colonnes = [c for c in export_suivi.COLONNES[nom] if c in lignes[nom][0]]
        export_suivi.ecrire_csv(dossier / f"{nom}.csv", colonnes, lignes[nom])
    avant = _etat()

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    assert _etat() == avant
    assert not User.objects.filter(username="jdupont").exists()
    assert not Structure.objects.filter(nom="Opérateur des Vignes").exists()
    # Le premier refus est la ligne fautive ; ce qui en dépend (comptes d'une structure
    # refusée, parcours d'un référent refusé) est refusé à sa suite.
    premier = refus.value.rapport.refus[0]
    attendue = ligne or len(lignes[fichier.split(".")[0]]) + 1
    assert (premier.fichier, premier.ligne, premier.colonne) == (fichier, attendue, colonne)
    assert raison in premier.raison
    assert str(premier).startswith(f"{fichier}, ligne {attendue}, colonne « {colonne} » : ")


@pytest.mark.parametrize(
    "yaml, message",
    [
        (
            "utilisateurs: {valeurs: {role: {Chef: admin}}}",
            "« Chef » → « admin » n'est pas un code",
        ),
        ("etapes: {valeurs: {intitule: {A: b}}}", "« intitule » n'a pas de codes"),
        ("contrats: {colonnes: {salaire: Salaire}}", "champs inconnus du format neutre : salaire"),
        ("entretiens: {valeurs: {canal: {Mail: pigeon}}}", "« Mail » → « pigeon »"),
    ],
)
def test_une_correspondance_fautive_est_refusee_avant_toute_lecture(yaml, message):
    with pytest.raises(CorrespondanceInvalide) as erreur:
        lire_correspondance(f"source: autre\n{yaml}\n")
    assert message in str(erreur.value)
