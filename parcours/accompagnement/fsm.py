"""Les transitions journalisées (django-fsm-2) : l'état et son journal enregistrés ensemble.

`JournaliseMixin` sert à tous les objets à états journalisés (parcours, offre, mise en relation,
candidature). `transition_journalisee` est le décorateur des offres et des mises en relation ;
même principe que `transition_parcours` et `transition_positionnement` : chaque méthode prend
l'acteur (`par`) et un `motif` ;
elle vérifie l'état de départ, les conditions (chacune porte son explication en français), le
droit de l'acteur (un prédicat de `parcours/access.py`) et le motif quand il est obligatoire.
L'appel n'écrit rien en base : `save()` enregistre l'état et la ligne de journal (qui, quand, de,
vers, pourquoi) dans la même transaction.
"""

from functools import wraps

from django.db import models, transaction
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, transition

from parcours.accompagnement.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)


def condition(message):
    """Condition FSM portant son explication en français."""

    def decorator(func):
        func.message = message
        return func

    return decorator


def transition_journalisee(
    source, target, *, libelle, permission, conditions=(), motif_obligatoire=False
):
    """`permission(objet, user) -> bool` : un prédicat de la politique d'accès."""

    def decorator(func):
        fsm_method = transition(
            field="statut",
            source=source,
            target=target,
            conditions=list(conditions),
            permission=permission,
            custom={"libelle": libelle},
        )(func)
        meta = fsm_method._django_fsm

        @wraps(fsm_method)
        def method(self, *args, par, motif="", **kwargs):
            etat = self.statut
            nom_etat = self.get_statut_display()
            if not meta.has_transition(etat):
                raise TransitionInterdite(
                    f"« {libelle} » impossible : {self.designation} est à l'état « {nom_etat} »."
                )
            echecs = [c.message for c in conditions if not c(self)]
            if echecs:
                raise TransitionInterdite(f"« {libelle} » impossible : " + " ; ".join(echecs) + ".")
            if not meta.has_transition_perm(self, etat, par):
                raise TransitionNonAutorisee(
                    f"Vous n'avez pas le droit d'effectuer « {libelle} » sur {self.designation}."
                )
            motif = (motif or "").strip()
            if motif_obligatoire and not motif:
                raise DonneesTransitionInvalides(f"Un motif est obligatoire pour « {libelle} ».")
            resultat = fsm_method(self, *args, par=par, motif=motif, **kwargs)
            self._journal_en_attente.append(
                {
                    "transition": func.__name__,
                    "source": etat,
                    "target": self.statut,
                    "par": par,
                    "motif": motif,
                }
            )
            return resultat

        method.libelle = libelle
        return method

    return decorator


class JournaliseMixin(ConcurrentTransitionMixin, models.Model):
    """Enregistre l'état et son journal ensemble ; un conflit d'écriture lève `ConflitTransition`.

    La classe concrète indique `journal_model` (le modèle des lignes) et `journal_fk` (le nom
    de sa clé étrangère vers l'objet)."""

    journal_model = None
    journal_fk = None
    designation = "cet objet"
    # Message de `ConflitTransition` propre à l'objet ; None : celui par défaut.
    message_conflit = None

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._journal_en_attente = []

    def save(self, *args, **kwargs):
        with transaction.atomic():
            try:
                super().save(*args, **kwargs)
            except ConcurrentTransition as exc:
                self._journal_en_attente.clear()
                raise ConflitTransition(self.message_conflit) from exc
            if self._journal_en_attente:
                self.journal_model.objects.bulk_create(
                    self.journal_model(**{self.journal_fk: self}, **ligne)
                    for ligne in self._journal_en_attente
                )
                self._journal_en_attente.clear()
