"""La reprise depuis l'écran de l'administrateur du PLIE : un aperçu (le contrôle à blanc des
fichiers déposés), puis la confirmation qui reprend les mêmes fichiers (docs/reprise.md,
« Depuis l'écran »). Chaque étape est journalisée : qui, quand, quels fichiers, quels comptes.
"""

from dataclasses import asdict

from parcours.reprise import depot as depots
from parcours.reprise.classeur import ecrire_rapport_xlsx
from parcours.reprise.correspondance import lire_correspondance
from parcours.reprise.rapport import Rapport, RepriseRefusee
from parcours.reprise.service import DossierIllisible, reprendre
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer


def rapport_en_donnees(rapport: Rapport) -> dict:
    """Ce que l'écran montre du rapport, en types simples (gardé en JSON dans le dépôt)."""
    return {
        "source": rapport.source,
        "dry_run": rapport.dry_run,
        "comptes": [{"entite": e.label, **asdict(c)} for e, c in rapport.comptes.items()],
        "refus": [asdict(r) for r in rapport.refus],
        "liens": [asdict(lien) for lien in rapport.liens],
        "fichiers_absents": rapport.fichiers_absents,
    }


def resume_du_rapport(rapport: Rapport) -> str:
    comptes = "; ".join(
        f"{e.label} {c.crees} créés {c.mis_a_jour} maj {c.inchanges} inchangés {c.refuses} refusés"
        for e, c in rapport.comptes.items()
    )
    return f"{comptes}; {len(rapport.refus)} refus"


def _tracer(user, plie, depot, etape: str, rapport: Rapport | None = None, erreur=""):
    detail = f"{etape} — fichiers : {', '.join(depot.meta['noms'])} — "
    detail += f"correspondance : {depot.meta['correspondance']} — "
    detail += resume_du_rapport(rapport) if rapport else erreur
    tracer(
        TypeTrace.ADMINISTRATION,
        user=user,
        plie=plie,
        objet_type="reprise",
        objet_id=depot.jeton[:50],
        detail=detail[:500],
    )


def _garder_rapport(depot, rapport: Rapport, etat: str):
    (depot.dossier / "rapport.xlsx").unlink(missing_ok=True)
    ecrire_rapport_xlsx(rapport, depot.dossier / "rapport.xlsx")
    depot.enregistrer(etat=etat, rapport=rapport_en_donnees(rapport))


def _passer(plie, depot, dossier, *, dry_run):
    """(rapport, état du dépôt) ; une erreur de dossier devient un refus du rapport."""
    correspondance = lire_correspondance(
        (depot.dossier / "correspondance.yaml").read_text(encoding="utf-8")
    )
    try:
        rapport = reprendre(plie, correspondance, dossier, dry_run=dry_run)
    except RepriseRefusee as exc:
        return exc.rapport, "refuse"
    except DossierIllisible:
        rapport = Rapport(source=correspondance.libelle, dry_run=dry_run)
        rapport.fichiers_absents = [
            f"{c.fichier}.csv ou {c.fichier}.xlsx" for c in correspondance.entites.values()
        ]
        return rapport, "refuse"
    return rapport, ("apercu" if dry_run else "confirme")


def apercevoir(plie, user, fichiers, correspondance: str, nom_correspondance: str):
    """Dépose les fichiers (déjà dépliés, correspondance déjà validée) et fait le contrôle à
    blanc. Refusé : les fichiers sont supprimés aussitôt, seul le rapport reste."""
    depot = depots.deposer(plie, user, fichiers, correspondance, nom_correspondance)
    rapport, etat = _passer(plie, depot, depot.fichiers, dry_run=True)
    if etat == "refuse":
        depot.supprimer_fichiers()
    _garder_rapport(depot, rapport, etat)
    _tracer(user, plie, depot, "aperçu" if etat == "apercu" else "aperçu refusé", rapport)
    return depot


def confirmer(plie, user, depot):
    """La vraie reprise des fichiers de l'aperçu ; `DepotDejaPris` ou `DepotPerime` sinon."""
    try:
        dossier = depots.prendre(depot)
    except depots.DepotPerime:
        _tracer(user, plie, depot, "confirmation refusée", erreur="aperçu périmé")
        depot.enregistrer(etat="perime")
        raise
    try:
        rapport, etat = _passer(plie, depot, dossier, dry_run=False)
        _garder_rapport(depot, rapport, etat)
    finally:
        depot.supprimer_fichiers()
    _tracer(user, plie, depot, "reprise" if etat == "confirme" else "reprise refusée", rapport)
    return depot


def rapport_depuis(depot) -> dict | None:
    return depot.meta.get("rapport")


def classeur(depot):
    chemin = depot.dossier / "rapport.xlsx"
    return chemin if chemin.is_file() else None
