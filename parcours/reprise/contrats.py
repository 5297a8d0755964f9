"""Reprendre les contrats des participants : type (table `valeurs.type` vers les types du
projet), employeur, dates, heures par semaine. Deux contrats qui se chevauchent chez le même
employeur dans un parcours sont refusés, comme à la saisie (la base le garantit aussi)."""

from decimal import Decimal, InvalidOperation

from django.db.models import F

from parcours.emploi.models import Contrat
from parcours.reprise.enums import Entite
from parcours.reprise.objets import ecrire_objets, lire_lignes

HEURES_MAX = Decimal("99.99")


def _heures(brute: str) -> Decimal | None:
    try:
        heures = Decimal(str(brute).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    if not heures.is_finite() or heures <= 0 or heures > HEURES_MAX:
        return None
    return heures.quantize(Decimal("0.01"))


def lire_contrats(tableau, correspondance, contexte, parcours_du_fichier):
    periodes = {}  # (parcours, employeur) -> [(début, fin, ligne)]

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        if v["heures_hebdo"]:
            heures = _heures(v["heures_hebdo"])
            if heures is None:
                lecteur.refuser(
                    numero,
                    "heures_hebdo",
                    f"« {v['heures_hebdo']} » n'est pas un nombre d'heures par semaine "
                    "(ex. 35 ou 17,5 ; 99,99 au plus)",
                )
            v["heures_hebdo"] = heures
        else:
            v["heures_hebdo"] = None
        if v["fin"] and v["fin"] < v["debut"]:
            lecteur.refuser(
                numero, "fin", f"fin ({v['fin']:%d/%m/%Y}) avant le début ({v['debut']:%d/%m/%Y})"
            )
        cle = (v["parcours"], v["employeur"].lower())
        for debut, fin, autre in periodes.get(cle, []):
            if (fin is None or v["debut"] <= fin) and (v["fin"] is None or debut <= v["fin"]):
                lecteur.refuser(
                    numero,
                    "debut",
                    f"chevauche le contrat de la ligne {autre} chez le même employeur",
                )
                break
        if len(lecteur.refus) == avant:
            periodes.setdefault(cle, []).append((v["debut"], v["fin"], numero))
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)


def ecrire_contrats(plie, source, fichier, lignes, parcours_ids, par, rapport, changes=None):
    """Rend les refus découverts contre la base. `changes` reçoit les parcours dont un contrat a
    été créé ou modifié : leur minuteur de sortie et le suivi des contrats sont à revoir."""
    changes = [] if changes is None else changes

    def construire(v):
        return {
            "parcours_id": parcours_ids[v["parcours"]],
            "type": v["type"],
            "employeur": v["employeur"],
            "client": v["client"],
            "debut": v["debut"],
            "fin": v["fin"],
            "heures_hebdo": v["heures_hebdo"],
            "motif_fin": v["motif_fin"],
            "created_by": par,
        }

    crees, refus = ecrire_objets(
        plie,
        source,
        Entite.CONTRAT,
        Contrat,
        fichier,
        lignes,
        rapport,
        construire,
        a_la_mise_a_jour={"updated_by": par, "version": F("version") + 1},
        apres_mise_a_jour=lambda _, v: changes.append(parcours_ids[v["parcours"]]),
    )
    changes += [objet.parcours_id for _, objet in crees]
    return refus
