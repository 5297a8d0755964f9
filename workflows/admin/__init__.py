"""L'admin Django de l'instance (réservé à ses superutilisateurs : config/administration.py).

Un module par application du domaine ; c'est un écran, il vit donc dans `workflows/` : le domaine
n'en sait rien. Les listes restent limitées par la politique d'accès et en lecture seule là où
l'état ne change que par les services du domaine."""

from workflows.admin import (  # noqa: F401 — l'enregistrement se fait à l'import
    accompagnement,
    clauses,
    core,
    emploi,
    entreprises,
    participants,
    referentiel,
)
