"""La clé d'API de démonstration : celle de France Travail dans le PLIE agenais, pour essayer
l'API (docs/api.md, « Essayer sur la démo ») sans passer par l'administration.

Son secret est **public** (écrit ici et dans la documentation) : elle n'est créée qu'en
développement (`DJANGO_DEBUG=1`, ce que fait `make run`), jamais sur une instance réelle.
"""

import datetime

from django.utils import timezone

from parcours.core.cles import creer_cle, empreinte
from parcours.core.enums import DroitCle, Role
from parcours.core.models import CleApi, Membership, User

# « demo » n'est pas un préfixe tiré au hasard (8 chiffres hexadécimaux) : aucune collision.
PREFIXE_DEMO = "demo"
JETON_DEMO = f"plie_{PREFIXE_DEMO}_cle-de-demonstration-jamais-sur-une-instance-reelle"
DROITS_DEMO = [DroitCle.PRESCRIPTIONS_LIRE, DroitCle.PRESCRIPTIONS_ECRIRE, DroitCle.PARCOURS_LIRE]
DUREE = datetime.timedelta(days=365)


def charger_cle_demo(plie_code="agenais") -> CleApi:
    """La clé de démo (créée, ou prolongée si elle a expiré) ; idempotent."""
    cle = CleApi.objects.filter(prefixe=PREFIXE_DEMO).first()
    aujourdhui = timezone.localdate()
    if cle is not None:
        if cle.expire_le < aujourdhui + datetime.timedelta(days=30):
            cle.expire_le = aujourdhui + DUREE
            cle.save(update_fields=["expire_le"])
            Membership.objects.filter(user_id=cle.compte_id).update(fin=cle.expire_le)
        return cle
    prescripteur = Membership.objects.select_related("structure__plie").get(
        user__username=f"prescripteur.{plie_code}", role=Role.PRESCRIPTEUR
    )
    cle, _ = creer_cle(
        par=User.objects.get(username=f"admin.{plie_code}"),
        plie=prescripteur.structure.plie,
        structure=prescripteur.structure,
        role=Role.PRESCRIPTEUR,
        droits=DROITS_DEMO,
        nom="Démonstration (logiciel de France Travail)",
        expire_le=aujourdhui + DUREE,
    )
    # Le jeton tiré au hasard est remplacé par le jeton public de la démo.
    CleApi.objects.filter(pk=cle.pk).update(prefixe=PREFIXE_DEMO, empreinte=empreinte(JETON_DEMO))
    User.objects.filter(pk=cle.compte_id).update(username=f"api-{PREFIXE_DEMO}")
    cle.refresh_from_db()
    return cle
