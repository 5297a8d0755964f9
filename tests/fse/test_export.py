"""L'export Ma Démarche FSE : colonnes et encodage relus, contrôle préalable, mode partiel,
journal, commande et mauvaises saisies (docs/fse.md)."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import ParticipationFse, QuestionnaireFSE
from parcours.core.enums import Role
from parcours.emploi.models import DonneesSortieFSE
from parcours.reporting.ma_demarche_fse import (
    COLONNES_ENTREES,
    COLONNES_SORTIES,
    controler,
    preparer_export,
)
from parcours.reporting.ma_demarche_fse.controle import FICHE, QUESTIONNAIRE, SORTIE
from parcours.reporting.ma_demarche_fse.export import ExportIncomplet
from parcours.reporting.models import ExportFse
from parcours.reporting.periode import periode
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db


def _annee():
    aujourdhui = timezone.localdate()
    return periode(aujourdhui - datetime.timedelta(days=365), aujourdhui)


def _lire(texte: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(texte), delimiter=";"))


def _exporter(op, p, **kwargs) -> tuple[list[list[str]], object]:
    export = preparer_export(op, p, **kwargs)
    fichier = io.StringIO()
    export.ecrire(fichier)
    return _lire(fichier.getvalue()), export


def test_le_fichier_des_entrees_se_relit_colonne_par_colonne(monde, operations):
    parcours = operations.engage(nom="Lefèvre-Hélie", prenom="Zoé", telephone="0601020304")
    animateur = monde.user(Role.ANIMATEUR)
    lignes, export = _exporter(operations.a, _annee(), par=animateur)
    assert lignes[0] == [c.entete for c in COLONNES_ENTREES]
    assert len(lignes) == 2
    ligne = dict(zip(lignes[0], lignes[1], strict=True))
    participation = ParticipationFse.objects.get(parcours=parcours)
    assert ligne["numero_operation"] == "202100001"
    assert ligne["identifiant_participant"] == str(participation.pk)
    assert (ligne["nom"], ligne["prenom"]) == ("LEFÈVRE-HÉLIE", "ZOÉ")
    assert ligne["date_naissance"] == "17/05/1980"
    assert ligne["sexe"] == "F"
    assert (ligne["commune_naissance"], ligne["code_postal_naissance"]) == ("Agen", "47000")
    assert (ligne["code_commune"], ligne["commune"]) == ("47001", "Agen")
    assert ligne["date_entree"] == f"{participation.date_entree:%d/%m/%Y}"
    assert ligne["q1_statut_marche_travail"] == "1f"
    assert ligne["q1g_mois_recherche"] == "14"
    assert ligne["q2_diplome"] == "2c"
    assert (ligne["q3_handicap"], ligne["q4_minima_sociaux"]) == ("N", "N")
    assert (ligne["q5_sans_domicile"], ligne["q6_parent_ne_etranger"]) == ("N", "NSP")
    assert (export.lignes, export.ecartees) == (1, 0)


def test_encodage_utf8_et_formules_neutralisees_dans_le_fichier(monde, operations):
    operations.engage(nom="=HYPERLINK(1)", prenom="Élodie")
    export = preparer_export(operations.a, _annee())
    octets = b"".join(m.encode("utf-8") for m in export.morceaux())
    texte = octets.decode("utf-8")
    assert "\r\n" in texte
    ligne = _lire(texte)[1]
    assert ligne[2] == "'=HYPERLINK(1)"
    assert ligne[3] == "ÉLODIE"


def test_la_periode_choisit_les_entrees(monde, operations):
    operations.engage()
    hier = timezone.localdate() - datetime.timedelta(days=1)
    lignes, _ = _exporter(operations.a, periode(hier - datetime.timedelta(days=30), hier))
    assert len(lignes) == 1  # l'en-tête seul


def test_le_controle_nomme_chaque_participant_et_ce_qui_manque(monde, operations):
    complet = operations.engage()
    sans_adresse = operations.engage(complet=False, nom="Martin", prenom="Paul")
    incomplet = operations.engage(nom="Durand", prenom="Léa")
    QuestionnaireFSE.objects.filter(parcours=incomplet).update(diplome_dgefp="", sans_domicile="")
    anomalies = controler(operations.a, _annee())
    par_nom = {a.nom: a for a in anomalies}
    assert set(par_nom) == {"MARTIN Paul", "DURAND Léa"}
    assert [(p.texte, p.a_corriger) for p in par_nom["MARTIN Paul"].problemes] == [
        ("Fiche participant : adresse manquant(e)", FICHE),
        ("Fiche participant : commune de résidence manquant(e)", FICHE),
    ]
    assert [(p.texte, p.a_corriger) for p in par_nom["DURAND Léa"].problemes] == [
        ("Questionnaire FSE+ : plus haut niveau de diplôme manquant(e)", QUESTIONNAIRE),
        (
            "Questionnaire FSE+ : sans domicile fixe ou exclusion du logement manquant(e)",
            QUESTIONNAIRE,
        ),
    ]
    assert par_nom["DURAND Léa"].parcours_id == incomplet.pk
    assert complet.pk not in {a.parcours_id for a in anomalies}
    assert sans_adresse.pk in {a.parcours_id for a in anomalies}


def test_le_controle_voit_les_incoherences(monde, operations):
    parcours = operations.engage(nom="Petit", prenom="Tom")
    participation = ParticipationFse.objects.get(parcours=parcours)
    naissance = participation.date_entree - datetime.timedelta(days=365 * 15)
    parcours.participant.date_naissance = naissance
    parcours.participant.save()
    QuestionnaireFSE.objects.filter(parcours=parcours).update(
        date_entree=participation.date_entree - datetime.timedelta(days=3)
    )
    (anomalie,) = controler(operations.a, _annee())
    textes = " | ".join(anomalie.textes)
    assert "diffère de celle de la participation" in textes
    assert "Âge à l'entrée : 14 ans" in textes or "Âge à l'entrée : 15 ans" in textes


def test_donnees_incompletes_pas_d_export_sans_le_mode_partiel(monde, operations):
    operations.engage()
    incomplet = operations.engage(nom="Durand", prenom="Léa")
    QuestionnaireFSE.objects.filter(parcours=incomplet).update(handicap_reconnu="")
    with pytest.raises(ExportIncomplet) as exc:
        preparer_export(operations.a, _annee())
    assert [a.nom for a in exc.value.anomalies] == ["DURAND Léa"]
    assert "1 participant(s)" in str(exc.value)
    assert not ExportFse.objects.exists()


def test_le_mode_partiel_ecrit_les_lignes_completes_et_compte_les_ecartees(monde, operations):
    operations.engage()
    operations.engage()
    incomplet = operations.engage()
    QuestionnaireFSE.objects.filter(parcours=incomplet).update(handicap_reconnu="")
    animateur = monde.user(Role.ANIMATEUR)
    lignes, export = _exporter(operations.a, _annee(), partiel=True, par=animateur)
    assert len(lignes) == 3
    assert (export.lignes, export.ecartees) == (2, 1)
    journal = ExportFse.objects.get()
    assert (journal.operation, journal.par, journal.lignes, journal.ecartees) == (
        operations.a,
        animateur,
        2,
        1,
    )
    assert journal.partiel and not journal.sorties
    trace = Trace.objects.get(type=TypeTrace.EXPORT)
    assert (trace.user, trace.plie_id, trace.objet_id) == (
        animateur,
        monde.plie1.pk,
        str(operations.a.pk),
    )
    assert "2 ligne(s), 1 écartée(s)" in trace.detail


def test_le_fichier_des_sorties_et_son_controle(monde, operations):
    sorti = parcours_en(monde, Statut.SORTI)
    for p in (sorti,):
        p.participant.adresse, p.participant.commune_insee = "2 rue", "47001"
        p.participant.save()
    anomalies = controler(operations.a, _annee(), sorties=True)
    assert [(pb.texte, pb.a_corriger) for a in anomalies for pb in a.problemes] == [
        ("Données FSE+ de sortie non saisies", SORTIE)
    ]
    DonneesSortieFSE.objects.create(
        parcours=sorti,
        situation="emploi",
        type_contrat="cdi",
        qualification_obtenue=False,
        saisie_par=monde.user(Role.REFERENT),
    )
    lignes, export = _exporter(operations.a, _annee(), sorties=True)
    assert lignes[0] == [c.entete for c in COLONNES_SORTIES]
    ligne = dict(zip(lignes[0], lignes[1], strict=True))
    assert ligne["date_sortie"] == f"{sorti.date_sortie:%d/%m/%Y}"
    assert (ligne["motif_sortie"], ligne["situation_sortie"]) == ("sortie", "emploi")
    assert (ligne["type_contrat"], ligne["qualification_obtenue"]) == ("cdi", "N")
    assert export.sorties and export.nom_de_fichier.endswith(".csv")
    assert "_sorties_" in export.nom_de_fichier


@pytest.mark.parametrize(
    ("du", "au", "message"),
    [
        ("2025-03-01", "2025-01-01", "La période est inversée"),
        ("2025-01-01", "", "période ouverte"),
        ("", "2025-01-01", "période ouverte"),
        ("2025-13-01", "2025-12-31", "n'est pas une date au format AAAA-MM-JJ"),
    ],
)
def test_periode_inversee_ouverte_ou_illisible(du, au, message):
    with pytest.raises(ValidationError) as exc:
        periode(du, au)
    assert message in " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# — La commande —


def _commande(*args):
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("exporter_fse", *args, stdout=sortie, stderr=erreurs)
    return sortie.getvalue(), erreurs.getvalue()


def test_commande_ecrit_le_fichier_et_le_dit(monde, operations, tmp_path):
    operations.engage()
    p = _annee()
    fichier = tmp_path / "entrees.csv"
    sortie, _ = _commande(
        "--operation", str(operations.a.pk), "--du", f"{p.du}", "--au", f"{p.au}", str(fichier)
    )
    assert "1 ligne(s) de entrées écrite(s)" in sortie
    lignes = _lire(fichier.read_text(encoding="utf-8"))
    assert len(lignes) == 2 and lignes[0][0] == "numero_operation"
    assert ExportFse.objects.get().par is None


def test_commande_donnees_incompletes_liste_puis_partiel(monde, operations, tmp_path):
    operations.engage()
    incomplet = operations.engage(nom="Durand", prenom="Léa")
    QuestionnaireFSE.objects.filter(parcours=incomplet).update(minima_sociaux="")
    p = _annee()
    fichier = tmp_path / "entrees.csv"
    args = ["--operation", str(operations.a.pk), "--du", f"{p.du}", "--au", f"{p.au}", str(fichier)]
    erreurs = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("exporter_fse", *args, stdout=io.StringIO(), stderr=erreurs)
    assert exc.value.returncode == 2
    assert "DURAND Léa : Questionnaire FSE+ : perception de minima sociaux" in erreurs.getvalue()
    assert not fichier.exists()
    sortie, _ = _commande(*args, "--partiel")
    assert "1 écartée(s) car incomplète(s) ou incohérente(s)" in sortie
    assert len(_lire(fichier.read_text(encoding="utf-8"))) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--du", "2025-03-01", "--au", "2025-01-01"], "La période est inversée"),
        (["--du", "2025-03-01", "--au", ""], "période ouverte"),
        (["--du", "2025-01-01", "--au", "2025-12-31", "--par", "inconnu"], "Aucun compte actif"),
    ],
)
def test_commande_mauvaises_saisies(operations, tmp_path, args, message):
    with pytest.raises(CommandError, match=message) as exc:
        _commande("--operation", str(operations.a.pk), *args, str(tmp_path / "x.csv"))
    assert exc.value.returncode == 2


def test_commande_operation_inconnue_ou_ambigue(operations, tmp_path):
    with pytest.raises(CommandError, match="Aucune opération FSE\\+"):
        _commande("--operation", "999999", "--du", "2025-01-01", "--au", "2025-12-31", "x.csv")
    # 202100001 : l'opération A du PLIE 1 et celle du PLIE voisin.
    operations.a.numero = "202100009"
    operations.a.save()
    operations.b.numero = "202100001"
    operations.b.save()
    with pytest.raises(CommandError, match="Plusieurs opérations"):
        _commande("--operation", "202100001", "--du", "2025-01-01", "--au", "2025-12-31", "x.csv")
