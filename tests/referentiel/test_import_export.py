import datetime
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from parcours.core.models import PLIE, Commune, Territoire
from parcours.referentiel.models import Referentiel
from parcours.referentiel.sections import commissions, portefeuille
from parcours.referentiel.services import exporter_referentiel, importer_referentiel
from parcours.referentiel.validation import ReferentielInvalide

pytestmark = pytest.mark.django_db

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"


def ecrire(tmp_path, contenu, nom="essai.yaml"):
    chemin = tmp_path / nom
    chemin.parent.mkdir(parents=True, exist_ok=True)
    texte = contenu if isinstance(contenu, str) else yaml.safe_dump(contenu, allow_unicode=True)
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def minimal(code="essai"):
    return {
        "format": 1,
        "plie": {"code": code, "nom": "PLIE d'essai"},
        "version": {"date_effet": "2024-01-01", "libelle": "Essai"},
        "territoires": [
            {"code": "nord", "nom": "Nord", "communes": [{"insee": "47001", "nom": "Agen"}]},
            {"code": "sud", "nom": "Sud", "communes": [{"insee": "2A004", "nom": "Ajaccio"}]},
        ],
        "commissions": {
            "entree": {"nom": "comité d'entrée", "cadence_par_an": 12, "par_territoire": True},
            "sortie": {"nom": "comité de suivi", "cadence_par_an": 12},
        },
        "portefeuille": {"plafond_par_referent": 80},
    }


@pytest.mark.parametrize(
    ("code", "communes", "territoires", "plafond", "nom_commission"),
    [
        ("agenais", 44, 1, 80, "commission d'intégration et de suivi"),
        ("flandre-lys", 64, 3, 95, "comité d'entrée"),
    ],
)
def test_referentiels_du_depot(code, communes, territoires, plafond, nom_commission):
    referentiel = importer_referentiel(REFERENTIELS / f"{code}.yaml")
    plie = PLIE.objects.get(code=code)
    assert referentiel.plie == plie
    assert Commune.objects.filter(plie=plie).count() == communes
    assert Territoire.objects.filter(plie=plie).count() == territoires
    assert portefeuille.de(plie, referentiel.date_effet).plafond_par_referent == plafond
    assert commissions.de(plie, referentiel.date_effet).entree.nom == nom_commission


def test_agen_est_une_commune_de_l_agenais():
    importer_referentiel(REFERENTIELS / "agenais.yaml")
    assert Commune.objects.get(plie__code="agenais", insee="47001").nom == "Agen"


def test_import_puis_export_redonne_le_meme_contenu(tmp_path):
    importer_referentiel(ecrire(tmp_path, minimal()))
    exporte = yaml.safe_load(exporter_referentiel(PLIE.objects.get(code="essai")))
    assert exporte == minimal()
    # Le fichier exporté se réimporte tel quel.
    chemin = ecrire(
        tmp_path, exporter_referentiel(PLIE.objects.get(code="essai")), "autre/essai.yaml"
    )
    importer_referentiel(chemin)
    assert Referentiel.objects.count() == 1


def test_versions_datees_la_bonne_s_applique(tmp_path):
    importer_referentiel(ecrire(tmp_path, minimal()))
    v2 = minimal()
    v2["version"]["date_effet"] = "2025-01-01"
    v2["portefeuille"]["plafond_par_referent"] = 70
    importer_referentiel(ecrire(tmp_path, v2, "v2/essai.yaml"))
    plie = PLIE.objects.get(code="essai")
    assert portefeuille.de(plie, datetime.date(2024, 6, 1)).plafond_par_referent == 80
    assert portefeuille.de(plie, datetime.date(2025, 1, 1)).plafond_par_referent == 70
    assert Referentiel.objects.en_vigueur(plie, datetime.date(2023, 12, 31)) is None
    assert portefeuille.de(plie, datetime.date(2023, 12, 31)) is None


def test_reimport_met_a_jour_les_communes(tmp_path):
    importer_referentiel(ecrire(tmp_path, minimal()))
    contenu = minimal()
    contenu["territoires"][1]["communes"] = [{"insee": "47002", "nom": "Agmé"}]
    importer_referentiel(ecrire(tmp_path, contenu))
    assert sorted(Commune.objects.values_list("insee", flat=True)) == ["47001", "47002"]


def test_reimport_renomme_et_deplace_une_commune_sans_la_recreer(tmp_path):
    importer_referentiel(ecrire(tmp_path, minimal()))
    agen = Commune.objects.get(insee="47001")
    contenu = minimal()
    contenu["territoires"][0]["communes"] = [{"insee": "47002", "nom": "Agmé"}]
    contenu["territoires"][1]["communes"].append({"insee": "47001", "nom": "Agen-Centre"})
    importer_referentiel(ecrire(tmp_path, contenu))
    agen_apres = Commune.objects.get(insee="47001")
    assert agen_apres.pk == agen.pk
    assert (agen_apres.nom, agen_apres.territoire.code) == ("Agen-Centre", "sud")


def modifier(chemin, valeur):
    contenu = minimal()
    cible = contenu
    *parents, derniere = chemin
    for cle in parents:
        cible = cible[cle]
    if valeur is KeyError:
        del cible[derniere]
    else:
        cible[derniere] = valeur
    return contenu


@pytest.mark.parametrize(
    ("chemin", "valeur", "attendu"),
    [
        (("format",), 9, "essai.yaml: format: format inconnu"),
        (("plie", "code"), "Essai Majuscules", "essai.yaml: plie.code: code en minuscules"),
        (("plie", "nom"), KeyError, "essai.yaml: plie.nom: clé obligatoire absente"),
        (
            ("version", "date_effet"),
            "01/01/2024",
            "essai.yaml: version.date_effet: une date AAAA-MM-JJ est attendue",
        ),
        (("territoires",), [], "essai.yaml: territoires: une liste non vide"),
        (
            ("portefeuille", "plafond_par_referent"),
            0,
            "portefeuille.plafond_par_referent: doit être supérieur ou égal à 1",
        ),
        (
            ("portefeuille", "plafond_par_referent"),
            "80",
            "portefeuille.plafond_par_referent: un nombre entier est attendu",
        ),
        (
            ("commissions", "entree", "cadence_par_an"),
            KeyError,
            "commissions.entree.cadence_par_an: clé obligatoire absente",
        ),
        (
            ("commissions", "sortie", "par_territoire"),
            "oui",
            "commissions.sortie.par_territoire: true ou false",
        ),
        (
            ("commissions", "entree", "decision_anticipee"),
            "oui",
            "commissions.entree.decision_anticipee: true ou false",
        ),
        (("commissions", "mixte"), {}, "commissions.mixte: clé inconnue"),
        (("plafond",), 80, "essai.yaml: plafond: clé inconnue"),
    ],
)
def test_fichier_invalide_nomme_fichier_chemin_et_probleme(tmp_path, chemin, valeur, attendu):
    with pytest.raises(ReferentielInvalide) as exc:
        importer_referentiel(ecrire(tmp_path, modifier(chemin, valeur)))
    assert attendu in str(exc.value)
    assert str(exc.value).startswith(str(tmp_path / "essai.yaml"))
    assert not PLIE.objects.exists()
    assert not Referentiel.objects.exists()


@pytest.mark.parametrize(
    ("commune", "attendu"),
    [
        (
            {"insee": 47001, "nom": "Agen"},
            "territoires[0].communes[1].insee: le code INSEE doit être un texte",
        ),
        (
            {"insee": "4700", "nom": "Agen"},
            "territoires[0].communes[1].insee: « 4700 » n'est pas un code INSEE",
        ),
        (
            {"insee": "47001", "nom": "Agen"},
            "territoires[0].communes[1].insee: "
            "commune 47001 déjà listée en territoires[0].communes[0]",
        ),
        ({"insee": "47003"}, "territoires[0].communes[1].nom: clé obligatoire absente"),
    ],
)
def test_communes_invalides(tmp_path, commune, attendu):
    contenu = minimal()
    contenu["territoires"][0]["communes"].append(commune)
    with pytest.raises(ReferentielInvalide) as exc:
        importer_referentiel(ecrire(tmp_path, contenu))
    assert attendu in str(exc.value)


def test_toutes_les_erreurs_sont_listees(tmp_path):
    contenu = minimal()
    contenu["plie"]["code"] = "MAUVAIS"
    contenu["portefeuille"]["plafond_par_referent"] = -1
    with pytest.raises(ReferentielInvalide) as exc:
        importer_referentiel(ecrire(tmp_path, contenu))
    assert [e.chemin for e in exc.value.erreurs] == [
        "plie.code",
        "plie.code",
        "portefeuille.plafond_par_referent",
    ]


def test_yaml_illisible(tmp_path):
    with pytest.raises(
        ReferentielInvalide, match=r"essai.yaml: ligne 3, colonne 1: YAML illisible"
    ):
        importer_referentiel(ecrire(tmp_path, "format: 1\nplie: [non ferme\n"))


def test_fichier_introuvable(tmp_path):
    with pytest.raises(ReferentielInvalide, match=r"absent\.yaml: \(racine\): fichier introuvable"):
        importer_referentiel(tmp_path / "absent.yaml")


def test_commande_import_tout_ou_rien(tmp_path, capsys):
    bon = ecrire(tmp_path, minimal())
    mauvais_contenu = minimal("autre")
    mauvais_contenu["portefeuille"] = {}
    mauvais = ecrire(tmp_path, mauvais_contenu, "b/autre.yaml")
    with pytest.raises(CommandError, match="rien n'a été enregistré") as exc:
        call_command("importer_referentiel", str(bon), str(mauvais))
    assert "autre.yaml: portefeuille.plafond_par_referent: clé obligatoire absente" in str(
        exc.value
    )
    assert not PLIE.objects.exists()


def test_commande_import_dry_run(tmp_path, capsys):
    call_command("importer_referentiel", str(ecrire(tmp_path, minimal())), "--dry-run")
    assert "valide (rien enregistré)" in capsys.readouterr().out
    assert not Referentiel.objects.exists()


def test_commandes_import_et_export(tmp_path, capsys):
    call_command("importer_referentiel", str(REFERENTIELS / "agenais.yaml"))
    capsys.readouterr()
    call_command("exporter_referentiel", "agenais")
    exporte = yaml.safe_load(capsys.readouterr().out)
    source = yaml.safe_load((REFERENTIELS / "agenais.yaml").read_text())
    source["version"]["date_effet"] = source["version"]["date_effet"].isoformat()
    assert exporte == source
    sortie = tmp_path / "export.yaml"
    call_command("exporter_referentiel", "agenais", "--output", str(sortie))
    assert yaml.safe_load(sortie.read_text()) == source


@pytest.mark.parametrize(
    ("args", "message"),
    [(["inconnu"], "PLIE inconnu"), (["essai", "--date", "2000-01-01"], "Aucun référentiel")],
)
def test_commande_export_erreurs(tmp_path, args, message):
    importer_referentiel(ecrire(tmp_path, minimal()))
    with pytest.raises(CommandError, match=message):
        call_command("exporter_referentiel", *args)
