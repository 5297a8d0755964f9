"""Ce qu'une suspension reprise laisse à côté d'elle (docs/reprise.md, « suspensions ») :

- ses **renouvellements** (`RenouvellementSuspension`), lus dans la colonne
  `fins_prevues_precedentes` : les fins prévues successives avant la dernière (`date_fin_prevue`),
  chaque renouvellement repoussant l'une à la suivante ;
- ses **lignes de journal** du parcours (`suspendre`, puis `reprendre` si elle est levée), à leurs
  dates d'origine, au nom du compte de la reprise, le motif commençant par « Repris de … ».

Une ligne inchangée à la relance n'écrit rien ; une ligne modifiée ajoute les lignes de journal
qui lui manquent (jamais d'effacement) et remplace les renouvellements qu'elle a repris.
"""

from itertools import pairwise

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.accompagnement.enums import MotifSuspension, Statut
from parcours.accompagnement.models import (
    RenouvellementSuspension,
    Suspension,
    TransitionParcours,
)
from parcours.reprise.journal import _le, ligne_reprise

CHAMP = "fins_prevues_precedentes"
TRANSITIONS = ("suspendre", "reprendre")


def controler_renouvellements(lecteur, numero, v) -> None:
    """Remplace le texte de la colonne par le tuple de ses dates ; colonne vide : la clé est
    retirée (l'empreinte d'une ligne reste celle d'avant la colonne)."""
    brute = v.pop(CHAMP, "")
    if not brute:
        return
    fins = []
    for morceau in brute.replace("|", ",").split(","):
        if morceau.strip():
            jour = lecteur._date(numero, CHAMP, morceau.strip())
            if jour is None:
                return
            fins.append(jour)
    v[CHAMP] = tuple(fins)
    if fins and fins[0] < v["date_debut"]:
        lecteur.refuser(
            numero,
            CHAMP,
            f"fin prévue précédente ({fins[0]:%d/%m/%Y}) avant le début "
            f"({v['date_debut']:%d/%m/%Y})",
        )
    suite = [*fins, v["date_fin_prevue"]]
    for avant, apres in pairwise(suite):
        if apres <= avant:
            lecteur.refuser(
                numero,
                CHAMP,
                f"un renouvellement repousse la fin prévue : le {apres:%d/%m/%Y} ne vient pas "
                f"après le {avant:%d/%m/%Y} (dates dans l'ordre, la dernière étant la fin prévue)",
            )
            break


def nombre_de_renouvellements(v) -> int:
    return len(v.get(CHAMP, ()))


def _origine(v, libelle) -> str:
    return f"Repris de {libelle} (suspension {v['source_id']})"


def _renouvellements(suspension_id, v, par, libelle) -> list[RenouvellementSuspension]:
    """Daté de la fin qu'il repousse, au plus tard la levée (ou aujourd'hui) : la date du geste
    n'est pas dans le format."""
    suite = [*v.get(CHAMP, ()), v["date_fin_prevue"]]
    borne = v["date_fin"] or timezone.localdate()
    return [
        RenouvellementSuspension(
            suspension_id=suspension_id,
            ancienne_fin=ancienne,
            nouvelle_fin=nouvelle,
            par=par,
            le=_le(min(ancienne, borne)),
            motif=_origine(v, libelle),
        )
        for ancienne, nouvelle in pairwise(suite)
    ]


def _journal(parcours_id, v, par, libelle) -> list[TransitionParcours]:
    origine = _origine(v, libelle)
    quoi = MotifSuspension(v["motif"]).label + (f" : {v['precision']}" if v["precision"] else "")

    def ligne(transition, date, source, cible, texte):
        motif = f"{origine} : {texte}"
        return ligne_reprise(parcours_id, par, date, source, cible, motif, transition)

    lignes = [ligne("suspendre", v["date_debut"], Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, quoi)]
    if v["date_fin"]:
        lignes.append(
            ligne("reprendre", v["date_fin"], Statut.SUSPENDU, Statut.EN_ACCOMPAGNEMENT, "levée")
        )
    return lignes


def _cle(ligne) -> tuple:
    return ligne.transition, ligne.at, ligne.motif.partition(" : ")[0]


def ecrire_a_cote(parcours_ids, creees, modifiees, par, libelle) -> None:
    """`creees`, `modifiees` : (id de la suspension, valeurs lues). Rien à écrire : aucune
    requête (relance identique)."""
    journal = [x for _, v in creees for x in _journal(parcours_ids[v["parcours"]], v, par, libelle)]
    renouvellements = [x for pk, v in creees for x in _renouvellements(pk, v, par, libelle)]
    if modifiees:
        ids = {parcours_ids[v["parcours"]] for _, v in modifiees}
        deja = {
            _cle(x)
            for x in TransitionParcours.objects.filter(
                parcours_id__in=ids, transition__in=TRANSITIONS
            ).only("transition", "at", "motif")
        }
        journal += [
            x
            for _, v in modifiees
            for x in _journal(parcours_ids[v["parcours"]], v, par, libelle)
            if _cle(x) not in deja
        ]
        # Les renouvellements repris sont remplacés ; ceux saisis à l'écran restent.
        suspensions = [pk for pk, _ in modifiees]
        RenouvellementSuspension.objects.filter(suspension_id__in=suspensions, par=par).delete()
        renouvellements += [x for pk, v in modifiees for x in _renouvellements(pk, v, par, libelle)]
    TransitionParcours.objects.bulk_create(journal)
    RenouvellementSuspension.objects.bulk_create(renouvellements)
    if modifiees:
        compte = (
            RenouvellementSuspension.objects.filter(suspension_id=OuterRef("pk"))
            .values("suspension_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Suspension.objects.filter(pk__in=suspensions).update(
            renouvellements=Coalesce(Subquery(compte), 0)
        )
