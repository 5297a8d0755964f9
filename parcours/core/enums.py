from django.db import models


class Role(models.TextChoices):
    PRESCRIPTEUR = "prescripteur", "Prescripteur"
    ANIMATEUR = "animateur", "Animateur (équipe d'animation)"
    REFERENT = "referent", "Référent de parcours"
    REFERENT_ETAPE = "referent_etape", "Référent d'étape"
    CRE = "cre", "Chargé·e de relations entreprises"
    FACILITATEUR = "facilitateur", "Facilitateur clauses sociales"
    COMMISSION = "commission", "Membre de commission"
    DIRECTION = "direction", "Direction du PLIE"
    FINANCEUR = "financeur", "Financeur (lecture)"
    DONNEUR_ORDRE = "donneur_ordre", "Donneur d'ordre (lecture)"
    CONTROLEUR = "controleur", "Contrôleur (contrôle de service fait, lecture)"
    ADMIN = "admin", "Administrateur"


class TypeStructure(models.TextChoices):
    PORTEUR = "porteur", "Structure porteuse"
    OPERATEUR = "operateur", "Opérateur"
    PRESCRIPTEUR = "prescripteur", "Prescripteur"
    SIAE = "siae", "SIAE"
    ENTREPRISE = "entreprise", "Entreprise"
    DONNEUR_ORDRE = "donneur_ordre", "Donneur d'ordre"
    FINANCEUR = "financeur", "Financeur"


class DroitCle(models.TextChoices):
    """Ce qu'une clé d'API peut faire, en plus du rôle de sa structure (docs/api.md)."""

    PRESCRIPTIONS_LIRE = "prescriptions_lire", "Lire ses prescriptions (statut, décision)"
    PRESCRIPTIONS_ECRIRE = "prescriptions_ecrire", "Envoyer des prescriptions"
    PARCOURS_LIRE = "parcours_lire", "Lire participants, parcours, étapes, entretiens, contrats"
    CONTRATS_ECRIRE = "contrats_ecrire", "Enregistrer des contrats"
    HEURES_ECRIRE = "heures_ecrire", "Envoyer les heures d'insertion mensuelles"
    BESOINS_LIRE = "besoins_lire", "Lire les besoins des clauses"
    OFFRES_LIRE = "offres_lire", "Lire les offres d'emploi diffusées"
