"""Reprise de l'historique d'un PLIE depuis un autre outil (docs/reprise.md) : fichiers neutres
(CSV « ; » ou XLSX) par entité, fichier de correspondance YAML, tout ou rien, rapport."""
