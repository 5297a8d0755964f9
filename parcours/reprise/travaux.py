"""La reprise confirmée à l'écran, faite en tâche de fond (docs/reprise.md, « En tâche de fond »).

Sans autre service que la base : un `TravailReprise` par confirmation, ses fichiers gardés par le
stockage des documents (disque partagé ou S3 : le nœud qui exécute n'est pas forcément celui qui a
reçu le dépôt). La commande `executer_reprises`, lancée par la boucle périodique de chaque nœud,
prend le plus ancien travail en attente par `SELECT … FOR UPDATE SKIP LOCKED` : deux nœuds ne
prennent jamais le même, et chacun peut en exécuter un autre pendant ce temps. L'exécution est
celle de la commande `reprendre` (`service.reprendre`) : tout ou rien.
"""

import datetime
import logging
import socket
import tempfile
import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from parcours.courriels.services import envoyer_courriel
from parcours.reprise import depot as depots
from parcours.reprise.apercu import rapport_en_donnees, resume_du_rapport
from parcours.reprise.classeur import ecrire_rapport_xlsx
from parcours.reprise.correspondance import lire_correspondance
from parcours.reprise.models import EtatTravail, TravailReprise
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import DossierIllisible, reprendre
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

logger = logging.getLogger(__name__)

# Au-delà de ce nombre de lignes (toutes entités de l'aperçu), la confirmation passe en tâche
# de fond ; en deçà, elle reste dans la requête (quelques secondes au plus : docs/reprise.md).
# `PLIE_REPRISE_SEUIL_FOND` le change (0 : toujours en fond).
SEUIL_FOND = 5_000
# Un travail en cours dont la ligne n'est plus verrouillée (le processus qui l'exécute la tient
# pendant toute la reprise) et pris depuis plus longtemps a perdu son processus (nœud arrêté,
# tué) : PostgreSQL a annulé sa transaction, rien n'est écrit ; il est marqué échoué.
DUREE_MAX = datetime.timedelta(hours=1)
# Le rapport (ses refus nomment des personnes) et son classeur sont supprimés après ce délai ;
# la ligne du travail reste (qui, quand, quels fichiers, état) comme la trace au journal.
CONSERVATION_RAPPORT = datetime.timedelta(days=30)
MOTIF_INTERROMPU = (
    "Reprise interrompue (le serveur qui l'exécutait s'est arrêté). Rien n'a été enregistré : "
    "déposez à nouveau les fichiers."
)


def seuil_fond() -> int:
    return getattr(settings, "PLIE_REPRISE_SEUIL_FOND", SEUIL_FOND)


def lignes_de(rapport: dict | None) -> int:
    """Le nombre de lignes lues par l'aperçu, toutes entités."""
    comptes = (rapport or {}).get("comptes", [])
    return sum(c["crees"] + c["mis_a_jour"] + c["inchanges"] + c["refuses"] for c in comptes)


def en_fond(depot) -> bool:
    return lignes_de(depot.meta.get("rapport")) > seuil_fond()


def _nom_de_stockage(nom: str) -> str:
    extension = PurePath(nom).suffix.lower()
    return f"reprise/{timezone.localdate():%Y}/{uuid.uuid4().hex}{extension}"


def _tracer(travail: TravailReprise, etape: str, suite: str):
    detail = f"{etape} (travail {travail.pk}) — fichiers : {', '.join(travail.noms)} — "
    detail += f"correspondance : {travail.correspondance_nom} — {suite}"
    tracer(
        TypeTrace.ADMINISTRATION,
        user=travail.lance_par,
        plie=travail.plie,
        objet_type="reprise",
        objet_id=travail.jeton[:50],
        detail=detail[:500],
    )


def mettre_en_fond(plie, user, depot) -> TravailReprise:
    """Prend les fichiers de l'aperçu (une seule fois : `DepotDejaPris`, `DepotPerime`), les
    range dans le stockage et crée le travail en attente. Le dépôt ne garde que son rapport."""
    dossier = depots.prendre(depot)
    try:
        fichiers = {}
        for chemin in sorted(dossier.iterdir()):
            fichiers[chemin.name] = default_storage.save(
                _nom_de_stockage(chemin.name), ContentFile(chemin.read_bytes())
            )
        travail = TravailReprise.objects.create(
            plie=plie,
            lance_par=user,
            jeton=depot.jeton,
            correspondance=(depot.dossier / "correspondance.yaml").read_text(encoding="utf-8"),
            correspondance_nom=depot.meta["correspondance"][:200],
            fichiers=fichiers,
            noms=sorted(fichiers),
            lignes=lignes_de(depot.meta.get("rapport")),
        )
    finally:
        depot.supprimer_fichiers()
    depot.enregistrer(etat="en_fond", travail=travail.pk)
    _tracer(travail, "reprise mise en file", f"{travail.lignes} lignes")
    return travail


def prendre_un_travail(noeud: str = "") -> TravailReprise | None:
    """Le plus ancien travail en attente, passé « en cours » pour ce nœud ; `None` s'il n'y en
    a pas ou si tous sont en train d'être pris ailleurs (SKIP LOCKED : on n'attend personne)."""
    with transaction.atomic():
        travail = (
            TravailReprise.objects.select_for_update(skip_locked=True)
            .filter(etat=EtatTravail.EN_ATTENTE)
            .order_by("lance_le", "pk")
            .first()
        )
        if travail is None:
            return None
        travail.etat = EtatTravail.EN_COURS
        travail.pris_le = timezone.now()
        travail.pris_par = (noeud or socket.gethostname())[:200]
        travail.save(update_fields=["etat", "pris_le", "pris_par"])
    return travail


def _telecharger(travail: TravailReprise, dossier: Path):
    for nom, stocke in travail.fichiers.items():
        with default_storage.open(stocke, "rb") as source:
            (dossier / PurePath(nom).name).write_bytes(source.read())


def _supprimer_fichiers(travail: TravailReprise):
    for stocke in travail.fichiers.values():
        default_storage.delete(stocke)
    travail.fichiers = {}


def _finir(travail, etat, rapport=None, motif=""):
    travail.etat = etat
    travail.fini_le = timezone.now()
    travail.rapport = rapport_en_donnees(rapport) if rapport else None
    travail.motif = motif
    travail.save(update_fields=["etat", "fini_le", "rapport", "motif"])


def _courriel(travail: TravailReprise):
    reussie = travail.etat == EtatTravail.TERMINEE
    sujet = f"Reprise d'historique {'terminée' if reussie else 'échouée'} — {travail.plie.nom}"
    corps = (
        f"La reprise lancée le {timezone.localtime(travail.lance_le):%d/%m/%Y à %H:%M} "
        f"({', '.join(travail.noms)}, correspondance {travail.correspondance_nom}) "
    )
    if reussie:
        corps += "est terminée.\n\n" + resume_du_rapport_texte(travail.rapport)
    else:
        corps += f"a échoué : rien n'a été enregistré.\n\n{travail.motif}"
    corps += "\n\nLe rapport est dans Administration du PLIE → Reprise d'historique."
    return envoyer_courriel(destinataires=[travail.lance_par], sujet=sujet, corps=corps)


def resume_du_rapport_texte(rapport: dict | None) -> str:
    lignes = [
        f"{c['entite']} : {c['crees']} créé(s), {c['mis_a_jour']} mis à jour, "
        f"{c['inchanges']} inchangé(s), {c['refuses']} refusé(s)"
        for c in (rapport or {}).get("comptes", [])
        if c["crees"] + c["mis_a_jour"] + c["inchanges"] + c["refuses"]
    ]
    return "\n".join(lignes)


def _verrouiller(travail) -> bool:
    """Faux si le travail n'est plus en cours (marqué interrompu entre-temps)."""
    return bool(
        list(
            TravailReprise.objects.select_for_update()
            .filter(pk=travail.pk, etat=EtatTravail.EN_COURS)
            .values_list("pk", flat=True)
        )
    )


def executer(travail: TravailReprise) -> TravailReprise:
    """La reprise du travail pris, tout ou rien : le travail passe « terminée » dans la même
    transaction que les écritures de la reprise, ou « échouée » avec son motif et rien d'écrit."""
    rapport = None
    try:
        with tempfile.TemporaryDirectory(prefix="plie-reprise-") as dossier:
            _telecharger(travail, Path(dossier))
            correspondance = lire_correspondance(travail.correspondance)
            with transaction.atomic():
                # Verrou tenu jusqu'à la fin : la ligne verrouillée dit « processus vivant ».
                if not _verrouiller(travail):
                    travail.refresh_from_db()
                    return travail
                rapport = reprendre(travail.plie, correspondance, Path(dossier))
                _finir(travail, EtatTravail.TERMINEE, rapport)
    except RepriseRefusee as exc:
        rapport = exc.rapport
        motif = (
            f"Reprise refusée : {len(rapport.refus)} ligne(s) refusée(s), listée(s) dans le "
            "rapport. Rien n'a été enregistré (tout ou rien)."
        )
        _finir(travail, EtatTravail.ECHOUEE, rapport, motif)
    except DossierIllisible:
        _finir(travail, EtatTravail.ECHOUEE, motif="Aucun des fichiers attendus n'a été trouvé.")
    except Exception as exc:  # tout échec devient un motif lisible ; la transaction est annulée
        logger.exception("Échec du travail de reprise %s", travail.pk)
        motif = (
            f"Erreur inattendue pendant la reprise ({type(exc).__name__}). Rien n'a été "
            "enregistré ; l'équipe technique en a la trace."
        )
        rapport = None
        _finir(travail, EtatTravail.ECHOUEE, motif=motif)
    _apres(travail, rapport)
    return travail


def _apres(travail: TravailReprise, rapport):
    """Rapport en classeur, fichiers déposés supprimés, trace et courriel : hors de la
    transaction de la reprise (un échec ici ne défait pas une reprise faite)."""
    if rapport is not None:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as classeur:
            ecrire_rapport_xlsx(rapport, Path(classeur.name))
            travail.rapport_xlsx = default_storage.save(
                _nom_de_stockage("rapport.xlsx"), ContentFile(Path(classeur.name).read_bytes())
            )
    _supprimer_fichiers(travail)
    travail.courriel = _courriel(travail)
    travail.save(update_fields=["rapport_xlsx", "fichiers", "courriel"])
    if travail.etat == EtatTravail.TERMINEE:
        _tracer(travail, "reprise en fond", resume_du_rapport(rapport))
    else:
        _tracer(travail, "reprise en fond échouée", travail.motif)


def marquer_les_interrompus(maintenant=None) -> int:
    """Les travaux en cours depuis plus de `DUREE_MAX` dont personne ne tient la ligne :
    échoués (rien n'a été écrit). Ceux qu'un processus exécute encore sont sautés."""
    limite = (maintenant or timezone.now()) - DUREE_MAX
    with transaction.atomic():
        interrompus = list(
            TravailReprise.objects.select_for_update(skip_locked=True).filter(
                etat=EtatTravail.EN_COURS, pris_le__lt=limite
            )
        )
        for travail in interrompus:
            _finir(travail, EtatTravail.ECHOUEE, motif=MOTIF_INTERROMPU)
    for travail in interrompus:
        _apres(travail, None)
    return len(interrompus)


def purger_les_rapports(maintenant=None) -> int:
    """Les rapports des travaux finis depuis plus de `CONSERVATION_RAPPORT` : supprimés."""
    limite = (maintenant or timezone.now()) - CONSERVATION_RAPPORT
    anciens = TravailReprise.objects.filter(fini_le__lt=limite).exclude(
        rapport__isnull=True, rapport_xlsx=""
    )
    for nom in anciens.exclude(rapport_xlsx="").values_list("rapport_xlsx", flat=True):
        default_storage.delete(nom)
    return anciens.update(rapport=None, rapport_xlsx="")


def executer_les_travaux(noeud: str = "", maximum: int = 10) -> list[TravailReprise]:
    """Une passe : les travaux en attente, un à un, jusqu'à `maximum` (après la purge des
    rapports anciens et des travaux interrompus)."""
    purger_les_rapports()
    marquer_les_interrompus()
    faits = []
    while len(faits) < maximum and (travail := prendre_un_travail(noeud)) is not None:
        faits.append(executer(travail))
    return faits
