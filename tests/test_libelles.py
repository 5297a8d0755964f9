"""Les libellés des champs de formulaire sont écrits en français correct : un champ de modèle sans
`verbose_name` prend le nom de sa colonne (« Marche * », « Operation * ») ; les accents manquants
sont cherchés dans chaque formulaire des écrans (workflows/)."""

import importlib
import inspect
import pkgutil
import re

from django import forms

import workflows

# Noms de colonnes du domaine (sans accents) et leur écriture française.
SANS_ACCENT = {
    "marche": "marché",
    "operation": "opération",
    "numero": "numéro",
    "intitule": "intitulé",
    "etape": "étape",
    "referent": "référent",
    "echeance": "échéance",
    "entree": "entrée",
    "periode": "période",
    "prevues": "prévues",
    "realisees": "réalisées",
    "debut": "début",
    "duree": "durée",
    "categorie": "catégorie",
    "evenement": "événement",
    "decision": "décision",
    "delegation": "délégation",
    "telephone": "téléphone",
    "seance": "séance",
    "eligibilite": "éligibilité",
    "qualite": "qualité",
    "donnees": "données",
}


def formulaires():
    for module in pkgutil.walk_packages(workflows.__path__, "workflows."):
        if not re.search(r"\.forms(\.|$)", module.name):
            continue
        mod = importlib.import_module(module.name)
        for _, classe in inspect.getmembers(mod, inspect.isclass):
            if issubclass(classe, forms.BaseForm) and classe.__module__ == mod.__name__:
                yield classe


def test_des_formulaires_sont_trouves():
    noms = {f.__name__ for f in formulaires()}
    assert len(noms) > 20
    assert "BesoinForm" in noms or any("Besoin" in n for n in noms)


def test_aucun_libelle_sans_ses_accents():
    fautes = []
    for classe in formulaires():
        for nom, champ in classe.base_fields.items():
            libelle = str(champ.label if champ.label is not None else nom.replace("_", " "))
            mots = re.findall(r"\w+", libelle.lower())
            manquants = [m for m in mots if m in SANS_ACCENT]
            if manquants:
                fautes.append(f"{classe.__module__}.{classe.__name__}.{nom} : « {libelle} »")
    assert not fautes, fautes
