"""Les contraintes CHECK d'un modèle jugées en une requête par `full_clean`.

Django juge chaque `CheckConstraint` par sa propre requête, dans un point de sauvegarde : trois
allers-retours par contrainte (24 pour les huit du questionnaire FSE+). Ici, une seule requête
rend la valeur de toutes les conditions ; les erreurs (messages, codes, ordre) sont celles de
Django, et une contrainte qui cite un champ exclu est sautée comme chez lui.
"""

import logging
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


def _condition(constraint):
    # Comme Q.check : une condition NULL (valeur absente) tient.
    return Coalesce(Q(constraint.condition), True, output_field=BooleanField())


def _requete(against):
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    return query


def _enfreintes(instance, verifications, exclude, using) -> set[int]:
    """Les indices des contraintes de `verifications` ([(model_class, constraint)]) enfreintes."""
    query, jugees, valeurs = None, [], {}
    for i, (model_class, constraint) in enumerate(verifications):
        # Les valeurs de l'instance, lues une fois par modèle (pas une fois par contrainte).
        if model_class not in valeurs:
            valeurs[model_class] = instance._get_field_expression_map(
                meta=model_class._meta, exclude=exclude
            )
        against = valeurs[model_class]
        try:
            # Sur une requête jetable d'abord : un champ exclu lève FieldError sans rien laisser.
            _requete(against).add_annotation(_condition(constraint), "_c")
        except FieldError:
            continue
        if query is None:
            query = _requete(against)
        query.add_annotation(_condition(constraint), f"_c{i}")
        jugees.append(i)
    if query is None:
        return set()
    connection = connections[using]
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            ligne = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as exc:  # comme Q.check : la base tranchera à l'écriture
        logger.warning("Erreur de base en jugeant les contraintes de %r : %s", instance, exc)
        return set()
    return {i for i, tenue in zip(jugees, ligne, strict=True) if not tenue}


class ContraintesEnUneRequete(models.Model):
    """À mettre en tête des bases d'un modèle aux nombreuses contraintes CHECK validées par
    `full_clean` (toutes sur les champs du modèle lui-même)."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        toutes = [(m, c) for m, contraintes in self.get_constraints() for c in contraintes]
        checks = [(i, m, c) for i, (m, c) in enumerate(toutes) if type(c) is models.CheckConstraint]
        enfreintes = _enfreintes(self, [(m, c) for _, m, c in checks], exclude, using)
        enfreintes = {checks[j][0] for j in enfreintes}
        deja_jugees = {i for i, _, _ in checks}
        errors = {}
        for i, (model_class, constraint) in enumerate(toutes):
            try:
                if i in enfreintes:
                    raise ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
                if i not in deja_jugees:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
