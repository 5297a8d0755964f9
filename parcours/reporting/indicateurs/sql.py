"""Petites expressions SQL partagées par les indicateurs."""

from django.db.models import (
    Aggregate,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
)


class ans_avant(Func):
    """`date - n années`, calculé par PostgreSQL (`date - interval 'n years'`)."""

    output_field = DateField()

    def __init__(self, expression, annees: int):
        super().__init__(expression)
        self.annees = int(annees)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) - interval '{self.annees} years')::date", params


class mois_apres(Func):
    """`date + n mois`, calculé par PostgreSQL (fin de mois ramenée au dernier jour valide)."""

    output_field = DateField()

    def __init__(self, expression, mois: int):
        super().__init__(expression)
        self.mois = int(mois)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + interval '{self.mois} months')::date", params


class Mediane(Aggregate):
    """La médiane d'une expression numérique : `percentile_cont(0.5) WITHIN GROUP (ORDER BY …)`.
    Accepte `filter=` (FILTER après WITHIN GROUP) ; None sur un ensemble vide."""

    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class jours_entre(Func):
    """`fin - debut` en jours : la soustraction de deux dates PostgreSQL donne un entier (Django,
    lui, en ferait un intervalle)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, fin: str, debut: str):
        super().__init__(F(fin), F(debut))
