"""Les sondes du répartiteur de charge et de l'orchestrateur (docs/deploiement.md).

- `/sante/` : le processus répond (vivant), sans toucher à la base ;
- `/pret/` : la base répond, toutes les migrations sont appliquées et le cache partagé est
  joignable ;
  sinon 503 avec la raison.

Premier middleware : une sonde appelle souvent le nœud par son adresse IP et en HTTP, elle ne
passe donc ni par la vérification de l'hôte, ni par la redirection HTTPS, ni par la session, la
CSP ou le journal des accès ; la réponse n'est pas écrite au journal d'erreurs de Django.
"""

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

SANTE = "/sante/"
PRET = "/pret/"
SONDES = (SANTE, PRET)


def reponse(statut: int, texte: str) -> HttpResponse:
    resultat = HttpResponse(texte + "\n", status=statut, content_type="text/plain; charset=utf-8")
    resultat["Cache-Control"] = "no-store"
    resultat["X-Content-Type-Options"] = "nosniff"
    # Une base indisponible ne remplit pas le journal d'une erreur par sonde (toutes les secondes).
    resultat._has_been_logged = True
    return resultat


def migrations_en_attente(connection) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class SondesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Une fois toutes les migrations vues appliquées, ce processus (ce code) le reste : le
        # graphe des migrations n'est plus relu à chaque sonde.
        self.migrations_a_jour = False

    def __call__(self, request):
        if request.path_info == SANTE:
            return reponse(200, "vivant")
        if request.path_info == PRET:
            return self.pret()
        return self.get_response(request)

    def pret(self) -> HttpResponse:
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            if not self.migrations_a_jour:
                en_attente = migrations_en_attente(connection)
                if en_attente:
                    return reponse(503, f"{en_attente} migration(s) à appliquer")
                self.migrations_a_jour = True
            caches["partage"].get("plie:pret")
        except Exception as exc:  # la raison part dans la réponse, pas dans une page d'erreur
            return reponse(503, f"indisponible : {type(exc).__name__}")
        return reponse(200, "pret")
