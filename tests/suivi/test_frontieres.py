"""Les frontières du suivi (docs/architecture.md) : les services et modèles du suivi n'importent
que les applications en dessous de l'accompagnement, jamais la politique d'accès ni un écran ;
les alertes, modèle de lecture au-dessus des applications, n'importent ni écran ni flux ; les
écrans du suivi sont dans workflows/suivi/, plus dans le domaine."""

import ast
from pathlib import Path

from django.conf import settings

RACINE = Path(settings.BASE_DIR)
ACCOMPAGNEMENT = RACINE / "parcours" / "accompagnement"
MODELES_DU_SUIVI = ("etapes", "entretiens", "suspensions", "portefeuilles")
EN_DESSOUS_DU_SUIVI = (
    "parcours.tracabilite",
    "parcours.core",
    "parcours.referentiel",
    "parcours.participants",
    "parcours.fse",  # opérations FSE+ : une étape nomme son action financée (docs/fse.md)
    "parcours.accompagnement",
)
ECRANS = ("workflows", "config", "demo", "viewflow", "django.views", "django.forms", "django.urls")


def _imports(chemin: Path) -> set[str]:
    """Les modules importés, à tout niveau du fichier (y compris dans une fonction)."""
    noms = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            noms.update(a.name for a in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module)
    return noms


def _sous(nom: str, prefixes) -> bool:
    return any(nom == p or nom.startswith(p + ".") for p in prefixes)


def _fautes(chemins, permis):
    return [
        f"{chemin.relative_to(RACINE)} importe {nom}"
        for chemin in chemins
        for nom in sorted(_imports(chemin))
        if (nom.startswith("parcours.") and not _sous(nom, permis)) or _sous(nom, ECRANS)
    ]


def test_le_suivi_n_importe_que_les_applications_en_dessous():
    chemins = sorted((ACCOMPAGNEMENT / "suivi").glob("*.py")) + [
        ACCOMPAGNEMENT / "models" / f"{nom}.py" for nom in MODELES_DU_SUIVI
    ]
    assert len(chemins) > len(MODELES_DU_SUIVI)
    assert _fautes(chemins, EN_DESSOUS_DU_SUIVI) == []


def test_les_alertes_lisent_le_domaine_sans_ecran_ni_politique_d_acces():
    chemins = sorted((RACINE / "parcours" / "dossier" / "alertes").glob("*.py"))
    assert chemins
    domaine = (*EN_DESSOUS_DU_SUIVI, "parcours.commissions", "parcours.emploi", "parcours.dossier")
    assert _fautes(chemins, domaine) == []


def test_les_ecrans_du_suivi_ne_sont_plus_dans_le_domaine():
    restes = [
        nom
        for nom in ("views_suivi.py", "forms_suivi.py", "alertes.py", "suivi.py")
        if (ACCOMPAGNEMENT / nom).exists()
    ]
    assert restes == []
    assert (RACINE / "workflows" / "suivi" / "application.py").exists()
