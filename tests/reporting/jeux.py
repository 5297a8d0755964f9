"""Outils des jeux construits à la main pour les indicateurs : de vrais parcours (parcours_en),
puis leurs dates posées par une mise à jour (les transitions datent du jour)."""

import datetime

from parcours.accompagnement.models import Parcours
from parcours.reporting.indicateurs import Filtres, calculer
from parcours.reporting.periode import periode


def poser(parcours, **champs):
    """Pose des champs (dates, statut, type de sortie) sans passer par les transitions."""
    Parcours.objects.filter(pk=parcours.pk).update(**champs)


def filtres(*plies, du="2026-01-01", au="2026-12-31", **criteres):
    return Filtres(plies=frozenset(p.pk for p in plies), periode=periode(du, au), **criteres)


def lignes(code, f):
    return calculer(code, f).lignes


def par_libelle(code, f):
    return {ligne[0]: ligne[1:] for ligne in lignes(code, f)}


def jour(texte):
    return datetime.date.fromisoformat(texte)
