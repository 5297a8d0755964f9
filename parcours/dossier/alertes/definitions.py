"""Ce qu'est une alerte de suivi : ses types, les états du parcours où chacun a un sens, le
constat qui dit qu'elle tient (sa clé, son échéance, son explication).
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models

from parcours.accompagnement.enums import (
    STATUTS_FILE_ACTIVE,
    Statut,
)


class TypeAlerte(models.TextChoices):
    ENTRETIEN_MENSUEL = "entretien_mensuel", "Entretien physique mensuel à tenir"
    SANS_CONTACT = "sans_contact", "Sans contact avec la personne"
    SANS_ETAPE = "sans_etape", "Aucune étape depuis plusieurs mois"
    DUREE_PARCOURS = "duree_parcours", "Parcours long (enkystement)"
    RQTH = "rqth", "RQTH arrivant à échéance"
    FSE_ENTREE = "fse_entree", "Données FSE+ d'entrée incomplètes"
    FSE_SORTIE = "fse_sortie", "Données FSE+ de sortie à saisir"


# États où chaque alerte a un sens. Suspendu : les horloges du suivi s'arrêtent ; en emploi :
# l'entretien physique mensuel cède la place au suivi dans l'emploi, le contact reste dû.
STATUTS_ALERTE = {
    TypeAlerte.ENTRETIEN_MENSUEL: (Statut.EN_ACCOMPAGNEMENT,),
    TypeAlerte.SANS_CONTACT: (Statut.EN_ACCOMPAGNEMENT, Statut.EN_EMPLOI),
    TypeAlerte.SANS_ETAPE: (Statut.EN_ACCOMPAGNEMENT,),
    TypeAlerte.DUREE_PARCOURS: (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI),
    TypeAlerte.RQTH: STATUTS_FILE_ACTIVE,
    TypeAlerte.FSE_ENTREE: (
        Statut.EN_ACCOMPAGNEMENT,
        Statut.SUSPENDU,
        Statut.EN_EMPLOI,
        Statut.SORTIE_PROPOSEE,
        Statut.SORTI,
    ),
    TypeAlerte.FSE_SORTIE: (Statut.SORTI,),
}
# Délai laissé pour traiter une alerte de durée de parcours (faire le point, présenter en
# commission de suivi) après que le seuil est franchi.
DELAI_REVUE_PARCOURS = relativedelta(months=1)


@dataclass(frozen=True)
class Constat:
    """Une alerte qui tient pour un parcours : son type, sa clé, son échéance, son explication."""

    parcours_id: int
    type: str
    cle: str
    echeance: datetime.date
    raison: str
    # Ce qu'est la tâche, en une ligne (« Entretien mensuel dû — dernier le 12/10 ») : le titre
    # de la tâche dans les boîtes ; le libellé du type à défaut.
    titre: str = ""

    @property
    def libelle(self) -> str:
        return TypeAlerte(self.type).label

    @property
    def titre_de_tache(self) -> str:
        return self.titre or self.libelle
