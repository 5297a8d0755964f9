"""Les contrôles communs aux services des relations entreprises : le droit de gérer le réseau,
les offres et les événements d'un PLIE (`par.has_perm(...)`, la politique d'accès répond), et la
validation des champs saisis."""

from parcours.core.models import PLIE
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee


def exiger_gestion_entreprises(par, plie_id):
    if not par.has_perm("core.gerer_entreprises", PLIE(pk=plie_id)):
        raise ActionEntrepriseNonAutorisee(
            "Vous n'avez pas le droit de gérer les entreprises de ce PLIE."
        )


def exiger_gestion_offres(par, plie_id):
    if not par.has_perm("core.gerer_offres", PLIE(pk=plie_id)):
        raise ActionEntrepriseNonAutorisee(
            "Vous n'avez pas le droit de gérer les offres et événements de ce PLIE."
        )


def valider(objet, exclude=()):
    """`full_clean` sans les champs gérés par les services (clés posées par le code)."""
    objet.full_clean(exclude=list(exclude))
