"""Les parcours des tests du travail repris (tests/reprise/test_travail*.py)."""

from parcours.accompagnement.models import Parcours
from tests.emploi.fabrique_emploi import il_y_a
from tests.factories import ParticipantFactory


def en_emploi(monde, referent, **champs):
    """Un parcours en emploi depuis un an, écrit comme la reprise l'écrit : dans son état, sans
    rejouer les transitions."""
    (parcours,) = Parcours.objects.bulk_create(
        [
            Parcours(
                plie=monde.plie1,
                participant=ParticipantFactory(),
                statut="en_emploi",
                date_prescription=il_y_a(months=14),
                date_entree=il_y_a(months=12),
                referent=referent,
                **champs,
            )
        ]
    )
    return parcours
