"""Les territoires du PLIE, tels qu'un fichier de parcours peut les nommer (docs/reprise.md)."""

from parcours.core.models import Territoire
from parcours.participants.normalisation import normaliser


def territoires_du_plie(plie) -> dict:
    """Code et nom normalisés (casse et accents ignorés) -> id du territoire ; une requête. Un
    code l'emporte sur le nom d'un autre territoire."""
    territoires = list(Territoire.objects.filter(plie=plie).values_list("pk", "code", "nom"))
    noms = {normaliser(nom): pk for pk, _, nom in territoires}
    return noms | {normaliser(code): pk for pk, code, _ in territoires}
