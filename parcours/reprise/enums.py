from django.db import models


class Entite(models.TextChoices):
    PARTICIPANT = "participant", "Participants"
    PARCOURS = "parcours", "Parcours"
    # Clauses sociales (ABC Clause), rangées par `ProvenanceClause`.
    DONNEUR_ORDRE = "donneur_ordre", "Donneurs d'ordre"
    OPERATION = "operation", "Opérations"
    MARCHE = "marche", "Marchés"
    BESOIN = "besoin", "Besoins (lots et postes)"
    CANDIDAT_EXTERNE = "candidat_externe", "Candidats externes"
    POSITIONNEMENT = "positionnement", "Positionnements et embauches"
    HEURES = "heures", "Heures mensuelles"
