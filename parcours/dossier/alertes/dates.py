"""L'arithmétique de dates des alertes, en SQL (mêmes règles que dateutil.relativedelta), et les
horloges suspendues : les jours de suspension repoussent une échéance d'autant.
"""

import datetime

from django.db.models import (
    Case,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from parcours.accompagnement.models import Suspension


class PlusMois(Func):
    """`date + n mois` (fin de mois ramenée au dernier jour, comme relativedelta)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        date, mois = self.get_source_expressions()
        date_sql, date_params = compiler.compile(date)
        mois_sql, mois_params = compiler.compile(mois)
        sql = f"CAST(({date_sql}) + make_interval(months => CAST({mois_sql} AS integer)) AS date)"
        return sql, (*date_params, *mois_params)


class PlusJours(Func):
    """`date + n jours` (date + entier en PostgreSQL)."""

    output_field = DateField()
    template = "CAST((%(expressions)s) AS date)"
    arg_joiner = " + "


class JoursEntre(Func):
    """`fin - debut` en jours (date - date = entier en PostgreSQL)."""

    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "


def par_plie(delais, attribut: str, default=None, output_field=None):
    """Une valeur du référentiel choisie selon le PLIE du parcours (une branche par PLIE)."""
    return Case(
        *[When(plie_id=pid, then=Value(getattr(d, attribut))) for pid, d in delais.items()],
        default=Value(default),
        output_field=output_field or IntegerField(),
    )


def jours_suspendus(reference: str, aujourdhui: datetime.date):
    """Les jours de suspension écoulés entre la date `reference` (annotation du parcours) et
    aujourd'hui : chaque suspension est rognée à cet intervalle, une suspension en cours compte
    jusqu'à aujourd'hui."""
    jour = Value(aujourdhui, output_field=DateField())
    fin = Least(Coalesce("levee_le", jour), jour)
    debut = Greatest("debut", OuterRef(reference))
    periodes = (
        Suspension.objects.filter(parcours_id=OuterRef("pk"), debut__lt=aujourdhui)
        .annotate(jours=Greatest(JoursEntre(fin, debut), Value(0)))
        .values("parcours_id")
        .annotate(total=Sum("jours"))
        .values("total")
    )
    # SUM rend un bigint : date + bigint n'existe pas en PostgreSQL, date + integer oui.
    return Cast(Coalesce(Subquery(periodes, output_field=IntegerField()), Value(0)), IntegerField())


def echeance_suspendue(qs, delais, attribut: str, aujourdhui):
    """Annote `suspendus` (jours de suspension depuis `reference`) et `limite`
    (référence + délai du PLIE + jours de suspension)."""
    return qs.annotate(suspendus=jours_suspendus("reference", aujourdhui)).annotate(
        limite=PlusJours(PlusMois(F("reference"), par_plie(delais, attribut)), F("suspendus"))
    )
