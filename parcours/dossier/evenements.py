"""Le vocabulaire de la frise d'un dossier (docs/dossier.md) : ses rubriques, ses lignes
(`Evenement`) et les tâches viewflow que l'écran lui fournit (`TacheDossier`) — le domaine ne
connaît pas les flux."""

import datetime
from dataclasses import dataclass

from django.db import models

# Transitions dont le motif concerne l'entrée (recevabilité, commission) : le prescripteur le lit.
TRANSITIONS_ENTREE = frozenset(
    {
        "demander_complements",
        "completer",
        "declarer_recevable",
        "declarer_irrecevable",
        "annuler",
        "inscrire_en_commission",
        "admettre",
        "ajourner",
        "refuser",
    }
)
EVENEMENTS_PAR_PAGE = 50


class Rubrique(models.TextChoices):
    PRESCRIPTION = "prescription", "Prescription"
    ETAT = "etat", "Changement d'état"
    COMMISSION = "commission", "Commission"
    ENGAGEMENT = "engagement", "Engagement"
    ETAPE = "etape", "Étape"
    ENTRETIEN = "entretien", "Entretien"
    SUSPENSION = "suspension", "Suspension"
    REFERENT = "referent", "Référent"
    EMPLOI = "emploi", "Emploi"
    SORTIE = "sortie", "Sortie"
    DOCUMENT = "document", "Document"
    COURRIEL = "courriel", "Courriel"
    TACHE = "tache", "Tâche"


# Rubriques que voit celui qui ne suit pas le parcours (le prescripteur) : l'entrée et son issue.
RUBRIQUES_ENTREE = (Rubrique.PRESCRIPTION, Rubrique.ETAT, Rubrique.COMMISSION)


@dataclass(frozen=True)
class Evenement:
    """Une ligne de la frise. `jour_seul` : l'heure n'est pas connue (étape, contrat…)."""

    le: datetime.datetime
    rubrique: str
    titre: str
    detail: str = ""
    par: str = ""
    de: str = ""
    vers: str = ""
    lien: str = ""
    lien_libelle: str = ""
    jour_seul: bool = False

    @property
    def rubrique_libelle(self) -> str:
        return Rubrique(self.rubrique).label


@dataclass(frozen=True)
class TacheDossier:
    """Une tâche viewflow du parcours, telle que le dossier l'affiche (fournie par `workflows`)."""

    titre: str
    ouverte_le: datetime.datetime
    fermee_le: datetime.datetime | None
    ouverte: bool
    etat: str
    responsable: str = ""
    echeance: datetime.datetime | None = None
    url: str = ""
    alerte: str = ""  # code du type d'alerte, pour une tâche d'alerte
    fermeture: str = ""  # pourquoi elle a été fermée (« levée automatiquement : … »)
