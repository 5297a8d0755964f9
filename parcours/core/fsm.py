"""Le kit des machines à états journalisées (django-fsm-2), pour tous les objets à états : parcours,
offre, mise en relation, candidature.

- `condition(message)` : une condition de transition qui porte son explication en français (le
  message peut être une fonction de l'objet, pour expliquer le refus selon le dossier) ;
- `transition(source, target, libelle=…, permission=…, conditions=…, motif_obligatoire=…)` : la
  méthode décorée prend l'acteur (`par`) et un `motif` ; elle vérifie, dans l'ordre, l'état de
  départ, les conditions, le droit de l'acteur (`par.has_perm(permission, objet)` : la politique
  d'accès répond, parcours/acces/backend.py) et le motif quand il est obligatoire ; chaque refus
  est une exception dont le message, en français courant, dit où en est l'objet et ce qui n'est
  plus (ou pas encore) possible (`refus_d_etat`, plus bas) ;
- `JournaliseMixin` : l'appel n'écrit rien en base ; `save()` enregistre l'état et la ligne de
  journal (qui, quand, de, vers, pourquoi) dans la même transaction, et un conflit d'écriture
  (deux décisions concurrentes) lève `ConflitTransition`.
"""

from collections.abc import Mapping
from functools import wraps

from django.db import models, router, transaction
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


# --- Les messages de refus, en français courant ------------------------------------------------


def _capfirst(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


def _de(action: str) -> str:
    """« de » devant l'action, élidé devant une voyelle ou un h muet (« d'engager »)."""
    return ("d'" if action[:1].lower() in "aeéèêiîoôuh" else "de ") + action


def _impossible(quand: str, action: str | None, libelle: str) -> str:
    """« il n'est plus possible de prononcer l'admission » ; sans action : « « Admettre » n'est
    plus possible »."""
    if action:
        return f"il n'est {quand} possible {_de(action)}"
    return f"« {libelle} » n'est {quand} possible"


def sources_de(meta) -> list[str]:
    return [source for source in meta.transitions if source not in ("*", "+")]


def _graphe(classe) -> dict[str, set[str]]:
    """{état: états atteints en une transition} du champ `statut` de la classe (mis en cache)."""
    graphe = classe.__dict__.get("_graphe_des_etats")
    if graphe is None:
        graphe = {}
        for t in classe._meta.get_field("statut").get_all_transitions(classe):
            if t.source not in ("*", "+"):
                graphe.setdefault(t.source, set()).add(t.target)
        classe._graphe_des_etats = graphe
    return graphe


def _atteignables(graphe, depart) -> set[str]:
    vus, a_voir = set(), [depart]
    while a_voir:
        for suivant in graphe.get(a_voir.pop(), ()):
            if suivant not in vus:
                vus.add(suivant)
                a_voir.append(suivant)
    return vus


def refus_d_etat(objet, libelle: str, action: str | None, sources) -> str:
    """Le refus d'une transition demandée dans un état d'où elle ne part pas, dit à partir de
    l'état de l'objet et de l'action :

    - l'état vient après (ou ferme) le chemin : « Ce dossier est déjà admis : il n'est plus
      possible de prononcer l'admission. » ;
    - l'état vient avant : « Ce dossier est prescrit : il n'est pas encore possible de prononcer
      l'admission (possible à l'état « En commission d'entrée »). » ;
    - l'un et l'autre (un aller-retour) : « … il n'est pas possible de … dans cet état (possible
      à l'état « … »). »
    """
    classe = type(objet)
    etat = objet.statut
    graphe = _graphe(classe)
    en_clair = objet.etats_en_clair.get(etat)
    est = f"est {en_clair}" if en_clair else f"est à l'état « {objet.get_statut_display()} »"
    sujet = _capfirst(str(objet.designation))
    noms = dict(classe._meta.get_field("statut").flatchoices)
    possibles = [f"« {noms.get(s, s)} »" for s in sources]
    ou = (
        (", ".join(possibles[:-1]) + " ou " + possibles[-1])
        if len(possibles) > 1
        else "".join(possibles)
    )
    apres = any(etat in _atteignables(graphe, s) for s in sources)
    avant = any(s in _atteignables(graphe, etat) for s in sources)
    if avant and not apres:
        pas_encore = _impossible("pas encore", action, libelle)
        return f"{sujet} {est} : {pas_encore} (possible à l'état {ou})."
    if avant and apres:
        return (
            f"{sujet} {est} : {_impossible('pas', action, libelle)} dans cet état "
            f"(possible à l'état {ou})."
        )
    if apres and en_clair:
        est = f"est déjà {en_clair}"
    return f"{sujet} {est} : {_impossible('plus', action, libelle)}."


def _une_fois(cond):
    """La condition telle que django-fsm la voit : tenue sans être rejugée par django-fsm juste
    après que la transition l'a jugée (une seule fois) ; jugée partout ailleurs (transitions
    disponibles, réactions à la transition)."""

    @wraps(cond)
    def jugee(objet):
        jugees = getattr(objet, "_conditions_jugees", None)
        if jugees and cond in jugees:
            jugees.discard(cond)
            return True
        return cond(objet)

    return jugee


def transition(
    source, target, *, libelle, permission, conditions=(), motif_obligatoire=False, action=None
):
    """`permission` : "app.codename", un droit objet demandé à `par.has_perm(permission, objet)`.

    Pas de repli sur une permission globale (django-fsm le ferait avec une permission en texte) :
    un droit global ne vaut jamais pour un PLIE.

    `action` : ce que fait la transition, à l'infinitif, pour les messages de refus
    (« prononcer l'admission ») ; sans elle, le message cite le libellé entre guillemets.

    Pour un modèle aux nombreuses transitions, `libelle` (et `action`) peuvent être des
    dictionnaires par nom de méthode et `permission` contenir `{nom}` (le nom de la méthode) : le
    modèle fixe les trois une fois avec `functools.partial(transition, libelle=…, …)`."""

    def decorator(func):
        texte = libelle[func.__name__] if isinstance(libelle, Mapping) else libelle
        faire = action.get(func.__name__) if isinstance(action, Mapping) else action
        droit = permission.format(nom=func.__name__)

        def autorise(objet, user) -> bool:
            return user.has_perm(droit, objet)

        fsm_method = fsm_transition(
            field="statut",
            source=source,
            target=target,
            conditions=[_une_fois(c) for c in conditions],
            permission=autorise,
            custom={"libelle": texte, "permission": droit},
        )(func)
        meta = fsm_method._django_fsm

        @wraps(fsm_method)
        def method(self, *args, par, motif="", **kwargs):
            etat = self.statut
            if not meta.has_transition(etat):
                raise TransitionInterdite(refus_d_etat(self, texte, faire, sources_de(meta)))
            echecs = [_explication(c, self) for c in conditions if not c(self)]
            if echecs:
                raise TransitionInterdite(
                    _capfirst(_impossible("pas encore", faire, texte))
                    + " : "
                    + " ; ".join(echecs)
                    + "."
                )
            if not meta.has_transition_perm(self, etat, par):
                quoi = f"le droit {_de(faire)}" if faire else f"le droit de faire « {texte} »"
                raise TransitionNonAutorisee(f"Vous n'avez pas {quoi} pour {self.designation}.")
            motif = (motif or "").strip()
            if motif_obligatoire and not motif:
                pour = f"pour {faire}" if faire else f"pour « {texte} »"
                raise DonneesTransitionInvalides(f"Un motif est obligatoire {pour}.")
            # Les conditions viennent d'être jugées : django-fsm ne les relit pas (etat_engagement,
            # par exemple, coûte plusieurs requêtes).
            self._conditions_jugees = set(conditions)
            try:
                resultat = fsm_method(self, *args, par=par, motif=motif, **kwargs)
            finally:
                self._conditions_jugees = None
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
        method.action = faire
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
    # {état: ce que « est » … dit de l'objet dans cet état (« admis », « sorti du PLIE »)} pour
    # les messages de refus ; un état absent : « est à l'état « <libellé> » ».
    etats_en_clair: Mapping = {}
    # Message de `ConflitTransition` propre à l'objet ; None : celui par défaut.
    message_conflit = None

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._journal_en_attente = []

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        connexion = transaction.get_connection(using)
        if not connexion.in_atomic_block or self._meta.parents:
            with transaction.atomic(using=using):
                self._enregistrer(*args, **kwargs)
            return
        # Dans la transaction de l'appelant, sans point de sauvegarde (deux requêtes de moins par
        # transition) : l'état et son journal s'écrivent avec elle.
        try:
            self._enregistrer(*args, **kwargs)
        except ConflitTransition:
            # L'UPDATE conditionnel n'a touché aucune ligne (pas de parent, pas de pre_save) :
            # rien n'est écrit, la base n'a pas d'erreur. `save_base` a pourtant marqué la
            # transaction perdue ; l'appelant qui attrape le conflit (un écran qui l'affiche)
            # doit pouvoir continuer.
            transaction.set_rollback(False, using=using)
            raise

    def _enregistrer(self, *args, **kwargs):
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
