"""Le catalogue des extractions, dans l'ordre de la page (docs/extractions.md). La liste des
participants a son propre export (workflows/participants/liste.py) : la page y renvoie."""

from workflows.extractions.catalogue.dossiers import CONTRATS, ENTRETIENS, ETAPES, PARCOURS, SORTIES
from workflows.extractions.catalogue.entreprises import (
    ENTREPRISES,
    MISES_EN_RELATION,
    OFFRES,
    POSITIONNEMENTS,
)

EXTRACTIONS = {
    e.nom: e
    for e in (
        PARCOURS,
        ETAPES,
        ENTRETIENS,
        CONTRATS,
        SORTIES,
        OFFRES,
        MISES_EN_RELATION,
        ENTREPRISES,
        POSITIONNEMENTS,
    )
}
