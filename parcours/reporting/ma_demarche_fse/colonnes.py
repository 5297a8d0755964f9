"""Les colonnes des deux fichiers d'intégration en masse, dans l'ordre, chacune avec sa source
(docs/fse.md les reprend une à une, avec ce qui reste « à confirmer »).

Une ligne est une `ParticipationFse` chargée avec son parcours, son participant, son opération,
son questionnaire et les données de sortie du parcours (`participations_a_exporter`)."""

from collections.abc import Callable
from dataclasses import dataclass

from parcours.fse.categories import code_situation

OUI_NON = {"oui": "O", "non": "N", "nsp": "NSP"}


@dataclass(frozen=True)
class Colonne:
    entete: str
    source: str
    valeur: Callable


def _date(d) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def _q(participation):
    return getattr(participation, "questionnaire", None)


def _reponse(champ):
    def lire(p):
        q = _q(p)
        return OUI_NON.get(getattr(q, champ, "") or "", "") if q else ""

    return lire


def _du_questionnaire(champ):
    def lire(p):
        q = _q(p)
        valeur = getattr(q, champ, None) if q else None
        return "" if valeur is None else str(valeur)

    return lire


def _sortie(p):
    return getattr(p.parcours, "donnees_sortie_fse", None)


def _situation_sortie(p):
    d = _sortie(p)
    return d.situation if d and p.motif_fin == "sortie" else ""


def _qualification(p):
    d = _sortie(p)
    if d is None or p.motif_fin != "sortie" or d.qualification_obtenue is None:
        return ""
    return "O" if d.qualification_obtenue else "N"


IDENTITE = [
    Colonne(
        "numero_operation", "Opération FSE+ : numéro Ma Démarche FSE", lambda p: p.operation.numero
    ),
    Colonne("identifiant_participant", "Participation (identifiant interne)", lambda p: str(p.pk)),
    Colonne(
        "nom", "Fiche participant : nom, en capitales", lambda p: p.parcours.participant.nom.upper()
    ),
    Colonne(
        "prenom",
        "Fiche participant : prénom, en capitales",
        lambda p: p.parcours.participant.prenom.upper(),
    ),
    Colonne(
        "date_naissance",
        "Fiche participant : date de naissance (JJ/MM/AAAA)",
        lambda p: _date(p.parcours.participant.date_naissance),
    ),
]

COLONNES_ENTREES = [
    *IDENTITE,
    Colonne("sexe", "Fiche participant : sexe (H / F)", lambda p: p.parcours.participant.sexe),
    Colonne(
        "commune_naissance",
        "Questionnaire : commune de naissance",
        _du_questionnaire("commune_naissance"),
    ),
    Colonne(
        "code_postal_naissance",
        "Questionnaire : code postal de naissance (99999 à l'étranger)",
        _du_questionnaire("code_postal_naissance"),
    ),
    Colonne("adresse", "Fiche participant : adresse", lambda p: p.parcours.participant.adresse),
    Colonne(
        "code_commune",
        "Fiche participant : code INSEE de la commune",
        lambda p: p.parcours.participant.commune_insee,
    ),
    Colonne("commune", "Fiche participant : commune", lambda p: p.parcours.participant.commune_nom),
    Colonne(
        "telephone", "Fiche participant : téléphone", lambda p: p.parcours.participant.telephone
    ),
    Colonne("courriel", "Fiche participant : courriel", lambda p: p.parcours.participant.email),
    Colonne(
        "date_entree",
        "Participation : date d'entrée dans l'opération",
        lambda p: _date(p.date_entree),
    ),
    Colonne(
        "q1_statut_marche_travail",
        "Questionnaire, question 1 : code 1a à 1f (1h : inactif)",
        lambda p: (
            code_situation(_q(p).situation_marche_travail, _q(p).type_emploi) if _q(p) else ""
        ),
    ),
    Colonne(
        "q1g_mois_recherche",
        "Questionnaire, question 1g : mois de recherche d'emploi",
        _du_questionnaire("mois_recherche_emploi"),
    ),
    Colonne(
        "q2_diplome",
        "Questionnaire, question 2 : catégorie 2a à 2d",
        _du_questionnaire("diplome_dgefp"),
    ),
    Colonne("q3_handicap", "Questionnaire, question 3 : O / N", _reponse("handicap_reconnu")),
    Colonne("q4_minima_sociaux", "Questionnaire, question 4 : O / N", _reponse("minima_sociaux")),
    Colonne(
        "q5_sans_domicile", "Questionnaire, question 5 : O / N / NSP", _reponse("sans_domicile")
    ),
    Colonne(
        "q6_parent_ne_etranger",
        "Questionnaire, question 6 : O / N / NSP",
        _reponse("parent_ne_etranger"),
    ),
]

COLONNES_SORTIES = [
    *IDENTITE,
    Colonne("date_entree", "Participation : date d'entrée", lambda p: _date(p.date_entree)),
    Colonne("date_sortie", "Participation : date de sortie", lambda p: _date(p.date_sortie)),
    Colonne("motif_sortie", "Participation : motif de fin", lambda p: p.motif_fin),
    Colonne("situation_sortie", "Données FSE+ de sortie : situation", _situation_sortie),
    Colonne(
        "type_contrat",
        "Données FSE+ de sortie : type de contrat",
        lambda p: _sortie(p).type_contrat if _situation_sortie(p) else "",
    ),
    Colonne(
        "qualification_obtenue",
        "Données FSE+ de sortie : qualification obtenue (O / N)",
        _qualification,
    ),
]
