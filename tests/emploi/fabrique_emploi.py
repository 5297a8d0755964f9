"""Aides des tests de l'emploi et de la sortie : référentiel avec règles de sortie, contrats."""

import datetime

from django.utils import timezone

from parcours.core.enums import Role
from parcours.referentiel.models import Referentiel

# Deux règles simples, au format de la section `sortie` (docs/sortie.md) : un CDI (ou un CDD)
# tenu 6 mois chez le même employeur ; 900 h d'intérim dans la même agence sur 9 mois.
SORTIE = {
    "regles": [
        {
            "code": "cdi-cdd-6-mois",
            "libelle": "CDI ou CDD, 6 mois chez le même employeur",
            "categorie": "emploi_durable",
            "types": ["cdi", "cdd"],
            "meme_employeur": True,
            "duree_min_mois": 6,
        },
        {
            "code": "interim-900h",
            "libelle": "900 h d'intérim dans la même agence sur 9 mois",
            "categorie": "emploi_durable",
            "types": ["interim"],
            "meme_employeur": True,
            "heures_min": 900,
            "fenetre_mois": 9,
        },
    ]
}


def contenu(plie, **sections):
    return {
        "format": 1,
        "plie": {"code": plie.code, "nom": plie.nom},
        "version": {"date_effet": "2020-01-01"},
        "territoires": [],
        "commissions": {
            "entree": {"nom": "commission d'entrée", "cadence_par_an": 10},
            "sortie": {"nom": "commission de sortie", "cadence_par_an": 10},
        },
        "portefeuille": {"plafond_par_referent": 80},
        "sortie": SORTIE,
        **sections,
    }


def referentiel(plie, **sections):
    return Referentiel.objects.update_or_create(
        plie=plie,
        date_effet=datetime.date(2020, 1, 1),
        defaults={"contenu": contenu(plie, **sections)},
    )[0]


def il_y_a(**kwargs):
    from dateutil.relativedelta import relativedelta

    return timezone.localdate() - relativedelta(**kwargs)


def cdi(employeur="Boulangerie Martin", debut=None, **autres):
    return {
        "type": "cdi",
        "employeur": employeur,
        "debut": debut or timezone.localdate(),
        "heures_hebdo": "35",
        "periode_essai_jours": 60,
        **autres,
    }


def acteurs_emploi(monde, plie=1):
    return {
        "referent": monde.user(Role.REFERENT, "a", plie),
        "animateur": monde.user(Role.ANIMATEUR, "a", plie),
        "cre": monde.user(Role.CRE, "a", plie),
    }
