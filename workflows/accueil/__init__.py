"""L'accueil : une page par rôle, ce que l'utilisateur a à faire puis ce qu'il pilote."""
