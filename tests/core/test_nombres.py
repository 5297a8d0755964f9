"""L'écriture française des nombres (parcours/core/nombres.py) et ses filtres de gabarit, chargés
d'office (workflows/templatetags/nombres.py) ; aucun gabarit n'affiche d'heures ni de compte de
liste sans eux."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from parcours.core.nombres import heures, nombre

FINE = "\u202f"


@pytest.mark.parametrize(
    ("valeur", "decimales", "attendu"),
    [
        (0, None, "0"),
        (999, None, "999"),
        (1500, None, f"1{FINE}500"),
        (100000, None, f"100{FINE}000"),
        (-1234567, None, f"-1{FINE}234{FINE}567"),
        (Decimal("140.50"), None, "140,50"),
        (Decimal("1500.00"), None, f"1{FINE}500,00"),
        (Decimal("1E+3"), None, f"1{FINE}000"),
        (Decimal("0.5"), None, "0,5"),
        (Decimal("-0.25"), None, "-0,25"),
        (912.5, None, "912,5"),
        (1 / 3, None, "0,33"),
        (Decimal("1500"), 2, f"1{FINE}500,00"),
        (Decimal("2.345"), 2, "2,35"),
        (Decimal("99.95"), 1, "100,0"),
        (Decimal("7.6"), 0, "8"),
        ("12", None, "12"),
        (None, None, ""),
        ("", None, ""),
        ("pas un nombre", None, "pas un nombre"),
    ],
)
def test_nombre(valeur, decimales, attendu):
    assert nombre(valeur, decimales) == attendu


def test_heures():
    assert heures(Decimal("140.50")) == "140,50 h"
    assert heures(Decimal("1500")) == f"1{FINE}500 h"
    assert heures(35, 1) == "35,0 h"
    assert heures(None) == ""


def rendre(gabarit: str, **contexte) -> str:
    return Template(gabarit).render(Context(contexte))


def test_filtres_sans_load_dans_tous_les_gabarits():
    assert rendre("{{ v|nombre }}", v=Decimal("1500.00")) == f"1{FINE}500,00"
    assert rendre("{{ v|nombre:1 }}", v=Decimal("12.34")) == "12,3"
    assert rendre("{{ v|heures }}", v=Decimal("140.5")) == "140,5 h"
    assert rendre('{{ v|heures|default:"—" }}', v=None) == "—"
    assert rendre("{{ v|nombre }}", v=123456) == f"123{FINE}456"


def test_filtres_laissent_le_reste_tel_quel():
    # Une date garde l'écriture de Django, un texte est échappé comme d'habitude.
    import datetime

    assert rendre("{{ v|nombre }}", v=datetime.date(2026, 12, 6)) == rendre(
        "{{ v }}", v=datetime.date(2026, 12, 6)
    )
    assert rendre("{{ v|nombre }}", v="<b>") == "&lt;b&gt;"
    assert rendre("{{ v|heures }}", v=True) == "True"


GABARITS = Path(settings.BASE_DIR) / "templates"


def _gabarits():
    return sorted(GABARITS.rglob("*.html"))


def test_aucun_nombre_d_heures_sans_le_filtre():
    """« {{ x }} h » écrit « 140.50 h » ou « 1500,00 h » : il faut `|heures`."""
    fautes = [
        f"{p.relative_to(GABARITS)} : {m.group(0)}"
        for p in _gabarits()
        for m in re.finditer(r"\{\{[^}]*\}\} h\b", p.read_text())
        if "|heures" not in m.group(0)
    ]
    assert not fautes, fautes


def test_les_comptes_des_listes_passent_par_le_filtre():
    """Une liste de 100 000 dossiers affiche « 100 000 », pas « 100000 »."""
    fautes = [
        str(p.relative_to(GABARITS))
        for p in _gabarits()
        if re.search(r"paginator\.count\s*\}\}", p.read_text())
    ]
    assert not fautes, fautes


def test_pas_de_floatformat():
    """Une seule écriture des nombres : `floatformat` en donnerait une seconde."""
    assert not [p for p in _gabarits() if "floatformat" in p.read_text()]
