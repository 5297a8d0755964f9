"""Chaque sorte de ligne refusée : le refus nomme fichier, ligne, colonne et raison, et rien
n'est enregistré (tout ou rien)."""

import datetime

import pytest

from parcours.accompagnement.models import Parcours
from parcours.participants.models import Participant
from parcours.reprise.correspondance import CorrespondanceInvalide, lire_correspondance
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.factories import ParcoursFactory, ParticipantFactory
from tests.reprise.export import COLONNES_PARTICIPANTS, ecrire_csv, ecrire_export, generer

pytestmark = pytest.mark.django_db


def _casser_statut(personnes, dossiers):
    dossiers[2]["Statut"] = "En attente DIRECCTE"


def _retirer_colonne(personnes, dossiers):
    for ligne in personnes:
        del ligne["Date de naissance"]


def _date_au_mauvais_format(personnes, dossiers):
    personnes[4]["Date de naissance"] = "1985-03-12"


def _sortie_avant_entree(personnes, dossiers):
    sorti = next(d for d in dossiers if d["Statut"] == "Sorti" and d["N° parcours"][0] == "R")
    sorti["Date de sortie"] = "01/01/2000"


def _meme_identifiant_deux_fois(personnes, dossiers):
    personnes.append(dict(personnes[1], **{"Nom": "Autre"}))


def _meme_personne_deux_identifiants(personnes, dossiers):
    personnes.append(dict(personnes[1], **{"N° participant": "VS99999", "Nom": "REPRISE00001"}))


def _deux_parcours_ouverts(personnes, dossiers):
    ouvert = dict(dossiers[1], **{"N° parcours": "R99999"})
    dossiers.append(ouvert)


def _referent_inconnu(personnes, dossiers):
    suivi = next(d for d in dossiers if d["Statut"] == "En parcours")
    suivi["Référent"] = "personne.inconnue"


def _personne_absente(personnes, dossiers):
    dossiers[0]["N° participant"] = "VS77777"


def _type_de_sortie_manquant(personnes, dossiers):
    sorti = next(d for d in dossiers if d["Statut"] == "Sorti" and d["N° parcours"][0] == "R")
    sorti["Motif de sortie"] = ""


def _courriel_invalide(personnes, dossiers):
    personnes[2]["Courriel"] = "pas-un-courriel"


# (modification, fichier, ligne du tableur, colonne, début de la raison)
CAS = [
    (_casser_statut, "parcours.csv", 4, "Statut", "valeur « En attente DIRECCTE » sans corresp"),
    (_retirer_colonne, "participants.csv", 1, "Date de naissance", "colonne manquante"),
    (_date_au_mauvais_format, "participants.csv", 6, "Date de naissance", "date « 1985-03-12 »"),
    (_sortie_avant_entree, "parcours.csv", None, "Date de sortie", "sortie (01/01/2000) avant"),
    (_meme_identifiant_deux_fois, "participants.csv", 16, "N° participant", "personne deux fois"),
    (_meme_personne_deux_identifiants, "participants.csv", 16, "Nom", "personne deux fois"),
    (_deux_parcours_ouverts, "parcours.csv", None, "Statut", "la personne a déjà un parcours"),
    (_referent_inconnu, "parcours.csv", None, "Référent", "« personne.inconnue » n'est pas"),
    (_personne_absente, "parcours.csv", 2, "N° participant", "personne « VS77777 » absente"),
    (_type_de_sortie_manquant, "parcours.csv", None, "Motif de sortie", "type de sortie oblig"),
    (_courriel_invalide, "participants.csv", 4, "Courriel", "Saisissez une adresse"),
]


@pytest.mark.parametrize(
    ("modifier", "fichier", "ligne", "colonne", "raison"), CAS, ids=[c[0].__name__ for c in CAS]
)
def test_chaque_ligne_refusee_est_listee_et_rien_n_est_enregistre(
    monde, referents, viesion, tmp_path, modifier, fichier, ligne, colonne, raison
):
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    modifier(personnes, dossiers)
    colonnes = [c for c in COLONNES_PARTICIPANTS if any(c in p for p in personnes)]
    dossier = tmp_path / "export"
    ecrire_export(dossier, personnes, dossiers)
    if colonnes != COLONNES_PARTICIPANTS:
        ecrire_csv(dossier / "participants.csv", colonnes, personnes)

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    rapport = refus.value.rapport
    trouves = [r for r in rapport.refus if r.colonne == colonne and r.raison.startswith(raison)]
    assert trouves, rapport.texte()
    assert trouves[0].fichier == fichier
    if ligne is not None:
        assert trouves[0].ligne == ligne
    assert "rien n'a été enregistré" in rapport.texte()
    assert not Participant.objects.exists()
    assert not Provenance.objects.exists()
    assert all(c.crees == 0 for c in rapport.comptes.values())


def test_un_parcours_ouvert_deja_en_base_refuse_toute_la_reprise(
    monde, referents, viesion, tmp_path
):
    """La personne existe déjà (liée par la détection de doublons) avec un parcours ouvert dans
    ce PLIE : son parcours ouvert repris est refusé, et les autres lignes ne sont pas écrites."""
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    ouverte = next(d for d in dossiers if d["Statut"] == "Prescrit")
    personne = next(p for p in personnes if p["N° participant"] == ouverte["N° participant"])
    existante = ParticipantFactory(
        nom=personne["Nom"], prenom=personne["Prénom"], date_naissance=_date(personne)
    )
    ParcoursFactory(participant=existante, plie=monde.plie1, territoire=monde.territoire1)
    dossier = ecrire_export(tmp_path / "export", personnes, dossiers)

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    (seul,) = refus.value.rapport.refus
    assert seul.colonne == "Statut" and "déjà un parcours ouvert dans ce PLIE" in seul.raison
    assert Participant.objects.count() == 1 and Parcours.objects.count() == 1
    assert not Provenance.objects.exists()


def test_un_fichier_illisible_est_refuse(monde, viesion, tmp_path):
    dossier = tmp_path / "export"
    dossier.mkdir()
    (dossier / "participants.csv").write_bytes("Nom;Prénom\nDupré;Zoé\n".encode("cp1252"))
    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)
    assert "UTF-8" in refus.value.rapport.refus[0].raison


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        ("libelle: x\n", "source"),
        ("source: x\nparcours:\n  valeurs:\n    statut: {Entré: entre}\n", "n'est pas un code"),
        ("source: x\nparticipants:\n  colonnes: {naissance: D}\n", "champs inconnus"),
        ("source: x\ninconnu: 1\n", "Clés inconnues"),
        ("source: [\n", "YAML illisible"),
    ],
)
def test_une_correspondance_invalide_est_refusee(texte, message):
    with pytest.raises(CorrespondanceInvalide, match=message):
        lire_correspondance(texte)


def _date(personne):
    return datetime.datetime.strptime(personne["Date de naissance"], "%d/%m/%Y").date()
