"""L'API des partenaires (docs/api.md) : Django REST framework sous /api/v1/, schéma OpenAPI 3.

Les vues appellent les services du domaine et lisent leurs objets par la politique d'accès,
comme les écrans ; une clé d'API agit par le compte technique de sa structure
(`parcours/core/cles.py`). Modules : `authentification` (clé, session), `droits` (droits de la
clé), `debit` (limite par clé), `pagination`, `erreurs` (corps d'erreur en français nommant le
champ), `base` (paramètres stricts, synchronisation, idempotence, journal des écritures), puis
un module par ressource.
"""
