"""Le moteur PostgreSQL de Django pour les tests : la remise à zéro des tests transactionnels
(parcours navigateur, concurrence) vide les tables par `DELETE` au lieu de `TRUNCATE`.

`TRUNCATE` de ~200 tables recrée leurs fichiers et ceux de leurs index : ~2 s par test sur ces
machines, contre ~0,05 s pour des `DELETE` de tables presque vides (mesuré sur la démo). Les
contraintes et déclencheurs sont suspendus pendant la remise à zéro (`session_replication_role`,
réservé au superutilisateur : la base embarquée et le service local de CI le sont) ; sans ce
droit, `TRUNCATE` comme d'habitude. Seulement dans `config/settings_test.py`."""

from django.db.backends.postgresql import base
from django.db.backends.postgresql.creation import DatabaseCreation as CreationPostgres
from django.db.backends.postgresql.operations import DatabaseOperations as OperationsPostgres


class DatabaseOperations(OperationsPostgres):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not self.connection.superutilisateur():
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Noms de tables venus des modèles (introspection de Django), cités.
        return ["SET LOCAL session_replication_role = replica"] + [
            f"DELETE FROM {self.quote_name(table)}"  # noqa: S608
            for table in tables
        ]


class DatabaseCreation(CreationPostgres):
    def _destroy_test_db(self, test_database_name, verbosity):
        # Une connexion restée ouverte (fil d'un test de concurrence, serveur lancé par un test)
        # ne doit pas faire échouer la fin d'une suite verte : la base de test est jetée de force
        # (PostgreSQL 13 et plus ; ses connexions sont coupées).
        with self._nodb_cursor() as cursor:
            nom = self.connection.ops.quote_name(test_database_name)
            cursor.execute(f"DROP DATABASE {nom} WITH (FORCE)")


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation
    _superutilisateur = None

    def superutilisateur(self) -> bool:
        if self._superutilisateur is None:
            with self.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                ligne = cursor.fetchone()
            self._superutilisateur = bool(ligne and ligne[0])
        return self._superutilisateur
