"""Le chargeur YAML en C lit les référentiels et les correspondances livrés comme le chargeur sûr
en Python, et refuse ce que le chargeur sûr refuse (étiquettes Python)."""

from pathlib import Path

import pytest
import yaml

from parcours.core.yaml_sur import CHARGEUR, lire_yaml
from parcours.reprise.correspondance import LIVREES

REFERENTIELS = Path(__file__).resolve().parents[2] / "referentiels"
FICHIERS = sorted(REFERENTIELS.glob("*.yaml")) + sorted(LIVREES.glob("*.yaml"))


def test_le_chargeur_en_c_est_pris_quand_libyaml_est_la():
    assert yaml.__with_libyaml__, (
        "PyYAML sans libyaml : les référentiels se liraient 10× plus lentement"
    )
    assert CHARGEUR is yaml.CSafeLoader


@pytest.mark.parametrize("chemin", FICHIERS, ids=lambda c: c.name)
def test_meme_contenu_que_le_chargeur_sur_en_python(chemin):
    texte = chemin.read_text(encoding="utf-8")
    assert lire_yaml(texte) == yaml.safe_load(texte)


def test_les_etiquettes_python_restent_refusees():
    with pytest.raises(yaml.YAMLError):
        lire_yaml("!!python/object/apply:os.system ['true']")
