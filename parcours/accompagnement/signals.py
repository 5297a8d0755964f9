from django.dispatch import receiver
from django_fsm.signals import post_transition

from parcours.accompagnement.models import Parcours


@receiver(post_transition, sender=Parcours)
def preparer_journal(sender, instance, name, source, target, method_kwargs, **kwargs):
    """Prépare la ligne de journal ; `Parcours.save()` l'écrit avec le nouvel état."""
    if "exception" in kwargs:
        return
    instance._journal_en_attente.append(
        {
            "transition": name,
            "source": source,
            "target": target,
            "par": method_kwargs["par"],
            "motif": method_kwargs.get("motif", ""),
        }
    )
