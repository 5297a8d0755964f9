from django.db import models


class TrancheEffectif(models.TextChoices):
    """Tranches d'effectif salarié ; « 1 à 9 » est le seuil des TPE."""

    AUCUN = "0", "0 salarié"
    TPE = "1_9", "1 à 9 salariés (TPE)"
    PETITE = "10_49", "10 à 49 salariés"
    MOYENNE = "50_249", "50 à 249 salariés"
    GRANDE = "250_plus", "250 salariés et plus"


class CanalContactEntreprise(models.TextChoices):
    VISITE = "visite", "Visite ou rencontre dans l'entreprise"
    RENDEZ_VOUS = "rendez_vous", "Rendez-vous dans nos locaux"
    TELEPHONE = "telephone", "Téléphone"
    VISIO = "visio", "Visioconférence"
    COURRIEL = "courriel", "Courriel"
    COURRIER = "courrier", "Courrier"
    EVENEMENT = "evenement", "Lors d'un événement (forum, job dating…)"


class StatutOffre(models.TextChoices):
    COLLECTEE = "collectee", "Collectée"
    QUALIFIEE = "qualifiee", "Qualifiée"
    DIFFUSEE = "diffusee", "Diffusée"
    POURVUE = "pourvue", "Pourvue"
    CLOTUREE = "cloturee", "Clôturée"


# Une offre ouverte peut recevoir des candidats (mises en relation).
STATUTS_OFFRE_OUVERTE = (StatutOffre.QUALIFIEE, StatutOffre.DIFFUSEE)
STATUTS_OFFRE_CLOSE = (StatutOffre.POURVUE, StatutOffre.CLOTUREE)


class CanalDiffusion(models.TextChoices):
    APPLICATION = "application", "Dans l'application (boîte du référent)"
    COURRIEL = "courriel", "Par courriel"
    REUNION = "reunion", "En réunion d'équipe"
    TELEPHONE = "telephone", "Par téléphone"


class StatutMiseEnRelation(models.TextChoices):
    PROPOSEE = "proposee", "Candidature proposée"
    ENTRETIEN = "entretien", "Entretien prévu"
    RETENUE = "retenue", "Retenue"
    NON_RETENUE = "non_retenue", "Non retenue"
    EMBAUCHE = "embauche", "Embauche"


# En attente de la réponse de l'entreprise : le ou la CRE relance.
STATUTS_MER_EN_ATTENTE = (StatutMiseEnRelation.PROPOSEE, StatutMiseEnRelation.ENTRETIEN)


class TypeEvenement(models.TextChoices):
    JOB_DATING = "job_dating", "Job dating"
    FORUM = "forum", "Forum emploi"
    VISITE = "visite", "Visite d'entreprise"
    INFORMATION = "information", "Réunion d'information collective"
