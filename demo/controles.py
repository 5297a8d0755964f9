"""Le contrôle de service fait de la démonstration (docs/controle.md) : dans chaque PLIE, un
compte `controleur.<plie>` (adhésion d'un an à la structure financeuse) et un échantillon de cinq
participants de la première opération d'accompagnement, tiré par la direction (graine fixe) et
ouvert au contrôleur pour trois mois. Hors de `COMPTES` : le jeu à l'échelle n'en a pas besoin."""

import datetime

from django.utils import timezone

from demo.donnees import DEMO_PASSWORD
from demo.fse import _structure
from parcours.core.enums import Role
from parcours.core.models import Membership, User
from parcours.reporting import controles
from parcours.reporting.models import ControleFse
from parcours.reporting.periode import periode

GRAINE = 2025
MOTIF = "Contrôle de service fait (démonstration)"


def charger_controle(plie, operation) -> ControleFse | None:
    """Idempotent : rien si le contrôle de démonstration de l'opération existe."""
    existant = ControleFse.objects.filter(operation=operation, motif=MOTIF).first()
    if existant is not None:
        return existant
    aujourdhui = timezone.localdate()
    username = f"controleur.{plie.code}"
    controleur, cree = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": "Sylvie",
            "last_name": "Blanc",
            "email": f"{username}@demo.plie.invalid",
        },
    )
    if cree:
        controleur.set_password(DEMO_PASSWORD)
        controleur.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=controleur,
        structure=_structure(plie, "financeur"),
        role=Role.CONTROLEUR,
        debut=aujourdhui,
        defaults={"fin": aujourdhui + datetime.timedelta(days=365)},
    )
    direction = User.objects.get(username=f"direction.{plie.code}")
    p = periode(datetime.date(aujourdhui.year - 1, 1, 1), aujourdhui)
    taille = min(5, controles.population(operation, p).count())
    if not taille:
        return None
    controle = controles.tirer(operation, p, taille, par=direction, motif=MOTIF, graine=GRAINE)
    controles.ouvrir(controle, controleur, aujourdhui + datetime.timedelta(days=90), par=direction)
    return controle
