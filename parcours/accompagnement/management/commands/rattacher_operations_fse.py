from parcours.accompagnement.participations import rattacher_aux_operations
from parcours.core.models import PLIE
from parcours.core.periodiques import CommandePeriodique


class Command(CommandePeriodique):
    help = (
        "Participations FSE+ (docs/fse.md) : clôt celles des opérations finies, fait entrer les "
        "parcours engagés (et sortis pendant une opération) sans participation dans l'opération "
        "d'accompagnement de la structure de leur référent (à lancer chaque jour ; idempotent)."
    )

    def passe(self, passe, **options):
        closes = ouvertes = 0
        for plie_id in PLIE.objects.values_list("pk", flat=True):
            resultat = rattacher_aux_operations(plie_id)
            closes += resultat["closes"]
            ouvertes += resultat["ouvertes"]
        return f"{ouvertes} participation(s) ouverte(s), {closes} close(s) en fin d'opération."
