"""Purger les sessions échues (ce que fait `clearsessions` de Django), une fois par jour, sous le
verrou consultatif des commandes périodiques : lancée sur chaque nœud, elle ne tourne qu'une fois
à la fois (docs/deploiement.md, « Sessions et cache »).

    python manage.py purger_sessions
"""

from importlib import import_module

from django.conf import settings
from django.utils import timezone

from parcours.core.periodiques import CommandePeriodique


class Command(CommandePeriodique):
    help = (
        "Supprime les sessions échues (comme clearsessions), une seule passe à la fois sur "
        "tous les nœuds ; à lancer chaque jour."
    )

    def passe(self, passe, **options):
        store = import_module(settings.SESSION_ENGINE).SessionStore
        if hasattr(store, "get_model_class"):  # sessions en base : une requête, comptée
            echues = store.get_model_class().objects.filter(expire_date__lt=timezone.now())
            supprimees, _ = echues.delete()
            return f"{supprimees} session(s) échue(s) supprimée(s)."
        store.clear_expired()  # autre moteur : sa propre purge (ou rien, s'il expire seul)
        return "Sessions échues purgées."
