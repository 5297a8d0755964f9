from parcours.accompagnement.suivi import expirer_delegations
from parcours.core.periodiques import CommandePeriodique


class Command(CommandePeriodique):
    help = (
        "Intérims : retire l'accès des suppléants aux intérims échus, l'accorde à ceux qui "
        "commencent, suit les portefeuilles des intérims en cours (à lancer chaque jour). "
        "Une seule passe à la fois sur tous les nœuds ; requêtes en nombre constant."
    )

    def passe(self, passe, **options):
        echues = expirer_delegations()
        return f"{echues} intérim(s) arrivé(s) à échéance."
