"""Les alertes de suivi comme tâches : « Traiter l'alerte » dans la boîte du référent.

- `flows` : le flux `AlerteFlow` et sa tâche ;
- `verification` : `verifier_alertes` (commande du même nom, lancée périodiquement), qui ouvre les
  alertes dont la condition du domaine (`parcours.dossier.alertes`) tient et lève les autres ;
- `lecture` : les tâches d'un parcours vues depuis son dossier, le compte des alertes de l'accueil ;
- `application` : les URL du flux.

Les noms utilisés par les autres écrans sont réexportés ici.
"""

from workflows.alertes.flows import AlerteFlow
from workflows.alertes.lecture import compter_alertes, dossier_du_processus, taches_du_parcours
from workflows.alertes.verification import processus_d_alerte, verifier_alertes

__all__ = [
    "AlerteFlow",
    "compter_alertes",
    "dossier_du_processus",
    "processus_d_alerte",
    "taches_du_parcours",
    "verifier_alertes",
]
