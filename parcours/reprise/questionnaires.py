"""Reprendre les réponses FSE+ d'entrée : le questionnaire du parcours (celui de l'engagement,
hors participation). Les règles du questionnaire sont vérifiées à la lecture (type d'emploi
pour une personne en emploi, durée de recherche pour une personne en recherche, code postal à
5 chiffres) : la base les garantit aussi. Le rattachement à une participation à une opération
FSE+ n'est pas repris (docs/reprise.md)."""

import re

from parcours.accompagnement.models import QuestionnaireFSE
from parcours.accompagnement.models.questionnaire import (
    CODE_POSTAL,
    MOIS_RECHERCHE_MAX,
    SituationMarcheTravail,
)
from parcours.reprise.enums import Entite
from parcours.reprise.objets import ecrire_objets, lire_lignes

REPONSES = tuple(c for c in QuestionnaireFSE.CHAMPS if c != "niveau_diplome")


def lire_reponses(tableau, correspondance, contexte, parcours_du_fichier):
    par_parcours = {}

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        situation = v["situation_marche_travail"]
        if v["type_emploi"] and situation != SituationMarcheTravail.EN_EMPLOI:
            lecteur.refuser(numero, "type_emploi", "réponse réservée à une personne en emploi")
        mois = v["mois_recherche_emploi"]
        if mois:
            if not mois.isdigit() or int(mois) > MOIS_RECHERCHE_MAX:
                lecteur.refuser(
                    numero,
                    "mois_recherche_emploi",
                    f"« {mois} » n'est pas un nombre de mois (0 à {MOIS_RECHERCHE_MAX})",
                )
            elif situation != SituationMarcheTravail.DEMANDEUR_EMPLOI:
                lecteur.refuser(
                    numero,
                    "mois_recherche_emploi",
                    "réponse réservée à une personne en recherche active d'emploi",
                )
        cp = v["code_postal_naissance"]
        if cp and not re.fullmatch(CODE_POSTAL, cp):
            lecteur.refuser(
                numero, "code_postal_naissance", f"« {cp} » : 5 chiffres (99999 à l'étranger)"
            )
        if v["parcours"] in par_parcours:
            lecteur.refuser(
                numero,
                "parcours",
                f"un seul questionnaire par parcours (déjà ligne {par_parcours[v['parcours']]})",
            )
        par_parcours.setdefault(v["parcours"], numero)
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)


def ecrire_reponses(plie, source, fichier, lignes, parcours_ids, par, rapport):
    def construire(v):
        champs = {c: v[c] for c in REPONSES}
        mois = v["mois_recherche_emploi"]
        champs["mois_recherche_emploi"] = int(mois) if mois else None
        return {"parcours_id": parcours_ids[v["parcours"]], "renseigne_par": par, **champs}

    _, refus = ecrire_objets(
        plie, source, Entite.REPONSE_FSE, QuestionnaireFSE, fichier, lignes, rapport, construire
    )
    return refus
