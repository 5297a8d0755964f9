"""Les alertes de suivi : les conditions, calculées en SQL sur un ensemble de parcours.

Un modèle de lecture au-dessus des applications du domaine : il lit le suivi (accompagnement),
les données FSE+ d'entrée (engagement) et de sortie (emploi).

Chaque type d'alerte est une requête sur un queryset de parcours (annotations et `Exists`), une
seule quelle que soit sa taille ; les durées viennent du référentiel de chaque PLIE (section
`suivi`). Une alerte tient tant que sa condition tient ; elle porte une `cle` (l'échéance ou le
seuil qui l'a déclenchée) : la même situation garde la même clé, une situation nouvelle (un
nouvel entretien puis un nouveau retard) en change.

Horloges suspendues : pour l'entretien mensuel, l'absence de contact et l'absence d'étape, les
jours de suspension (veille) écoulés depuis la date de référence repoussent l'échéance d'autant,
et aucune de ces alertes ne tient pendant une suspension.

Modules : `definitions` (types, états concernés, `Constat`), `dates` (arithmétique de dates en
SQL, horloges suspendues), `conditions` (une requête par type), `constats` (le calcul pour un
ensemble de parcours ou un dossier), `changements` (les parcours dont une entrée a changé depuis
un instant, pour la vérification incrémentale). Les tâches qui portent ces alertes (ouvertes au
référent, levées d'elles-mêmes quand la condition disparaît) sont dans `workflows/alertes/`.
"""

from parcours.dossier.alertes.changements import parcours_modifies_depuis
from parcours.dossier.alertes.conditions import CONDITIONS, questionnaire_incomplet
from parcours.dossier.alertes.constats import constats, constats_du_parcours, delais_des_plies
from parcours.dossier.alertes.dates import jours_suspendus
from parcours.dossier.alertes.definitions import (
    DELAI_REVUE_PARCOURS,
    STATUTS_ALERTE,
    Constat,
    TypeAlerte,
)

__all__ = [
    "CONDITIONS",
    "DELAI_REVUE_PARCOURS",
    "STATUTS_ALERTE",
    "Constat",
    "TypeAlerte",
    "constats",
    "constats_du_parcours",
    "delais_des_plies",
    "jours_suspendus",
    "parcours_modifies_depuis",
    "questionnaire_incomplet",
]
