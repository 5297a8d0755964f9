"""Reprendre les entretiens et contacts : date, canal, objet (rangé dans le compte rendu),
présence, auteur. L'auteur est retrouvé parmi les comptes du PLIE (identifiant ou courriel) ;
inconnu, l'entretien est écrit au nom du compte de la reprise et le compte rendu dit qui
l'avait saisi dans l'autre outil."""

from django.db.models import Q

from parcours.accompagnement.enums import Presence
from parcours.accompagnement.models import Entretien
from parcours.core.administration import comptes_du_plie
from parcours.core.models import User
from parcours.reprise.comptes import comptes_repris
from parcours.reprise.enums import Entite
from parcours.reprise.journal import _le
from parcours.reprise.objets import ecrire_objets, lire_lignes


def lire_entretiens(tableau, correspondance, contexte, parcours_du_fichier):
    return lire_lignes(tableau, correspondance, contexte, lambda *_: True, parcours_du_fichier)


def auteurs(plie) -> dict:
    """Identifiant et courriel (en minuscules) -> compte du PLIE (repris compris), une requête."""
    trouves = {}
    comptes = User.objects.filter(
        Q(pk__in=comptes_du_plie(plie.pk).values("pk")) | Q(pk__in=comptes_repris(plie))
    ).order_by("-pk")
    for compte in comptes:
        for cle in filter(None, (compte.username, compte.email)):
            trouves[cle.lower()] = compte
    return trouves


def ecrire_entretiens(plie, correspondance, fichier, lignes, parcours_ids, par, rapport):
    connus = auteurs(plie)

    def construire(v):
        auteur = connus.get(v["auteur"].lower()) if v["auteur"] else None
        note = v["objet"]
        if auteur is None and v["auteur"]:
            note = f"Saisi dans {correspondance.libelle} par {v['auteur']}. {note}".strip()
        return {
            "parcours_id": parcours_ids[v["parcours"]],
            "date": _le(v["date"]),
            "canal": v["canal"],
            "presence": v["presence"] or Presence.PRESENT,
            "note": note,
            "auteur": auteur or par,
        }

    _, refus = ecrire_objets(
        plie,
        correspondance.source,
        Entite.ENTRETIEN,
        Entretien,
        fichier,
        lignes,
        rapport,
        construire,
    )
    return refus
