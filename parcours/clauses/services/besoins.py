"""Les besoins : le facilitateur enregistre un poste à pourvoir, le diffuse aux référents et
prescripteurs du PLIE, le clôt."""

from django.db import transaction
from django.utils import timezone

from parcours.clauses.enums import StatutBesoin
from parcours.clauses.models import Besoin
from parcours.core.enums import Role
from parcours.core.errors import (
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE, Membership, User
from parcours.courriels.services import envoyer_courriel


def _exiger_facilitateur(par, plie_id: int, action: str) -> None:
    if not par.has_perm("core.faciliter", PLIE(pk=plie_id)):
        raise TransitionNonAutorisee(
            f"Vous ne pouvez pas {action} : c'est le rôle du facilitateur clauses du PLIE."
        )


@transaction.atomic
def enregistrer_besoin(*, par, marche, **donnees) -> Besoin:
    """Le facilitateur enregistre un poste que l'attributaire veut pourvoir ; il en est chargé."""
    _exiger_facilitateur(par, marche.plie_id, "enregistrer un besoin")
    lot = donnees.get("lot")
    if lot is not None and lot.marche_id != marche.pk:
        raise DonneesTransitionInvalides("Ce lot n'appartient pas au marché choisi.")
    return Besoin.objects.create(marche=marche, facilitateur=par, **donnees)


def destinataires_opportunites(plie_id: int):
    """Les référents et prescripteurs actifs du PLIE : ils reçoivent les besoins (001:L4343)."""
    ids = (
        Membership.objects.actives()
        .filter(
            structure__plie_id=plie_id,
            role__in=[Role.REFERENT, Role.REFERENT_ETAPE, Role.PRESCRIPTEUR],
        )
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def diffuser_besoin(besoin: Besoin, *, par, url: str = ""):
    """Envoie l'opportunité aux référents et prescripteurs du PLIE (un courriel, gardé)."""
    _exiger_facilitateur(par, besoin.marche.plie_id, "diffuser un besoin")
    if besoin.statut != StatutBesoin.OUVERT:
        raise TransitionInterdite("Seul un besoin ouvert se diffuse.")
    marche = besoin.marche
    periode = f"à partir du {besoin.date_debut:%d/%m/%Y}"
    if besoin.date_fin:
        periode += f" jusqu'au {besoin.date_fin:%d/%m/%Y}"
    corps = (
        f"Bonjour,\n\nUne offre au titre d'une clause sociale d'insertion est ouverte :\n\n"
        f"Poste : {besoin.poste} ({besoin.nb_postes} poste(s))\n"
        f"Contrat : {besoin.get_type_contrat_display()}, {periode}\n"
        f"Marché : {marche.numero} — {marche.intitule}\n"
        f"Entreprise : {marche.attributaire or 'à préciser'}\n\n"
        f"{besoin.description}\n\n"
        "Proposez vos candidats (participants du PLIE ou autres personnes éligibles) depuis "
        f"l'application{' : ' + url if url else ''}.\n\n"
        f"{par.get_full_name() or par.username}, facilitateur clauses"
    )
    courriel = envoyer_courriel(
        destinataires=list(destinataires_opportunites(marche.plie_id)),
        sujet=f"Clause sociale : {besoin.poste} — {marche.numero}",
        corps=corps,
        par=par,
    )
    maintenant = timezone.now()
    Besoin.objects.filter(pk=besoin.pk).update(diffuse_le=maintenant, updated_at=maintenant)
    besoin.diffuse_le = maintenant
    return courriel


@transaction.atomic
def clore_besoin(besoin: Besoin, *, par, pourvu: bool) -> Besoin:
    _exiger_facilitateur(par, besoin.marche.plie_id, "clore un besoin")
    besoin = Besoin.objects.select_for_update().get(pk=besoin.pk)
    if besoin.statut != StatutBesoin.OUVERT:
        raise TransitionInterdite("Ce besoin est déjà clos.")
    besoin.statut = StatutBesoin.POURVU if pourvu else StatutBesoin.CLOS
    besoin.save(update_fields=["statut", "updated_at"])
    return besoin
