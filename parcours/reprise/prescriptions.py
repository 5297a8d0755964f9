"""Reprendre les prescriptions (motif, structure prescriptrice, statuts déclarés) et la décision
de la commission d'entrée.

Une décision (`commissions.Decision`) appartient à une séance : la reprise n'invente pas de
séance passée. La décision reprise est une ligne de journal du parcours (`repris`, de « en
commission d'entrée » vers la décision, à la date de la décision, avec son motif) ; l'état du
parcours reste celui du fichier des parcours. La structure prescriptrice ouvre le parcours aux
prescripteurs de cette structure, comme une prescription saisie.
"""

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, Prescription, StatutDeclare, TransitionParcours
from parcours.participants.normalisation import normaliser
from parcours.reprise.comptes import structures_du_plie
from parcours.reprise.enums import Entite
from parcours.reprise.journal import TRANSITION, ligne_reprise
from parcours.reprise.objets import ecrire_objets, lire_lignes

DECISIONS_MOTIVEES = (Statut.AJOURNE, Statut.REFUSE)


def lire_prescriptions(tableau, correspondance, contexte, parcours_du_fichier):
    par_parcours = {}

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        nom = v["structure_prescriptrice"]
        if nom and normaliser(nom) not in contexte.structures:
            lecteur.refuser(
                numero, "structure_prescriptrice", f"structure « {nom} » inconnue de ce PLIE"
            )
        if v["decision"] and v["date_decision"] is None:
            lecteur.refuser(numero, "date_decision", "date obligatoire pour une décision")
        if v["date_decision"] and not v["decision"]:
            lecteur.refuser(numero, "decision", "une date de décision sans décision")
        if v["decision"] in DECISIONS_MOTIVEES and not v["motif_decision"]:
            lecteur.refuser(
                numero, "motif_decision", f"motif obligatoire pour la décision « {v['decision']} »"
            )
        if v["parcours"] in par_parcours:
            lecteur.refuser(
                numero,
                "parcours",
                f"une seule prescription par parcours (déjà ligne {par_parcours[v['parcours']]})",
            )
        par_parcours.setdefault(v["parcours"], numero)
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)


def _ligne_de_decision(parcours_id, v, par, libelle):
    motif = f" : {v['motif_decision']}" if v["motif_decision"] else ""
    return ligne_reprise(
        parcours_id,
        par,
        v["date_decision"],
        Statut.EN_COMMISSION_ENTREE,
        v["decision"],
        f"Repris de {libelle} (prescription {v['source_id']}) : décision de la "
        f"commission d'entrée « {Statut(v['decision']).label} »{motif}",
    )


def ecrire_prescriptions(plie, correspondance, fichier, lignes, parcours_ids, par, rapport):
    libelle = correspondance.libelle
    structures = structures_du_plie(plie)

    def construire(v):
        return {
            "parcours_id": parcours_ids[v["parcours"]],
            "motif": v["motif"] or f"Repris de {libelle}",
        }

    def structure(v):
        nom = v["structure_prescriptrice"]
        return structures[normaliser(nom)] if nom else None

    def statuts(prescription_id, v):
        return [StatutDeclare(prescription_id=prescription_id, code=c) for c in v["statuts"]]

    def apres_mise_a_jour(prescription_id, v):
        # Lignes modifiées seulement : une écriture par ligne est admise.
        parcours_id = parcours_ids[v["parcours"]]
        StatutDeclare.objects.filter(prescription_id=prescription_id).delete()
        StatutDeclare.objects.bulk_create(statuts(prescription_id, v))
        Parcours.objects.filter(pk=parcours_id).update(structure_prescriptrice=structure(v))
        if v["decision"]:
            nouvelle = _ligne_de_decision(parcours_id, v, par, libelle)
            deja = TransitionParcours.objects.filter(
                parcours_id=parcours_id, transition=TRANSITION, motif=nouvelle.motif, at=nouvelle.at
            )
            if not deja.exists():
                nouvelle.save()

    crees, refus = ecrire_objets(
        plie,
        correspondance.source,
        Entite.PRESCRIPTION,
        Prescription,
        fichier,
        lignes,
        rapport,
        construire,
        apres_mise_a_jour=apres_mise_a_jour,
    )
    if refus:
        return refus
    StatutDeclare.objects.bulk_create(
        s for ligne, prescription in crees for s in statuts(prescription.pk, ligne.valeurs)
    )
    Parcours.objects.bulk_update(
        [
            Parcours(pk=prescription.parcours_id, structure_prescriptrice=structure(ligne.valeurs))
            for ligne, prescription in crees
            if ligne.valeurs["structure_prescriptrice"]
        ],
        ["structure_prescriptrice"],
    )
    TransitionParcours.objects.bulk_create(
        _ligne_de_decision(prescription.parcours_id, ligne.valeurs, par, libelle)
        for ligne, prescription in crees
        if ligne.valeurs["decision"]
    )
    return []
