"""Le suivi d'un parcours, côté écrans et tâches.

- `views/` : les écrans du suivi d'un parcours (étapes, entretiens, suspension, référent) et des
  portefeuilles (changement de référent en masse, intérims) ;
- `forms` : leurs formulaires et ceux des tâches ;
- `flows` : les flux `SuiviAbsenceFlow` (relances après une absence injustifiée) et
  `SuspensionFlow` (échéance d'une suspension), et les récepteurs des signaux du suivi ;
- `taches` : les écrans de leurs tâches ;
- `application` : `SuiviApplication` (URL `suivi:…`) et les URL des deux flux.

Les services du domaine sont dans `parcours/accompagnement/suivi/`. Les noms utilisés par les
autres écrans sont réexportés ici (importer ce paquet branche aussi les récepteurs des signaux).
"""

from workflows.suivi.flows import MESSAGES_RELANCE, SuiviAbsenceFlow, SuspensionFlow

__all__ = ["MESSAGES_RELANCE", "SuiviAbsenceFlow", "SuspensionFlow"]
