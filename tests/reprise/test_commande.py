"""`python manage.py reprendre --plie <code> --mapping FICHIER.yaml DOSSIER [--dry-run]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from parcours.participants.models import Participant
from tests.reprise.export import CORRESPONDANCE_VIESION, ecrire_export, generer

pytestmark = pytest.mark.django_db


def _lancer(*args):
    sortie, erreurs = StringIO(), StringIO()
    call_command("reprendre", *args, stdout=sortie, stderr=erreurs)
    return sortie.getvalue(), erreurs.getvalue()


@pytest.fixture
def dossier(referents, tmp_path):
    personnes, dossiers = generer(28, referents=(referents[0].username,))
    return ecrire_export(tmp_path / "export", personnes, dossiers)


def test_controle_puis_reprise_puis_relance(monde, dossier):
    args = ("--plie", monde.plie1.code, "--mapping", str(CORRESPONDANCE_VIESION), str(dossier))
    sortie, _ = _lancer(*args, "--dry-run")
    assert "Participants : 28 créé(s)" in sortie and "rien n'a été écrit" in sortie
    assert not Participant.objects.exists()

    sortie, _ = _lancer(*args)
    assert "Participants : 28 créé(s)" in sortie
    assert "Parcours : 34 créé(s), 0 mis à jour, 0 inchangé(s), 0 refusé(s)" in sortie
    assert Participant.objects.count() == 28

    sortie, _ = _lancer(*args)
    assert "Participants : 0 créé(s), 0 mis à jour, 28 inchangé(s)" in sortie


def test_les_refus_sont_ecrits_et_le_code_de_sortie_est_2(monde, referents, tmp_path):
    personnes, dossiers = generer(14, referents=(referents[0].username,))
    dossiers[0]["Statut"] = "Inconnu"
    dossier = ecrire_export(tmp_path / "export", personnes, dossiers)
    erreurs = StringIO()
    with pytest.raises(CommandError) as echec:
        call_command(
            "reprendre",
            "--plie",
            monde.plie1.code,
            "--mapping",
            str(CORRESPONDANCE_VIESION),
            str(dossier),
            stderr=erreurs,
        )
    assert echec.value.returncode == 2
    assert "rien n'a été enregistré" in str(echec.value)
    assert (
        "parcours.csv, ligne 2, colonne « Statut » : valeur « Inconnu » sans correspondance"
        in erreurs.getvalue()
    )
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("plie", "mapping", "message"),
    [
        ("inconnu", None, "PLIE inconnu"),
        (None, "/nulle/part.yaml", "fichier illisible"),
    ],
)
def test_arguments_invalides(monde, dossier, plie, mapping, message):
    with pytest.raises(CommandError, match=message):
        _lancer(
            "--plie",
            plie or monde.plie1.code,
            "--mapping",
            mapping or str(CORRESPONDANCE_VIESION),
            str(dossier),
        )


def test_dossier_sans_fichier_attendu(monde, tmp_path):
    with pytest.raises(CommandError, match="aucun fichier attendu"):
        _lancer("--plie", monde.plie1.code, "--mapping", str(CORRESPONDANCE_VIESION), str(tmp_path))


def test_le_rapport_xlsx_liste_les_refus_sans_formule(monde, referents, tmp_path):
    from openpyxl import load_workbook

    personnes, dossiers = generer(14, referents=(referents[0].username,))
    dossiers[0]["Statut"] = "=HYPERLINK(1)"
    dossier = ecrire_export(tmp_path / "export", personnes, dossiers)
    chemin = tmp_path / "rapport.xlsx"
    with pytest.raises(CommandError):
        _lancer(
            "--plie",
            monde.plie1.code,
            "--mapping",
            str(CORRESPONDANCE_VIESION),
            str(dossier),
            "--rapport",
            str(chemin),
        )
    classeur = load_workbook(chemin)
    assert classeur.sheetnames == ["Comptes", "Refus", "Doublons"]
    refus = list(classeur["Refus"].iter_rows(values_only=True))
    assert refus[1][:3] == ("parcours.csv", 2, "Statut")
    assert refus[1][3].startswith("valeur « =HYPERLINK(1) »")
    comptes = list(classeur["Comptes"].iter_rows(values_only=True))
    assert comptes[3] == ("Parcours", 0, 0, 0, 1)


def test_la_commande_reprend_l_export_complet_et_compte_chaque_entite(monde, tmp_path):
    from openpyxl import load_workbook

    from tests.reprise.test_entites import export_complet
    from tests.suivi.conftest import appliquer_referentiel

    appliquer_referentiel(monde.plie1)
    lignes = export_complet(tmp_path / "export", monde)
    chemin = tmp_path / "rapport.xlsx"
    args = ("--plie", monde.plie1.code, "--mapping", str(CORRESPONDANCE_VIESION))

    sortie, _ = _lancer(*args, str(tmp_path / "export"), "--rapport", str(chemin))

    for libelle, nombre in (
        ("Structures", 3),
        ("Utilisateurs", 2),
        ("Prescriptions et décisions", len(lignes["prescriptions"])),
        ("Étapes", len(lignes["etapes"])),
        ("Entretiens et contacts", len(lignes["suivis"])),
        ("Contrats", len(lignes["contrats"])),
        ("Réponses FSE+", len(lignes["reponses_fse"])),
    ):
        assert f"  {libelle} : {nombre} créé(s), 0 mis à jour" in sortie
    assert "Fichier absent" not in sortie
    comptes = {r[0]: r[1:] for r in load_workbook(chemin)["Comptes"].iter_rows(values_only=True)}
    assert comptes["Étapes"] == (len(lignes["etapes"]), 0, 0, 0)
