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
    ADMIN = "admin", "Administrateur"


class TypeStructure(models.TextChoices):
    PORTEUR = "porteur", "Structure porteuse"
    OPERATEUR = "operateur", "Opérateur"
    PRESCRIPTEUR = "prescripteur", "Prescripteur"
    SIAE = "siae", "SIAE"
    ENTREPRISE = "entreprise", "Entreprise"
    DONNEUR_ORDRE = "donneur_ordre", "Donneur d'ordre"
    FINANCEUR = "financeur", "Financeur"
