from django.db import models


class TypeTrace(models.TextChoices):
    CONNEXION = "connexion", "Connexion"
    ECHEC_CONNEXION = "echec_connexion", "Échec de connexion"
    VERROUILLAGE = "verrouillage", "Compte verrouillé (trop d'échecs)"
    DECONNEXION = "deconnexion", "Déconnexion"
    REFUS = "refus", "Accès refusé"
    CONSULTATION = "consultation", "Consultation d'un dossier"
    TELECHARGEMENT = "telechargement", "Téléchargement d'un document"
    EXPORT = "export", "Export d'une liste"
    DROIT_ACCES = "droit_acces", "Export au titre du droit d'accès"
    ANONYMISATION = "anonymisation", "Anonymisation ou suppression (conservation)"
    ADMINISTRATION = "administration", "Administration du PLIE"
    CONTROLE = "controle", "Contrôle de service fait (tirage, ouverture, téléchargement)"
