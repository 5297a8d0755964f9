"""Les deux temps de la reprise des clauses, appelés par `parcours.reprise.service` : lire tous
les fichiers (refus listés, rien écrit), puis écrire dans la transaction de la reprise."""

from django.dispatch import Signal

from parcours.core.models import Membership
from parcours.core.roles import ROLES_FACILITATION
from parcours.reprise.clauses.champs import ENTITES_CLAUSES
from parcours.reprise.clauses.ecriture import ecrire_clauses
from parcours.reprise.clauses.lecture import ORDRE, ContexteClauses, lire_entite
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance, ProvenanceClause
from parcours.reprise.rapport import RepriseRefusee

__all__ = ["candidatures_reprises", "ecrire", "lire"]

# Émis dans la transaction de la reprise, avec `positionnements` (les ids des candidatures du
# passage) : la couche `workflows` crée le flux d'une candidature en cours au nœud de son état
# (le domaine ne connaît pas les flux).
candidatures_reprises = Signal()


def _facilitateurs(plie) -> dict:
    """Identifiant et courriel (en minuscules) -> facilitateur actif du PLIE, une requête."""
    facilitateurs = {}
    adhesions = (
        Membership.objects.actives()
        .filter(role__in=ROLES_FACILITATION, structure__plie=plie, user__is_active=True)
        .select_related("user")
    )
    for adhesion in adhesions:
        for cle in filter(None, (adhesion.user.username, adhesion.user.email)):
            facilitateurs[cle.lower()] = adhesion.user
    return facilitateurs


def lire(plie, correspondance, tableaux, participants: set, rapport) -> dict:
    """Entité -> lignes acceptées. `participants` : identifiants (dans la source) des personnes
    du passage ou reprises avant. Les refus sont notés au rapport."""
    if not any(entite in tableaux for entite in ENTITES_CLAUSES):
        return {}
    connus = {entite: set() for entite in ENTITES_CLAUSES}
    for entite, source_id in ProvenanceClause.objects.filter(
        plie=plie, source=correspondance.source
    ).values_list("entite", "source_id"):
        connus[entite].add(source_id)
    connus[Entite.PARTICIPANT] = participants | set(_personnes(plie, correspondance))
    contexte = ContexteClauses(correspondance.format_date, _facilitateurs(plie))
    lues = {}
    for entite in ORDRE:
        if entite in tableaux:
            lues[entite], refus = lire_entite(
                entite, tableaux[entite], correspondance.entites[entite], contexte, connus
            )
            rapport.noter_refus(entite, refus)
    return lues


def ecrire(plie, correspondance, tableaux, lues, personnes: dict, par, rapport) -> None:
    """`personnes` : identifiant dans la source -> id du participant. Lève `RepriseRefusee`."""
    if not lues:
        return
    personnes = _personnes(plie, correspondance) | personnes
    refus = ecrire_clauses(plie, correspondance, tableaux, lues, personnes, par, rapport)
    if not refus and Entite.POSITIONNEMENT in lues:
        ids = ecrits(lues[Entite.POSITIONNEMENT], plie, correspondance)
        candidatures_reprises.send(sender=ProvenanceClause, positionnements=ids)
    if refus:
        for entite in lues:
            rapport.noter_refus(entite, [r for r in refus if r.fichier == tableaux[entite].nom])
        raise RepriseRefusee(rapport)


def ecrits(lignes, plie, correspondance) -> list[int]:
    """Les ids des candidatures des lignes de ce passage (une requête)."""
    return list(
        ProvenanceClause.objects.filter(
            plie=plie,
            source=correspondance.source,
            entite=Entite.POSITIONNEMENT,
            source_id__in=[ligne.valeurs["source_id"] for ligne in lignes],
        ).values_list("objet_id", flat=True)
    )


def _personnes(plie, correspondance) -> dict:
    """Les personnes reprises d'une autre source (`source_participants`) : identifiant -> id."""
    if correspondance.source_participants == correspondance.source:
        return {}
    return dict(
        Provenance.objects.filter(
            plie=plie, source=correspondance.source_participants, entite=Entite.PARTICIPANT
        ).values_list("source_id", "participant_id")
    )
