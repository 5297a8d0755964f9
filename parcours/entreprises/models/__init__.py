"""Relations entreprises (CRE) : le réseau d'entreprises d'un PLIE et leurs contacts
(`entreprise`), leurs offres et leur diffusion (`offre`), les mises en relation
(`mise_en_relation`), les événements emploi (`evenement`). Importer depuis
`parcours.entreprises.models`."""

from parcours.entreprises.models.entreprise import (
    ContactEntreprise,
    Entreprise,
    EntrepriseQuerySet,
)
from parcours.entreprises.models.evenement import Evenement, PresenceEvenement, chemin_emargement
from parcours.entreprises.models.mise_en_relation import MiseEnRelation, TransitionMiseEnRelation
from parcours.entreprises.models.offre import (
    DiffusionOffre,
    OffreEmploi,
    TransitionOffre,
    offre_complete,
)

__all__ = [
    "ContactEntreprise",
    "DiffusionOffre",
    "Entreprise",
    "EntrepriseQuerySet",
    "Evenement",
    "MiseEnRelation",
    "OffreEmploi",
    "PresenceEvenement",
    "TransitionMiseEnRelation",
    "TransitionOffre",
    "chemin_emargement",
    "offre_complete",
]
