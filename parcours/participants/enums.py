from django.db import models


class Sexe(models.TextChoices):
    FEMME = "F", "Femme"
    HOMME = "H", "Homme"


class StatutSocial(models.TextChoices):
    """Situations administratives déclarées à la prescription (codes du format d'éligibilité)."""

    RSA = "rsa", "Allocataire du RSA (socle)"
    RSA_MAJORE = "rsa_majore", "Allocataire du RSA majoré"
    ASS = "ass", "Allocataire de l'ASS"
    AAH = "aah", "Allocataire de l'AAH"
    QPV = "qpv", "Résident d'un quartier prioritaire (QPV)"
    RQTH = "rqth", "Reconnaissance de la qualité de travailleur handicapé (RQTH)"
    PPSMJ = "ppsmj", "Personne placée sous main de justice (PPSMJ)"
    REFUGIE = "refugie", "Réfugié ou bénéficiaire de la protection internationale"
    PARENT_ISOLE = "parent_isole", "Parent isolé"


class Frein(models.TextChoices):
    MOBILITE = "mobilite", "Mobilité"
    LOGEMENT = "logement", "Logement"
    SANTE = "sante", "Santé"
    GARDE_ENFANTS = "garde_enfants", "Garde d'enfants"
    SITUATION_FAMILIALE = "situation_familiale", "Situation familiale"
    JUSTICE = "justice", "Justice"
    COMPETENCES_BASE = "competences_base", "Compétences de base (lire, écrire, compter)"
    QUALIFICATION_INADAPTEE = "qualification_inadaptee", "Qualification inadaptée"
    EXPERIENCE = "experience", "Manque d'expérience professionnelle"


class NiveauQualification(models.IntegerChoices):
    """Nomenclature nationale des niveaux de diplôme (2019)."""

    SANS = 1, "Niveau 1-2 : sans diplôme / maîtrise des savoirs de base"
    CAP_BEP = 3, "Niveau 3 : CAP, BEP"
    BAC = 4, "Niveau 4 : baccalauréat"
    BAC_2 = 5, "Niveau 5 : bac + 2 (BTS, DUT)"
    BAC_3 = 6, "Niveau 6 : bac + 3 (licence, BUT)"
    BAC_5 = 7, "Niveau 7 : bac + 5 (master)"
    DOCTORAT = 8, "Niveau 8 : doctorat"
