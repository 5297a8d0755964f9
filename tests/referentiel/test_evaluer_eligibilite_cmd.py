"""La commande `evaluer_eligibilite` : un objet JSON sur la sortie standard ; une entrée mal formée
donne une ligne d'erreur qui nomme le fichier et le champ, et le code de sortie 2.

Aucun de ces tests n'a accès à la base (pas de marque django_db) : la commande ne s'en sert pas.
Les deux tests par sous-processus le vérifient aussi avec une base injoignable.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from parcours.referentiel.sections.eligibilite import evaluer
from parcours.referentiel.services import lire_fichier

RACINE = Path(settings.BASE_DIR)
REFERENTIELS = RACINE / "referentiels"

EXEMPLE = {
    "date": "2024-03-01",
    "date_naissance": "1980-05-17",
    "commune_insee": "47001",
    "sans_emploi_depuis": "2022-06-01",
    "statuts": [{"code": "rsa", "depuis": "2022-01-01"}, {"code": "qpv"}],
    "freins": ["mobilite", "logement"],
    "niveau_qualification": 3,
    "bac": False,
    "rqth_jusqu_au": None,
    "suivi_mission_locale": False,
    "suivi_cap_emploi": False,
    "via_clause": False,
}


def ecrire_personne(tmp_path, contenu, nom="personne.json"):
    chemin = tmp_path / nom
    texte = contenu if isinstance(contenu, str) else json.dumps(contenu, ensure_ascii=False)
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def lancer(referentiel, personne, capsys):
    call_command(
        "evaluer_eligibilite", "--referentiel", str(referentiel), "--personne", str(personne)
    )
    sortie = capsys.readouterr()
    return json.loads(sortie.out), sortie


@pytest.mark.parametrize("plie", ["agenais", "bordeaux", "technowest", "flandre-lys", "dijon"])
def test_sortie_identique_au_moteur(tmp_path, capsys, plie):
    chemin = REFERENTIELS / f"{plie}.yaml"
    resultat, sortie = lancer(chemin, ecrire_personne(tmp_path, EXEMPLE), capsys)
    assert resultat == evaluer(lire_fichier(chemin), EXEMPLE).as_json()
    assert sortie.err == ""


def test_sortie_exacte_bordeaux(tmp_path, capsys):
    personne = {**EXEMPLE, "commune_insee": "33063", "sans_emploi_depuis": None, "freins": []}
    personne["statuts"] = [{"code": "rsa"}]
    personne["niveau_qualification"] = 5
    resultat, _ = lancer(
        REFERENTIELS / "bordeaux.yaml", ecrire_personne(tmp_path, personne), capsys
    )
    assert resultat == {
        "eligible": True,
        "criteres": [
            {
                "code": "eligibilite",
                "satisfait": True,
                "explication": "Éligibilité au PLIE de Bordeaux — satisfait : toutes les "
                "conditions sont remplies (« résidence dans une commune du PLIE », « âge : 16 "
                "ans ou plus », « Public cible du PLIE de Bordeaux »)",
            },
            {
                "code": "residence",
                "satisfait": True,
                "explication": "Réside à Bordeaux (33063), commune du PLIE de Bordeaux",
            },
            {
                "code": "age-travail",
                "satisfait": True,
                "explication": "À 43 ans au 01/03/2024 : dans la tranche « 16 ans ou plus »",
            },
            {
                "code": "public-cible",
                "satisfait": True,
                "explication": "Public cible du PLIE de Bordeaux — satisfait par « statut RSA "
                "ou RSA majoré ou ASS ou AAH »",
            },
            {
                "code": "deld",
                "satisfait": False,
                "explication": "En emploi (pas de date « sans emploi depuis ») : DELD "
                "(≥ 12 mois) non satisfait",
            },
            {"code": "minima-sociaux", "satisfait": True, "explication": "Statut RSA"},
            {
                "code": "qpv",
                "satisfait": False,
                "explication": "Pas de statut QPV (quartier prioritaire)",
            },
            {
                "code": "niveau-cap-bep",
                "satisfait": False,
                "explication": "Niveau de qualification 5 (bac+2) : niveau 3 ou moins exigé, "
                "non satisfait",
            },
            {
                "code": "cumul-freins",
                "satisfait": False,
                "explication": "Cumul de freins professionnels et sociaux — non satisfait : "
                "condition(s) non remplie(s) : « au moins 1 frein parmi compétences de base, "
                "qualification inadaptée, expérience professionnelle », « au moins 1 frein parmi "
                "mobilité, logement, santé, garde d'enfants, situation familiale, justice »",
            },
            {
                "code": "freins-professionnels",
                "satisfait": False,
                "explication": "Aucun de ces freins déclaré : au moins 1 frein parmi compétences "
                "de base, qualification inadaptée, expérience professionnelle exigé, non satisfait",
            },
            {
                "code": "freins-sociaux",
                "satisfait": False,
                "explication": "Aucun de ces freins déclaré : au moins 1 frein parmi mobilité, "
                "logement, santé, garde d'enfants, situation familiale, justice exigé, non "
                "satisfait",
            },
        ],
    }


def attendre_erreur(referentiel, personne, message):
    with pytest.raises(CommandError) as exc:
        call_command(
            "evaluer_eligibilite", "--referentiel", str(referentiel), "--personne", str(personne)
        )
    assert exc.value.returncode == 2
    texte = str(exc.value)
    assert "\n" not in texte
    assert texte.startswith(message), texte
    return texte


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (
            {**EXEMPLE, "date_naissance": "17/05/1980"},
            "date_naissance: une date AAAA-MM-JJ est attendue, reçu « 17/05/1980 »",
        ),
        ({**EXEMPLE, "date": "2024-13-01"}, "date: date inexistante « 2024-13-01 »"),
        (
            {**EXEMPLE, "statuts": [{"code": "rsa"}, {"code": "rsaa"}]},
            "statuts[1].code: code de statut inconnu « rsaa »",
        ),
        ({**EXEMPLE, "freins": ["voiture"]}, "freins[0]: code de frein inconnu « voiture »"),
        (
            {k: v for k, v in EXEMPLE.items() if k != "commune_insee"},
            "commune_insee: champ obligatoire absent",
        ),
        ({**EXEMPLE, "bac": "non"}, "bac: true ou false (ou null) est attendu"),
        ([EXEMPLE], "(racine): un objet JSON {…} est attendu, reçu une liste"),
    ],
)
def test_personne_mal_formee(tmp_path, contenu, message):
    chemin = ecrire_personne(tmp_path, contenu)
    attendre_erreur(REFERENTIELS / "agenais.yaml", chemin, f"{chemin}: {message}")


def test_personne_pas_du_json(tmp_path):
    chemin = ecrire_personne(tmp_path, '{"date": "2024-03-01",\n  "bac": non}')
    attendre_erreur(
        REFERENTIELS / "agenais.yaml",
        chemin,
        f"{chemin}: ligne 2, colonne 10: JSON illisible : Expecting value",
    )


def test_personne_introuvable(tmp_path):
    chemin = tmp_path / "absente.json"
    attendre_erreur(
        REFERENTIELS / "agenais.yaml", chemin, f"{chemin}: (racine): fichier introuvable"
    )


def test_personne_pas_en_utf8(tmp_path):
    chemin = tmp_path / "latin1.json"
    chemin.write_bytes('{"date": "é"}'.encode("latin-1"))
    attendre_erreur(REFERENTIELS / "agenais.yaml", chemin, f"{chemin}: (racine): le fichier doit")


def ecrire_referentiel(tmp_path, contenu, nom="essai.yaml"):
    chemin = tmp_path / nom
    texte = contenu if isinstance(contenu, str) else yaml.safe_dump(contenu, allow_unicode=True)
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def essai(criteres=None):
    contenu = yaml.safe_load((REFERENTIELS / "agenais.yaml").read_text(encoding="utf-8"))
    contenu["plie"]["code"] = "essai"
    if criteres is not None:
        contenu["eligibilite"]["criteres"] = criteres
    return contenu


def test_referentiel_arbre_mal_forme(tmp_path):
    criteres = {
        "code": "g",
        "tous": [
            {"code": "r", "type": "residance"},
            {"code": "a", "type": "age", "min": 9, "max": 1},
        ],
    }
    referentiel = ecrire_referentiel(tmp_path, essai(criteres))
    texte = attendre_erreur(
        referentiel,
        ecrire_personne(tmp_path, EXEMPLE),
        f"{referentiel}: eligibilite.criteres.tous[0].type: type de critère inconnu « residance »",
    )
    assert texte.endswith("(et 1 autre(s) erreur(s) : importer_referentiel --dry-run)")


def test_referentiel_sans_section_eligibilite(tmp_path):
    contenu = essai()
    del contenu["eligibilite"]
    referentiel = ecrire_referentiel(tmp_path, contenu)
    attendre_erreur(
        referentiel,
        ecrire_personne(tmp_path, EXEMPLE),
        f"{referentiel}: eligibilite: section absente",
    )


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        ("format: 1\nplie: [non ferme\n", "ligne 3, colonne 1: YAML illisible"),
        (None, "plie.code: « essai » ne correspond pas au nom du fichier (autre)"),
    ],
)
def test_referentiel_illisible_ou_mal_nomme(tmp_path, texte, message):
    referentiel = ecrire_referentiel(tmp_path, texte or essai(), "autre.yaml")
    attendre_erreur(referentiel, ecrire_personne(tmp_path, EXEMPLE), f"{referentiel}: {message}")


def test_referentiel_introuvable(tmp_path):
    attendre_erreur(
        tmp_path / "nulle-part.yaml",
        ecrire_personne(tmp_path, EXEMPLE),
        f"{tmp_path / 'nulle-part.yaml'}: (racine): fichier introuvable",
    )


# --- Par la ligne de commande, avec une base injoignable --------------------------------------

SANS_BASE = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "1",
    "DATABASE_URL": "postgresql://plie@db.invalid:5432/plie",
}


def manage(*args):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=RACINE,
        env={**base, **SANS_BASE},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_ligne_de_commande_succes(tmp_path):
    personne = ecrire_personne(tmp_path, EXEMPLE)
    resultat = manage(
        "evaluer_eligibilite", "--referentiel", "referentiels/dijon.yaml", "--personne", personne
    )
    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stderr == ""
    sortie = json.loads(resultat.stdout)
    assert sortie == evaluer(lire_fichier(REFERENTIELS / "dijon.yaml"), EXEMPLE).as_json()
    assert list(sortie) == ["eligible", "criteres"]
    assert all(list(c) == ["code", "satisfait", "explication"] for c in sortie["criteres"])
    assert "Éligibilité au PLIE de Dijon Métropole" in resultat.stdout  # pas d'échappement \u


def test_ligne_de_commande_erreur_code_2(tmp_path):
    personne = ecrire_personne(
        tmp_path, {**EXEMPLE, "statuts": [{"code": "rsa"}, {"code": "rsaa"}]}
    )
    resultat = manage(
        "evaluer_eligibilite", "--referentiel", "referentiels/agenais.yaml", "--personne", personne
    )
    assert resultat.returncode == 2
    assert resultat.stdout == ""
    lignes = resultat.stderr.splitlines()
    assert len(lignes) == 1, resultat.stderr
    assert lignes[0].startswith(
        f"CommandError: {personne}: statuts[1].code: code de statut inconnu"
    )
