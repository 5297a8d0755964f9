"""Les commandes périodiques sur plusieurs nœuds : une seule passe à la fois, où qu'elle tourne.

Chaque commande périodique (`CommandePeriodique`) prend, pour toute sa passe, un verrou
consultatif PostgreSQL de session propre à son nom (`pg_try_advisory_lock`) : si un autre nœud
tient déjà la passe, elle sort aussitôt sans rien faire. Chaque passe tenue est comptée dans
`PassePeriodique` (nombre, début, fin), qui garde aussi ce que la passe suivante doit reprendre
(docs/deploiement.md, « Commandes périodiques sur plusieurs nœuds »).
"""

import contextlib
import hashlib

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import F
from django.utils import timezone

from parcours.core.models import PassePeriodique


def cle_de_verrou(commande: str) -> int:
    """Une clé bigint stable par commande (la même sur tous les nœuds)."""
    return int.from_bytes(
        hashlib.blake2b(f"plie:{commande}".encode(), digest_size=8).digest(), "big", signed=True
    )


@contextlib.contextmanager
def passe_unique(commande: str):
    """Rend la `PassePeriodique` de la commande si ce nœud obtient la passe, `None` sinon.

    Le verrou est de session (la passe peut commiter plusieurs transactions) et toujours rendu,
    même sur erreur ; la connexion fermée le rend aussi (processus tué)."""
    cle = cle_de_verrou(commande)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [cle])
        (obtenu,) = cursor.fetchone()
    if not obtenu:
        yield None
        return
    try:
        passe, _ = PassePeriodique.objects.get_or_create(commande=commande)
        PassePeriodique.objects.filter(pk=passe.pk).update(nombre=F("nombre") + 1)
        # `precedente` : le début de la dernière passe menée à son terme (une passe qui échoue
        # ne l'avance pas : la suivante reprend tout ce qu'elle devait voir).
        passe.precedente, passe.debut = passe.debut, timezone.now()
        yield passe
        PassePeriodique.objects.filter(pk=passe.pk).update(
            debut=passe.debut, fin=timezone.now(), etat=passe.etat
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [cle])


class CommandePeriodique(BaseCommand):
    """Une commande périodique sûre sur plusieurs nœuds : `passe(passe, **options)` ne tourne que
    si ce nœud tient le verrou de la commande ; sinon un message et une sortie sans erreur."""

    def verifier_options(self, options) -> None:
        """Lève CommandError sur une option mal saisie, avant de prendre la passe."""

    def passe(self, passe, **options) -> str:
        raise NotImplementedError

    def nom_de_passe(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def handle(self, *args, **options):
        self.verifier_options(options)
        with passe_unique(self.nom_de_passe()) as passe:
            if passe is None:
                nom = self.nom_de_passe()
                self.stdout.write(f"Passe « {nom} » déjà en cours sur un autre nœud : rien fait.")
                return
            self.stdout.write(self.passe(passe, **options))
