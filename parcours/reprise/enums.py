from django.db import models


class Entite(models.TextChoices):
    PARTICIPANT = "participant", "Participants"
    PARCOURS = "parcours", "Parcours"
    STRUCTURE = "structure", "Structures"
    UTILISATEUR = "utilisateur", "Utilisateurs"
    PRESCRIPTION = "prescription", "Prescriptions et décisions"
    DECISION_SORTIE = "decision_sortie", "Décisions de sortie"
    ETAPE = "etape", "Étapes"
    ENTRETIEN = "entretien", "Entretiens et contacts"
    CONTRAT = "contrat", "Contrats"
    PARTICIPATION_FSE = "participation_fse", "Participations FSE+"
    REPONSE_FSE = "reponse_fse", "Réponses FSE+"
    SUSPENSION = "suspension", "Suspensions"

    # Clauses sociales (ABC Clause), rangées par `ProvenanceClause`.
    DONNEUR_ORDRE = "donneur_ordre", "Donneurs d'ordre"
    OPERATION = "operation", "Opérations"
    MARCHE = "marche", "Marchés"
    BESOIN = "besoin", "Besoins (lots et postes)"
    CANDIDAT_EXTERNE = "candidat_externe", "Candidats externes"
    POSITIONNEMENT = "positionnement", "Positionnements et embauches"
    HEURES = "heures", "Heures mensuelles"


# Entités rangées par `Provenance.objet_id` (les premières ont leur propre clé étrangère).
ENTITES_OBJET = (
    Entite.STRUCTURE,
    Entite.UTILISATEUR,
    Entite.PRESCRIPTION,
    Entite.DECISION_SORTIE,
    Entite.ETAPE,
    Entite.ENTRETIEN,
    Entite.CONTRAT,
    Entite.PARTICIPATION_FSE,
    Entite.REPONSE_FSE,
    Entite.SUSPENSION,
)
