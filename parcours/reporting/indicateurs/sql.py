"""Petites expressions SQL partagées par les indicateurs."""

from django.db.models import DateField, Func


class ans_avant(Func):
    """`date - n années`, calculé par PostgreSQL (`date - interval 'n years'`)."""

    output_field = DateField()

    def __init__(self, expression, annees: int):
        super().__init__(expression)
        self.annees = int(annees)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) - interval '{self.annees} years')::date", params
