"""Ce qui peut changer une alerte entre deux passes d'un même jour : les parcours dont une
entrée des conditions (`conditions.py`) a été modifiée depuis un instant.

Entrées lues par les conditions, et leur date de modification (indexée) :
- le parcours (statut, dates, référent ; suspensions et levées passent par ses transitions) ;
- ses entretiens, ses étapes, sa prescription (RQTH), son questionnaire FSE+ d'entrée, ses
  données FSE+ de sortie.
Le reste dépend du jour et des délais du référentiel : la vérification repart d'une passe
complète quand l'un ou l'autre change (workflows/alertes/incremental.py).
"""

from parcours.accompagnement.models import Entretien, Etape, Parcours, Prescription
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE
from parcours.emploi.models import DonneesSortieFSE

SOURCES = (
    (Entretien, "parcours_id"),
    (Etape, "parcours_id"),
    (Prescription, "parcours_id"),
    (QuestionnaireFSE, "parcours_id"),
    (DonneesSortieFSE, "parcours_id"),
)


def parcours_modifies_depuis(depuis) -> set[int]:
    """Les parcours dont une entrée des alertes a changé depuis `depuis` : une requête (une
    union de parcours d'index sur `updated_at`), quelle que soit la taille de la base."""
    requete = Parcours.objects.filter(updated_at__gte=depuis).values_list("pk", flat=True)
    autres = [
        modele.objects.filter(updated_at__gte=depuis).values_list(cle, flat=True)
        for modele, cle in SOURCES
    ]
    return set(requete.union(*autres))
