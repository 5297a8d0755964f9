"""La commande evaluer_sortie : un objet JSON, ou une ligne d'erreur qui nomme le champ (code 2)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

RACINE = Path(settings.BASE_DIR)
EXEMPLE = {
    "date": "2024-06-30",
    "age": 41,
    "accord_temps_partiel": False,
    "contrats": [
        {
            "type": "interim",
            "employeur": "agence-1",
            "debut": "2023-09-04",
            "fin": "2023-12-22",
            "heures_hebdo": 35,
            "heures": 560,
        },
        {
            "type": "cdi",
            "employeur": "gifi",
            "debut": "2024-01-08",
            "fin": None,
            "heures_hebdo": 24,
        },
    ],
}
CLES = [
    "qualifie",
    "categorie",
    "regle",
    "atteint_le",
    "previsionnel_le",
    "validation_commission_requise",
    "explication",
]


def ecrire(tmp_path, donnees, nom="contrats.json"):
    chemin = tmp_path / nom
    texte = donnees if isinstance(donnees, str) else json.dumps(donnees, ensure_ascii=False)
    chemin.write_text(texte, encoding="utf-8")
    return str(chemin)


def evaluer(contrats, referentiel="referentiels/agenais.yaml"):
    sortie = StringIO()
    call_command(
        "evaluer_sortie", "--referentiel", referentiel, "--contrats", contrats, stdout=sortie
    )
    return json.loads(sortie.getvalue())


def erreur(contrats, referentiel="referentiels/agenais.yaml") -> str:
    with pytest.raises(CommandError) as exc:
        evaluer(contrats, referentiel)
    assert exc.value.returncode == 2
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_exemple_agenais(tmp_path):
    resultat = evaluer(ecrire(tmp_path, EXEMPLE))
    assert list(resultat) == CLES
    assert resultat == {
        "qualifie": False,
        "categorie": "emploi_durable",
        "regle": "interim-900h",
        "atteint_le": None,
        "previsionnel_le": None,
        "validation_commission_requise": False,
        "explication": resultat["explication"],
    }
    assert "422,5 h au 30/06/2024, il manque 477,5 h" in resultat["explication"]


def test_accord_temps_partiel_et_dates_iso(tmp_path):
    donnees = {**EXEMPLE, "accord_temps_partiel": True}
    resultat = evaluer(ecrire(tmp_path, donnees))
    # Le CDI à 24 h compte : 6 mois dans le poste le 07/07/2024 (les 180 jours cumulés du
    # 05/07 ne qualifient pas avant les 6 mois de date à date).
    assert (resultat["regle"], resultat["previsionnel_le"]) == ("cdi", "2024-07-07")
    assert "il manque 7 jours" in resultat["explication"]
    resultat = evaluer(ecrire(tmp_path, {**donnees, "date": "2024-07-07"}))
    assert (resultat["qualifie"], resultat["regle"], resultat["atteint_le"]) == (
        True,
        "cdi",
        "2024-07-07",
    )
    assert resultat["previsionnel_le"] is None


@pytest.mark.parametrize(
    ("referentiel", "regle"),
    [
        ("pas-de-calais", "mission-3-mois"),
        ("dijon", "cdi"),
        ("flandre-lys", "contrat-6-mois"),
        ("bordeaux", "interim"),
    ],
)
def test_tous_les_referentiels(tmp_path, referentiel, regle):
    resultat = evaluer(ecrire(tmp_path, EXEMPLE), f"referentiels/{referentiel}.yaml")
    assert resultat["regle"] == regle


def test_champs_facultatifs_absents(tmp_path):
    donnees = {
        "date": "2024-06-30",
        "contrats": [
            {"type": "creation_entreprise", "employeur": "ma-boite", "debut": "2023-11-02"}
        ],
    }
    resultat = evaluer(ecrire(tmp_path, donnees))
    assert (resultat["qualifie"], resultat["regle"], resultat["atteint_le"]) == (
        True,
        "creation-entreprise",
        "2024-05-01",
    )


def contrat(i, **valeurs):
    donnees = json.loads(json.dumps(EXEMPLE))
    donnees["contrats"][i].update(valeurs)
    return donnees


def sans(cle, i=None):
    donnees = json.loads(json.dumps(EXEMPLE))
    del (donnees["contrats"][i] if i is not None else donnees)[cle]
    return donnees


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        (contrat(1, debut="2024-13-01"), "contrats[1].debut : date invalide « 2024-13-01 »"),
        (contrat(0, fin="30/12/2023"), "contrats[0].fin : date invalide « 30/12/2023 »"),
        (sans("date"), "date : champ obligatoire absent"),
        (sans("contrats"), "contrats : champ obligatoire absent"),
        (sans("employeur", 1), "contrats[1].employeur : champ obligatoire absent"),
        (sans("debut", 0), "contrats[0].debut : champ obligatoire absent"),
        (
            contrat(1, type="cdi-interimaire"),
            "contrats[1].type : type de contrat inconnu « cdi-interimaire »",
        ),
        (
            contrat(0, fin="2023-09-01"),
            "contrats[0].fin : la fin (01/09/2023) précède le début (04/09/2023)",
        ),
        (
            contrat(1, employeur="agence-1", debut="2023-12-01"),
            "contrats[1] : chevauche contrats[0] chez le même employeur « agence-1 »",
        ),
        (contrat(1, heures_hebdo=0), "contrats[1].heures_hebdo : doit être supérieur à 0"),
        (contrat(1, heures_hebdo="35"), "contrats[1].heures_hebdo : un nombre est attendu"),
        (contrat(1, heures=100), "contrats[1].heures : les heures réalisées se rapportent"),
        (contrat(0, heures=-1), "contrats[0].heures : doit être supérieur ou égal à 0"),
        (contrat(0, salaire=1800), "contrats[0].salaire : champ inconnu"),
        ({**EXEMPLE, "age": "41"}, "age : un entier positif ou null est attendu"),
        ({**EXEMPLE, "accord_temps_partiel": "non"}, "accord_temps_partiel : true ou false"),
        ({**EXEMPLE, "contrats": {}}, "contrats : une liste est attendue"),
        ([], "un objet JSON est attendu"),
    ],
)
def test_entree_mal_formee(tmp_path, donnees, message):
    chemin = ecrire(tmp_path, donnees)
    assert erreur(chemin).startswith(f"{chemin}: {message}")


def test_json_illisible(tmp_path):
    chemin = ecrire(tmp_path, '{"date": "2024-06-30",')
    assert "JSON illisible" in erreur(chemin)
    assert "introuvable" in erreur(str(tmp_path / "absent.json"))


def test_referentiel_invalide_ou_sans_section_sortie(tmp_path):
    contenu = yaml.safe_load((RACINE / "referentiels/agenais.yaml").read_text(encoding="utf-8"))
    contenu["sortie"]["regles"][0]["duree_min_mois"] = 0
    invalide = tmp_path / "agenais.yaml"
    invalide.write_text(yaml.safe_dump(contenu, allow_unicode=True), encoding="utf-8")
    contrats = ecrire(tmp_path, EXEMPLE)
    assert erreur(contrats, str(invalide)) == (
        f"{invalide}: sortie.regles[0].duree_min_mois: doit être supérieur ou égal à 1"
    )
    del contenu["sortie"]
    invalide.write_text(yaml.safe_dump(contenu, allow_unicode=True), encoding="utf-8")
    assert "sortie: section absente" in erreur(contrats, str(invalide))


def test_ligne_de_commande_sans_base(tmp_path):
    """Vraie ligne de commande, base injoignable : JSON sur stdout ; erreur : une ligne, code 2."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": "postgresql://plie@db.invalid:5432/plie",
    }

    def manage(contrats):
        return subprocess.run(
            [
                sys.executable,
                "manage.py",
                "evaluer_sortie",
                "--referentiel",
                "referentiels/flandre-lys.yaml",
                "--contrats",
                contrats,
            ],
            cwd=RACINE,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    ok = manage(ecrire(tmp_path, EXEMPLE))
    assert ok.returncode == 0, ok.stderr
    assert list(json.loads(ok.stdout)) == CLES
    assert "Contrat de travail de plus de 6 mois attestés" in ok.stdout  # pas d'échappement \u
    chemin = ecrire(tmp_path, contrat(1, debut="2024-13-01"), "mauvais.json")
    ko = manage(chemin)
    assert (ko.returncode, ko.stdout) == (2, "")
    assert ko.stderr.splitlines() == [
        f"CommandError: {chemin}: contrats[1].debut : date invalide « 2024-13-01 »"
    ]
