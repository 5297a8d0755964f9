"""Une alerte se lève dans la transaction de l'action qui supprime sa cause, pas à la passe
périodique suivante : un entretien ou un contact enregistré, une étape ajoutée ou modifiée, les
données FSE+ saisies, une transition du parcours (suspension, sortie). Le domaine ne connaît pas
les flux : ces réactions écoutent ses enregistrements (`post_save`, envoyé dans la transaction
du service) et appellent `lever_les_alertes_sans_cause`.

Un échec ici ne doit jamais annuler l'action de l'utilisateur : la levée tourne dans un point de
sauvegarde ; en cas d'erreur, elle est annulée seule et la passe périodique s'en chargera. Sans
alerte ouverte (le cas courant), une seule lecture, sans verrou ni point de sauvegarde.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.status import PROCESS

from parcours.accompagnement.models import Entretien, Etape, Parcours
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE
from parcours.dossier.alertes import STATUTS_ALERTE
from parcours.emploi.models import DonneesSortieFSE
from workflows.alertes.verification import lever_les_alertes_sans_cause, processus_d_alerte

logger = logging.getLogger(__name__)

# Les enregistrements qui peuvent faire disparaître une condition d'alerte, et leur dossier.
SOURCES = {
    Entretien: "parcours_id",
    Etape: "parcours_id",
    QuestionnaireFSE: "parcours_id",
    DonneesSortieFSE: "parcours_id",
    Parcours: "pk",
}


def _etats_avec_alerte() -> frozenset:
    """Les états où un parcours peut avoir une alerte ouverte : ceux où une alerte s'ouvre
    (la passe ne les ouvre que là) et ceux qu'on atteint depuis eux par les transitions (une
    levée bloquée peut en laisser une). Une reprise qui change l'état revérifie ses alertes
    (workflows/reprise/reactions.py)."""
    from parcours.core.fsm import _atteignables, _graphe

    ouvrables = {s for statuts in STATUTS_ALERTE.values() for s in statuts}
    graphe = _graphe(Parcours)
    return frozenset(ouvrables.union(*(_atteignables(graphe, s) for s in ouvrables)))


ETATS_AVEC_ALERTE = _etats_avec_alerte()


def _sans_alerte_possible(parcours, created) -> bool:
    """Un parcours créé, ou qui était (avant cet enregistrement) dans un état d'avant
    l'admission, n'a aucune alerte ouverte : rien à lever, pas de requête."""
    if created:
        return True
    avant = {ligne["source"] for ligne in parcours._journal_en_attente} or {parcours.statut}
    return not (avant & ETATS_AVEC_ALERTE)


def lever_apres(sender, instance, raw=False, created=False, **kwargs):
    if raw:  # chargement de fixtures : pas de logique métier
        return
    if sender is Parcours and _sans_alerte_possible(instance, created):
        return
    parcours_id = getattr(instance, SOURCES[sender])
    if parcours_id is None:
        return
    if not processus_d_alerte([parcours_id]).filter(status=PROCESS.NEW).exists():
        return  # rien à lever : pas de point de sauvegarde (2 requêtes de moins)
    try:
        with transaction.atomic():
            lever_les_alertes_sans_cause(parcours_id)
    except Exception:  # la passe périodique reprendra ; l'action de l'utilisateur est gardée
        logger.exception("Levée des alertes du parcours %s après %s", parcours_id, sender)


for _modele in SOURCES:
    receiver(post_save, sender=_modele, dispatch_uid=f"alertes-{_modele.__name__}")(lever_apres)
