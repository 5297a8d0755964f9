"""Reprendre les suspensions (veille) des parcours : début, fin prévue, motif, levée (`date_fin`,
vide : en cours). Contrôlées comme au service de suspension (docs/accompagnement.md) et contre
l'état des parcours : une suspension en cours n'existe que sur un parcours `suspendu`, et un
parcours `suspendu` en a une dès que le fichier des suspensions est fourni."""

from django.utils import timezone

from parcours.accompagnement.enums import MotifSuspension, Statut
from parcours.accompagnement.models import Suspension
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Refus
from parcours.reprise.models import Provenance
from parcours.reprise.objets import ecrire_objets, lire_lignes, provenances
from parcours.reprise.veilles import (
    controler_renouvellements,
    ecrire_a_cote,
    nombre_de_renouvellements,
)


def _chevauche(debut, fin, autre_debut, autre_fin) -> bool:
    """Périodes [début, levée) : une levée le jour où l'autre commence ne chevauche pas ; sans
    levée, la période est ouverte."""
    return (fin is None or autre_debut < fin) and (autre_fin is None or debut < autre_fin)


def lire_suspensions(tableau, correspondance, contexte, parcours_du_fichier):
    periodes = {}  # parcours -> [(début, levée, ligne)]
    aujourdhui = timezone.localdate()

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        debut, fin = v["date_debut"], v["date_fin"]
        if v["date_fin_prevue"] < debut:
            lecteur.refuser(
                numero,
                "date_fin_prevue",
                f"fin prévue ({v['date_fin_prevue']:%d/%m/%Y}) avant le début ({debut:%d/%m/%Y})",
            )
        if fin and fin < debut:
            lecteur.refuser(
                numero, "date_fin", f"levée ({fin:%d/%m/%Y}) avant le début ({debut:%d/%m/%Y})"
            )
        if fin and fin > aujourdhui:
            lecteur.refuser(numero, "date_fin", "une levée ne peut pas être datée dans le futur")
        if debut > aujourdhui:
            lecteur.refuser(
                numero, "date_debut", "une suspension commence au plus tard aujourd'hui"
            )
        if v["motif"] == MotifSuspension.AUTRE and not v["precision"]:
            lecteur.refuser(numero, "precision", "précision obligatoire pour le motif « autre »")
        controler_renouvellements(lecteur, numero, v)
        if len(lecteur.refus) == avant:
            for autre_debut, autre_fin, autre in periodes.get(v["parcours"], []):
                if _chevauche(debut, fin, autre_debut, autre_fin):
                    lecteur.refuser(
                        numero,
                        "date_debut",
                        f"chevauche la suspension de la ligne {autre} dans le même parcours",
                    )
                    break
        if len(lecteur.refus) == avant:
            periodes.setdefault(v["parcours"], []).append((debut, fin, numero))
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)


def _parcours_repris(plie, source, ids) -> dict:
    """Identifiant dans la source -> parcours déjà repris (une requête)."""
    return {
        p.source_id: p.parcours
        for p in Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARCOURS, source_id__in=ids
        ).select_related("parcours")
    }


def controler_etats(plie, source, suspensions, parcours, fichiers, colonnes):
    """Les suspensions contre les parcours (du passage, sinon en base) et contre les suspensions
    déjà en base que le fichier ne remplace pas. `fichiers`, `colonnes` : par entité. Rend (refus
    des suspensions, refus des parcours)."""
    etats = {
        ligne.valeurs["source_id"]: (ligne.valeurs["statut"], ligne.valeurs["date_entree"])
        for ligne in parcours
    }
    # Les parcours cités, et les parcours suspendus du passage (leur suspension en cours peut
    # être en base, reprise avant ou saisie à l'écran).
    cites = {ligne.valeurs["parcours"] for ligne in suspensions} | {
        sid for sid, (statut, _) in etats.items() if statut == Statut.SUSPENDU
    }
    repris = _parcours_repris(plie, source, cites)
    for sid, p in repris.items():
        etats.setdefault(sid, (p.statut, p.date_entree))
    # En base, hors celles que ce fichier réécrit : saisies à l'écran, ou reprises avant.
    du_fichier = {ligne.valeurs["source_id"] for ligne in suspensions}
    remplacees = {
        prov.objet_id
        for sid, prov in provenances(plie, source, Entite.SUSPENSION).items()
        if sid in du_fichier
    }
    par_pk = {p.pk: sid for sid, p in repris.items()}
    en_base = {}
    for s in Suspension.objects.filter(parcours_id__in=list(par_pk)).exclude(pk__in=remplacees):
        en_base.setdefault(par_pk[s.parcours_id], []).append(s)
    fichier, colonne = fichiers[Entite.SUSPENSION], colonnes[Entite.SUSPENSION]
    refus, derniere, en_cours = [], {}, set()
    for ligne in suspensions:
        v = ligne.valeurs
        statut, entree = etats[v["parcours"]]
        derniere[v["parcours"]] = ligne.numero
        refuser = _refuseur(refus, fichier, ligne.numero, colonne)
        if v["date_fin"] is None:
            en_cours.add(v["parcours"])
            if statut != Statut.SUSPENDU:
                refuser(
                    "date_fin",
                    f"suspension en cours (sans levée) sur un parcours « {Statut(statut).label} » "
                    ": seul un parcours suspendu en a une",
                )
        if entree is None:
            refuser("parcours", "le parcours n'est pas entré en accompagnement")
        elif v["date_debut"] < entree:
            refuser(
                "date_debut",
                f"début ({v['date_debut']:%d/%m/%Y}) avant l'entrée du parcours "
                f"({entree:%d/%m/%Y})",
            )
        for s in en_base.get(v["parcours"], []):
            if _chevauche(v["date_debut"], v["date_fin"], s.debut, s.levee_le):
                refuser("date_debut", f"chevauche la suspension du {s.debut:%d/%m/%Y} en base")
                break
    en_cours |= {sid for sid, liste in en_base.items() if any(s.en_cours for s in liste)}
    refus_parcours = []
    raison = (
        "parcours suspendu sans suspension en cours (levée vide) dans le fichier des suspensions"
    )
    du_passage = {ligne.valeurs["source_id"] for ligne in parcours}
    for ligne in parcours:
        if (
            ligne.valeurs["statut"] == Statut.SUSPENDU
            and ligne.valeurs["source_id"] not in en_cours
        ):
            colonne_statut = colonnes[Entite.PARCOURS]("statut")
            refus_parcours.append(
                Refus(fichiers[Entite.PARCOURS], ligne.numero, colonne_statut, raison)
            )
    # Un parcours repris avant, cité par ce fichier : refusé sur sa dernière suspension.
    for sid, numero in derniere.items():
        if sid not in du_passage and etats[sid][0] == Statut.SUSPENDU and sid not in en_cours:
            refus.append(Refus(fichier, numero, colonne("date_fin"), raison))
    return refus, refus_parcours


def _refuseur(refus, fichier, numero, colonne):
    def refuser(champ, raison):
        refus.append(Refus(fichier, numero, colonne(champ), raison))

    return refuser


def ecrire_suspensions(
    plie, source, fichier, lignes, parcours_ids, par, rapport, changes=None, libelle=""
):
    """Rend les refus découverts contre la base. `changes` reçoit les parcours dont une
    suspension a été créée ou modifiée : leur minuteur de fin de suspension est à (re)placer.
    Leurs lignes de journal et leurs renouvellements suivent (`veilles`)."""
    changes = [] if changes is None else changes
    modifiees = []

    def apres_mise_a_jour(objet_id, v):
        changes.append(parcours_ids[v["parcours"]])
        modifiees.append((objet_id, v))

    def construire(v):
        return {
            "parcours_id": parcours_ids[v["parcours"]],
            "motif": v["motif"],
            "precision": v["precision"],
            "debut": v["date_debut"],
            "fin_prevue": v["date_fin_prevue"],
            "renouvellements": nombre_de_renouvellements(v),
            "levee_le": v["date_fin"],
            "levee_par": par if v["date_fin"] else None,
            "par": par,
        }

    crees, refus = ecrire_objets(
        plie,
        source,
        Entite.SUSPENSION,
        Suspension,
        fichier,
        lignes,
        rapport,
        construire,
        apres_mise_a_jour=apres_mise_a_jour,
    )
    if refus:
        return refus
    changes += [objet.parcours_id for _, objet in crees]
    creees = [(objet.pk, ligne.valeurs) for ligne, objet in crees]
    ecrire_a_cote(parcours_ids, creees, modifiees, par, libelle)
    return refus
