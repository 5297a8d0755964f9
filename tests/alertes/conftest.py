import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien, Etape, Parcours
from parcours.accompagnement.suivi import delais_de_suivi
from parcours.dossier.alertes import constats
from parcours.referentiel.models import Referentiel
from tests.factories import parcours_en

# Une date d'entrée passée : les services refusent les dates futures, les `aujourdhui` explicites
# des tests restent donc dans le passé réel.
ENTREE = datetime.date(2025, 1, 15)

# Deux référentiels : les valeurs par défaut, et un PLIE aux délais tous différents.
REFERENTIELS = {
    "defauts": None,
    "personnalise": {
        "entretien_physique_mois": 2,
        "sans_contact_mois": 3,
        "sans_etape_mois": 4,
        "alertes_duree_parcours_mois": [6, 18],
        "suspension_mois": 2,
        "rqth_echeance_jours": 30,
        "fse_sortie_semaines": 6,
    },
}


@pytest.fixture(params=list(REFERENTIELS))
def delais(request, monde):
    """Les délais de suivi du PLIE 1, pour chacun des deux référentiels."""
    suivi = REFERENTIELS[request.param]
    if suivi is not None:
        Referentiel.objects.create(
            plie=monde.plie1, date_effet=datetime.date(2020, 1, 1), contenu={"suivi": suivi}
        )
    return delais_de_suivi(monde.plie1)


def accompagne(monde, statut=Statut.EN_ACCOMPAGNEMENT, entree=ENTREE, **kwargs):
    """Un parcours amené à `statut` par les vraies transitions, entré le `entree`."""
    parcours = parcours_en(monde, statut, **kwargs)
    Parcours.objects.filter(pk=parcours.pk).update(date_entree=entree)
    parcours.refresh_from_db()
    return parcours


def moment(jour, heure=10):
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


def entretien(parcours, jour, canal="physique_individuel", presence="present"):
    return Entretien.objects.create(
        parcours=parcours,
        date=moment(jour),
        canal=canal,
        presence=presence,
        auteur=parcours.referent,
        motif_absence="" if presence == "present" else "Non excusé",
    )


def etape(parcours, debut, fin=None, statut="en_cours", **kwargs):
    kwargs.setdefault("type_code", "atelier")
    kwargs.setdefault("type_libelle", "Atelier collectif")
    kwargs.setdefault("categorie", "Orientation, mobilisation")
    return Etape.objects.create(
        parcours=parcours,
        date_debut=debut,
        date_fin=fin,
        statut=statut,
        created_by=parcours.referent,
        **kwargs,
    )


def tenues(parcours, jour, type_alerte=None):
    """Les constats (type → constat) du parcours au jour `jour`."""
    qs = Parcours.objects.filter(pk=parcours.pk)
    resultat = {c.type: c for c in constats(qs, jour)}
    return resultat if type_alerte is None else resultat.get(type_alerte)
