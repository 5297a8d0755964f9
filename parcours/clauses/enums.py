from django.db import models


class TypeDonneurOrdre(models.TextChoices):
    ETAT = "etat", "État"
    COLLECTIVITE = "collectivite", "Collectivité territoriale"
    BAILLEUR_SOCIAL = "bailleur_social", "Bailleur social"
    EPA = "epa", "Établissement public administratif (EPA)"
    ENTREPRISE_PUBLIQUE = "entreprise_publique", "SNCF, entreprise publique"
    AUTRE = "autre", "Autre"


class ModaliteClause(models.TextChoices):
    """Le moyen juridique de la clause dans le marché (004 : « quatre principales modalités »)."""

    CONDITION_EXECUTION = "condition_execution", "Condition d'exécution"
    CRITERE_ATTRIBUTION = "critere_attribution", "Critère d'attribution"
    MARCHE_RESERVE = "marche_reserve", "Marché réservé (SIAE, EA, ESAT)"
    MARCHE_INSERTION = "marche_insertion", "Marché d'insertion"


class ModaliteExecution(models.TextChoices):
    """Comment l'attributaire réalise les heures : libre choix (000:L568)."""

    EMBAUCHE_DIRECTE = "embauche_directe", "Embauche directe"
    ETTI = "etti", "Mise à disposition par une ETTI (SIAE)"
    AI = "ai", "Mise à disposition par une AI (SIAE)"
    GEIQ = "geiq", "Groupement d'employeurs (GEIQ)"
    INTERIM = "interim", "Entreprise de travail temporaire (intérim)"


class StatutBesoin(models.TextChoices):
    OUVERT = "ouvert", "Ouvert"
    POURVU = "pourvu", "Pourvu"
    CLOS = "clos", "Clos sans suite"


class StatutPositionnement(models.TextChoices):
    PROPOSEE = "proposee", "Candidature proposée"
    ELIGIBILITE_VERIFIEE = "eligibilite_verifiee", "Éligibilité vérifiée"
    NON_ELIGIBLE = "non_eligible", "Non éligible"
    POSITIONNEE = "positionnee", "Positionnée auprès de l'entreprise"
    RETENUE = "retenue", "Retenue par l'entreprise"
    NON_RETENUE = "non_retenue", "Non retenue"
    EMBAUCHEE = "embauchee", "Embauchée"


# Une candidature close ne bouge plus ; les autres sont « en cours » (une seule par besoin et
# par personne).
STATUTS_POSITIONNEMENT_CLOS = (
    StatutPositionnement.NON_ELIGIBLE,
    StatutPositionnement.NON_RETENUE,
    StatutPositionnement.EMBAUCHEE,
)


class SourceHeures(models.TextChoices):
    SAISIE = "saisie", "Saisie à l'écran"
    IMPORT = "import", "Import de fichier"
