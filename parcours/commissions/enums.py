from django.db import models

from parcours.accompagnement.enums import Statut


class TypeCommission(models.TextChoices):
    ENTREE = "entree", "Commission d'entrée"
    SORTIE = "sortie", "Commission de sortie"
    MIXTE = "mixte", "Commission d'entrée et de sortie"


class ObjetDossier(models.TextChoices):
    """Ce qu'une session examine dans un dossier : son entrée ou sa sortie."""

    ENTREE = "entree", "Entrée"
    SORTIE = "sortie", "Sortie"


class StatutSession(models.TextChoices):
    """La vie d'une séance (docs/commissions.md) : planifiée → ordre du jour envoyé → en cours (la
    première décision) → tenue (tout l'ordre du jour décidé) → clôturée (présents, PV)."""

    PLANIFIEE = "planifiee", "Planifiée"
    ORDRE_DU_JOUR_ENVOYE = "ordre_du_jour_envoye", "Ordre du jour envoyé"
    EN_COURS = "en_cours", "En cours (décisions)"
    TENUE = "tenue", "Tenue (à clôturer)"
    CLOTUREE = "cloturee", "Clôturée"
    # Annulée ou non tenue (la date est passée sans séance) : ses dossiers non décidés
    # repartent à placer (docs/commissions.md « Annuler une séance »).
    ANNULEE = "annulee", "Annulée"


class TypeDecision(models.TextChoices):
    ADMIS = "admis", "Admis"
    AJOURNE = "ajourne", "Ajourné"
    REFUSE = "refuse", "Refusé"
    SORTIE_VALIDEE = "sortie_validee", "Sortie validée"
    SORTIE_REFUSEE = "sortie_refusee", "Sortie refusée"


# Une session ouverte : ses membres voient et décident les dossiers de son ordre du jour.
STATUTS_SESSION_OUVERTE = (
    StatutSession.PLANIFIEE,
    StatutSession.ORDRE_DU_JOUR_ENVOYE,
    StatutSession.EN_COURS,
    StatutSession.TENUE,
)
# On peut encore y inscrire un dossier (l'ordre du jour n'est pas figé par la séance).
STATUTS_SESSION_INSCRIPTIBLE = (StatutSession.PLANIFIEE, StatutSession.ORDRE_DU_JOUR_ENVOYE)
# On peut l'annuler : aucune décision n'y a encore été prise.
STATUTS_SESSION_ANNULABLE = STATUTS_SESSION_INSCRIPTIBLE
# On peut y décider (la première décision ouvre la séance).
STATUTS_SESSION_DECISION = (*STATUTS_SESSION_INSCRIPTIBLE, StatutSession.EN_COURS)
# On peut en retirer un dossier non décidé.
STATUTS_SESSION_RETRAIT = STATUTS_SESSION_DECISION

DECISIONS_ENTREE = (TypeDecision.ADMIS, TypeDecision.AJOURNE, TypeDecision.REFUSE)
DECISIONS_SORTIE = (TypeDecision.SORTIE_VALIDEE, TypeDecision.SORTIE_REFUSEE)
DECISIONS_MOTIVEES = (TypeDecision.AJOURNE, TypeDecision.REFUSE, TypeDecision.SORTIE_REFUSEE)

# La transition du parcours que chaque décision déclenche.
TRANSITION_DE_DECISION = {
    TypeDecision.ADMIS: "admettre",
    TypeDecision.AJOURNE: "ajourner",
    TypeDecision.REFUSE: "refuser",
    TypeDecision.SORTIE_VALIDEE: "valider_sortie",
    TypeDecision.SORTIE_REFUSEE: "refuser_sortie",
}

# Les types de session qui examinent les dossiers d'entrée, de sortie.
SESSIONS_ENTREE = (TypeCommission.ENTREE, TypeCommission.MIXTE)
SESSIONS_SORTIE = (TypeCommission.SORTIE, TypeCommission.MIXTE)

# États d'un parcours qui peut figurer à l'ordre du jour : entrée (dont les dossiers ajournés
# reportés, remis en commission à l'envoi de l'ordre du jour) et sortie.
STATUTS_A_DECIDER_ENTREE = (Statut.EN_COMMISSION_ENTREE, Statut.AJOURNE)
STATUTS_A_DECIDER_SORTIE = (Statut.SORTIE_PROPOSEE,)
