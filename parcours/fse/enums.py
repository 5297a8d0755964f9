from django.db import models


class TypeOperation(models.TextChoices):
    """Les opérations d'un PLIE : l'accompagnement des référents, les actions financées (étapes
    de parcours : mises en situation, renforcement de l'employabilité…), l'animation."""

    ACCOMPAGNEMENT = "accompagnement", "Accompagnement"
    ACTION = "action", "Action financée"
    ANIMATION = "animation", "Animation, coordination"


class DiplomeDgefp(models.TextChoices):
    """Question 2 du questionnaire DGEFP (seed 001:L8133-8143) : le plus haut diplôme atteint."""

    INFERIEUR_PRIMAIRE = "2a", "Inférieur à l'école primaire, jamais scolarisé"
    PRIMAIRE_COLLEGE = "2b", "Primaire, collège (6e à 3e), brevet des collèges"
    SECONDAIRE = "2c", "Baccalauréat, CAP, BEP, seconde professionnelle, post-secondaire"
    SUPERIEUR = "2d", "Enseignement supérieur (BTS, DUT, licence, master, doctorat…)"


class MotifFinParticipation(models.TextChoices):
    SORTIE = "sortie", "Sortie du PLIE"
    CHANGEMENT_STRUCTURE = "changement_structure", "Changement de structure du référent"
    FIN_OPERATION = "fin_operation", "Fin de l'opération"
    FIN_ACTION = "fin_action", "Fin des étapes de l'action"
