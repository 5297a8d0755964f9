"""Le kit des machines à états journalisées (django-fsm-2), pour tous les objets à états : parcours,
offre, mise en relation, candidature.

- `condition(message)` : une condition de transition qui porte son explication en français (le
  message peut être une fonction de l'objet, pour expliquer le refus selon le dossier) ;
- `transition(source, target, libelle=…, permission=…, conditions=…, motif_obligatoire=…)` : la
  méthode décorée prend l'acteur (`par`) et un `motif` ; elle vérifie, dans l'ordre, l'état de
  départ, les conditions, le droit de l'acteur (`par.has_perm(permission, objet)` : la politique
  d'accès répond, parcours/acces/backend.py) et le motif quand il est obligatoire ; chaque refus
  est une exception dont le message nomme la transition, l'état et l'objet ;
- `JournaliseMixin` : l'appel n'écrit rien en base ; `save()` enregistre l'état et la ligne de
  journal (qui, quand, de, vers, pourquoi) dans la même transaction, et un conflit d'écriture
  (deux décisions concurrentes) lève `ConflitTransition`.
"""

from collections.abc import Mapping
from functools import wraps

from django.db import models, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin
from django_fsm import transition as fsm_transition

from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)


def condition(message):
    """Condition FSM portant son explication en français (texte, ou fonction de l'objet)."""

    def decorator(func):
        func.message = message
        return func

    return decorator


def _explication(cond, objet) -> str:
    return cond.message(objet) if callable(cond.message) else cond.message


def transition(source, target, *, libelle, permission, conditions=(), motif_obligatoire=False):
    """`permission` : "app.codename", un droit objet demandé à `par.has_perm(permission, objet)`.

    Pas de repli sur une permission globale (django-fsm le ferait avec une permission en texte) :
    un droit global ne vaut jamais pour un PLIE.

    Pour un modèle aux nombreuses transitions, `libelle` peut être le dictionnaire des libellés
    par nom de méthode et `permission` contenir `{nom}` (le nom de la méthode) : le modèle fixe
    les deux une fois avec `functools.partial(transition, libelle=…, permission=…)`."""

    def decorator(func):
        texte = libelle[func.__name__] if isinstance(libelle, Mapping) else libelle
        droit = permission.format(nom=func.__name__)

        def autorise(objet, user) -> bool:
            return user.has_perm(droit, objet)

        fsm_method = fsm_transition(
            field="statut",
            source=source,
            target=target,
            conditions=list(conditions),
            permission=autorise,
            custom={"libelle": texte, "permission": droit},
        )(func)
        meta = fsm_method._django_fsm

        @wraps(fsm_method)
        def method(self, *args, par, motif="", **kwargs):
            etat = self.statut
            nom_etat = self.get_statut_display()
            if not meta.has_transition(etat):
                raise TransitionInterdite(
                    f"Transition « {texte} » impossible : {self.designation} est à l'état "
                    f"« {nom_etat} »."
                )
            echecs = [_explication(c, self) for c in conditions if not c(self)]
            if echecs:
                raise TransitionInterdite(
                    f"Transition « {texte} » impossible depuis l'état « {nom_etat} » : "
                    + " ; ".join(echecs)
                    + "."
                )
            if not meta.has_transition_perm(self, etat, par):
                raise TransitionNonAutorisee(
                    f"Vous n'avez pas le droit d'effectuer « {texte} » sur {self.designation}."
                )
            motif = (motif or "").strip()
            if motif_obligatoire and not motif:
                raise DonneesTransitionInvalides(f"Un motif est obligatoire pour « {texte} ».")
            resultat = fsm_method(self, *args, par=par, motif=motif, **kwargs)
            self._journal_en_attente.append(
                {
                    "transition": func.__name__,
                    "source": etat,
                    "target": self.statut,
                    "par": par,
                    "motif": motif,
                    "at": timezone.now(),
                }
            )
            return resultat

        method.libelle = texte
        return method

    return decorator


class JournaliseMixin(ConcurrentTransitionMixin, models.Model):
    """Enregistre l'état et son journal ensemble ; un conflit d'écriture lève `ConflitTransition`.

    La classe concrète indique `journal_model` (le modèle des lignes, qui hérite de
    `core.JournalTransition`), `journal_fk` (le nom de sa clé étrangère vers l'objet) et
    `designation` (« ce parcours », « cette candidature »… dans les messages)."""

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
