"""Reprendre les étapes des parcours : le type de l'autre outil est traduit (table `valeurs.type`
de la correspondance) vers un type du catalogue d'étapes en vigueur du PLIE, dont l'étape recopie
libellé, catégorie et comptage, comme à la saisie. Chaque étape créée a sa ligne de journal, au
nom du compte de la reprise et à sa date de début."""

from django.db.models import F
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_ETAPE_A_JUSTIFIER, StatutEtape
from parcours.accompagnement.models import Etape, JournalEtape
from parcours.participants.normalisation import normaliser
from parcours.reprise.enums import Entite
from parcours.reprise.journal import _le
from parcours.reprise.objets import ecrire_objets, lire_lignes


def type_du_catalogue(catalogue, valeur):
    """Le type d'étape de ce code, ou de ce libellé du catalogue (casse et accents ignorés) :
    un export qui écrit les libellés du PLIE n'a pas besoin de table."""
    if catalogue is None:
        return None
    return catalogue.type(valeur) or next(
        (t for t in catalogue.types if normaliser(t.libelle) == normaliser(valeur)), None
    )


def lire_etapes(tableau, correspondance, contexte, parcours_du_fichier):
    catalogue = contexte.catalogue

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        type_etape = type_du_catalogue(catalogue, v["type"])
        if catalogue is None or not catalogue.types:
            lecteur.refuser(
                numero, "type", "le référentiel de ce PLIE n'a pas de catalogue d'étapes"
            )
        elif type_etape is None:
            lecteur.refuser(
                numero, "type", f"« {v['type']} » n'est pas un type d'étape du catalogue de ce PLIE"
            )
        else:
            v["type"] = type_etape.code
        aujourd_hui = timezone.localdate()
        if v["statut"] == StatutEtape.REALISEE and v["date_fin"] is None:
            lecteur.refuser(numero, "date_fin", "date de fin obligatoire pour une étape réalisée")
        elif v["statut"] == StatutEtape.REALISEE and v["date_fin"] > aujourd_hui:
            lecteur.refuser(
                numero, "date_fin", "une étape réalisée ne peut pas se terminer dans le futur"
            )
        # Comme à la saisie : une étape qui n'a pas commencé est encore « prévue ».
        if v["statut"] in STATUTS_ETAPE_A_JUSTIFIER and v["date_debut"] > aujourd_hui:
            lecteur.refuser(
                numero,
                "statut",
                f"une étape qui commence le {v['date_debut']:%d/%m/%Y} est encore « prévue »",
            )
        if v["date_fin"] and v["date_fin"] < v["date_debut"]:
            lecteur.refuser(
                numero,
                "date_fin",
                f"fin ({v['date_fin']:%d/%m/%Y}) avant le début ({v['date_debut']:%d/%m/%Y})",
            )
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)


def ecrire_etapes(plie, source, fichier, lignes, parcours_ids, catalogue, par, rapport):
    def construire(v):
        type_etape = catalogue.type(v["type"])
        return {
            "parcours_id": parcours_ids[v["parcours"]],
            "type_code": type_etape.code,
            "type_libelle": type_etape.libelle,
            "categorie": type_etape.categorie,
            "compte": type_etape.compte,
            "emploi_ou_formation": type_etape.emploi_ou_formation,
            "intitule": v["intitule"],
            "prestataire": v["prestataire"],
            "commentaire": v["commentaire"],
            "date_debut": v["date_debut"],
            "date_fin": v["date_fin"],
            "statut": v["statut"],
            "created_by": par,
        }

    crees, refus = ecrire_objets(
        plie,
        source,
        Entite.ETAPE,
        Etape,
        fichier,
        lignes,
        rapport,
        construire,
        a_la_mise_a_jour={"updated_by": par, "version": F("version") + 1},
    )
    JournalEtape.objects.bulk_create(
        JournalEtape(
            etape=etape, par=par, le=_le(ligne.valeurs["date_debut"]), statut_apres=etape.statut
        )
        for ligne, etape in crees
    )
    return refus
