"""Le ramasse-miettes cyclique de Python, suspendu le temps d'un traitement en bloc.

Un import de 20 000 lignes crée des centaines de milliers de petits objets qui vivent jusqu'à
la fin du contrôle. Au-delà d'un seuil (un quart des objets déjà vivants dans le processus), le
ramasse-miettes lance des passes complètes qui reparcourent tout le tas : le contrôle d'un import
d'heures passait de ×8 à ×15 entre 2 000 et 20 000 lignes (bench/heures.py, docs/PERFORMANCE.md).
Ces objets ne forment pas de cycles qui dureraient : rien n'est perdu à attendre la fin du
traitement ; le compteur de références libère le reste comme d'habitude.
"""

import gc
from contextlib import contextmanager


@contextmanager
def collecteur_suspendu():
    """Suspend le ramasse-miettes cyclique le temps du bloc, puis le rétablit tel qu'il était
    (même si le bloc lève une exception ; s'il était déjà suspendu, il le reste)."""
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()
