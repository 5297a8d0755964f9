"""La passe périodique des alertes (commande `verifier_alertes`) : incrémentale dans la journée.

Les conditions (`parcours.dossier.alertes`) ne dépendent que des données d'un parcours, des
délais du référentiel de son PLIE et du jour. Une passe n'examine donc que :
- tous les parcours, si c'est la première passe, si le jour a changé depuis la précédente (des
  échéances ont pu tomber), si les délais d'un PLIE ont changé, ou sur demande (`--complete`) ;
- sinon, les parcours dont une entrée a changé depuis le début de la passe précédente (moins une
  marge, pour les transactions commitées après ce début) et ceux dont une levée a échoué.
Le résultat est celui d'une passe complète (tests/alertes/test_incremental.py) ; une passe où
rien n'a changé coûte quelques requêtes sur index, quelle que soit la taille de la base.
"""

import datetime
import hashlib

from django.utils import timezone

from parcours.accompagnement.models import Parcours
from parcours.core.models import PLIE
from parcours.dossier.alertes import delais_des_plies, parcours_modifies_depuis
from workflows.alertes.verification import Bilan, verifier_alertes

# Une transaction qui a modifié un parcours juste avant le début de la passe précédente, mais
# commité après, n'était pas visible de cette passe : la suivante la reprend.
MARGE = datetime.timedelta(minutes=10)
# Au-delà, une passe complète coûte moins qu'une liste de clés répétée dans chaque constat (104 000
# dossiers modifiés à 100 000 participants : 69 s par la liste, 24 s en passe complète).
SEUIL_PASSE_COMPLETE = 10_000


def _empreinte(delais) -> str:
    return hashlib.sha256(repr(sorted(delais.items())).encode()).hexdigest()


def passe_de_verification(
    passe, aujourdhui: datetime.date | None = None, complete: bool = False
) -> Bilan:
    """Une passe de `verifier_alertes` ; `passe` : la `PassePeriodique` tenue par ce nœud (son
    `etat` garde le jour, l'empreinte des délais et les parcours à reprendre)."""
    aujourdhui = aujourdhui or timezone.localdate()
    delais = delais_des_plies(PLIE.objects.values("pk"), aujourdhui)
    etat = passe.etat or {}
    empreinte = _empreinte(delais)
    complete = (
        complete
        or passe.precedente is None
        or etat.get("jour") != aujourdhui.isoformat()
        or etat.get("delais") != empreinte
    )
    if complete:
        bilan = verifier_alertes(aujourdhui, delais=delais)
    else:
        ids = parcours_modifies_depuis(passe.precedente - MARGE) | set(etat.get("a_reprendre", []))
        if len(ids) > SEUIL_PASSE_COMPLETE:
            bilan = verifier_alertes(aujourdhui, delais=delais)
        else:
            bilan = Bilan()
            if ids:
                bilan = verifier_alertes(aujourdhui, Parcours.objects.filter(pk__in=ids), delais)
            bilan.complete, bilan.examines = False, len(ids)
    passe.etat = {
        "jour": aujourdhui.isoformat(),
        "delais": empreinte,
        "a_reprendre": sorted(bilan.a_reprendre),
    }
    return bilan
