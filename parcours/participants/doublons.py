"""Détection des doublons de personnes, sur toute l'instance.

Une même personne peut être déjà connue (parcours en cours ou passé, dans ce PLIE ou un autre).
Correspondance : même date de naissance et nom + prénom proches — accents, casse, ordre
nom/prénom et petites fautes de frappe ignorés (distance d'édition, rapidfuzz) ; ou nom + prénom
identiques avec une date de naissance à une faute de saisie près (jour et mois inversés, un
chiffre). La commune départage : elle augmente le score, elle n'écarte personne (les gens
déménagent).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import token_sort_ratio

from parcours.participants.models import Participant
from parcours.participants.normalisation import normaliser

SEUIL_SIMILARITE = 85  # sur 100 : « Lefèvre Éloïse » ≈ « lefebvre eloise » ≈ « Eloise Lefevbre »
DISTANCE_MAX_PAR_CHAMP = 2


@dataclass(frozen=True)
class Correspondance:
    participant: Participant
    score: int
    raisons: tuple[str, ...]


def _dates_proches(date: datetime.date) -> set[datetime.date]:
    """Dates à une erreur de saisie près : jour/mois inversés, un chiffre du jour ou de l'année."""
    proches = {date}
    if date.day <= 12:
        proches.add(date.replace(month=date.day, day=date.month))
    for delta in (-1, 1):
        proches.add(date + datetime.timedelta(days=delta))
        try:
            proches.add(date.replace(year=date.year + delta * 10))
            proches.add(date.replace(year=date.year + delta))
        except ValueError:
            pass
    return proches


def _similarite(nom: str, prenom: str, candidat: Participant) -> tuple[int, list[str]]:
    saisi = normaliser(f"{nom} {prenom}")
    raisons = []
    meilleur = 0
    for nom_candidat in filter(None, {candidat.nom, candidat.nom_naissance}):
        connu = normaliser(f"{nom_candidat} {candidat.prenom}")
        score = round(token_sort_ratio(saisi, connu))
        proches = (
            Levenshtein.distance(normaliser(nom), normaliser(nom_candidat))
            <= DISTANCE_MAX_PAR_CHAMP
            and Levenshtein.distance(normaliser(prenom), normaliser(candidat.prenom))
            <= DISTANCE_MAX_PAR_CHAMP
        )
        if proches:
            score = max(score, SEUIL_SIMILARITE)
        if score > meilleur:
            meilleur = score
            raisons = [
                "même nom et prénom"
                if saisi == connu
                else f"nom et prénom proches ({candidat.prenom} {nom_candidat})"
            ]
    return meilleur, raisons


def trouver_doublons(nom, prenom, date_naissance, commune_insee="", exclure=None):
    """Les personnes déjà connues qui pourraient être celle-ci, les plus probables d'abord.

    Cherche dans toute l'instance : c'est à l'appelant de ne montrer que ce que l'utilisateur
    peut voir (`separer_par_perimetre`).
    """
    candidats = Participant.objects.filter(
        Q(date_naissance=date_naissance)
        | Q(date_naissance__in=_dates_proches(date_naissance), recherche__contains=normaliser(nom))
    )
    if exclure is not None:
        candidats = candidats.exclude(pk=exclure.pk)
    return _correspondances(nom, prenom, date_naissance, commune_insee, candidats)


def trouver_doublons_en_lot(personnes, taille_lot=200) -> list[list[Correspondance]]:
    """`trouver_doublons` pour chacune des `personnes` (tuples nom, prénom, date de naissance,
    commune INSEE), une requête par lot de `taille_lot` personnes au lieu d'une par personne
    (reprise d'un historique : parcours.reprise). Mêmes candidates, mêmes scores."""
    resultats = []
    for debut in range(0, len(personnes), taille_lot):
        lot = personnes[debut : debut + taille_lot]
        dates = set().union(*(_dates_proches(p[2]) for p in lot))
        par_date = defaultdict(list)
        for connu in Participant.objects.filter(date_naissance__in=dates).order_by("pk"):
            par_date[connu.date_naissance].append(connu)
        for nom, prenom, date_naissance, commune_insee in lot:
            cle_nom = normaliser(nom)
            candidats = [
                c
                for d in sorted(_dates_proches(date_naissance))
                for c in par_date[d]
                if d == date_naissance or cle_nom in c.recherche
            ]
            resultats.append(
                _correspondances(nom, prenom, date_naissance, commune_insee, candidats)
            )
    return resultats


def doublons_entre(personnes) -> list[list[Correspondance]]:
    """Pour chacune des `personnes` (enregistrées, clé de recherche calculée), celles qui la
    précèdent dans la liste et pourraient être elle, selon les règles de `trouver_doublons` ;
    sans requête. Sert à la reprise : deux lignes nouvelles d'un même fichier, créées ensemble,
    ne se voient pas dans la recherche sur l'instance faite avant leur création."""
    par_date = defaultdict(list)
    resultats = []
    for personne in personnes:
        cle_nom = normaliser(personne.nom)
        candidats = [
            c
            for d in sorted(_dates_proches(personne.date_naissance))
            for c in par_date[d]
            if d == personne.date_naissance or cle_nom in c.recherche
        ]
        resultats.append(
            _correspondances(
                personne.nom,
                personne.prenom,
                personne.date_naissance,
                personne.commune_insee,
                candidats,
            )
        )
        par_date[personne.date_naissance].append(personne)
    return resultats


def _correspondances(nom, prenom, date_naissance, commune_insee, candidats):
    cle = normaliser(f"{nom} {prenom}")
    resultats = []
    for candidat in candidats:
        score, raisons = _similarite(nom, prenom, candidat)
        if score < SEUIL_SIMILARITE:
            continue
        if candidat.date_naissance == date_naissance:
            raisons.append("même date de naissance")
        else:
            raisons.append(f"date de naissance proche ({candidat.date_naissance:%d/%m/%Y})")
            score -= 10
        if commune_insee and candidat.commune_insee == commune_insee:
            raisons.append("même commune")
            score += 5
        if normaliser(f"{candidat.nom} {candidat.prenom}") == cle:
            score += 5
        resultats.append(Correspondance(candidat, min(score, 100), tuple(raisons)))
    return sorted(resultats, key=lambda c: (-c.score, c.participant.pk))


def separer_par_perimetre(correspondances, participants_visibles):
    """(visibles, nombre hors périmètre) : on n'expose pas l'identité de ce qu'on ne voit pas.
    `participants_visibles` : les participants que l'utilisateur voit (la politique d'accès)."""
    ids = [c.participant.pk for c in correspondances]
    visibles_ids = set(participants_visibles.filter(pk__in=ids).values_list("pk", flat=True))
    visibles = [c for c in correspondances if c.participant.pk in visibles_ids]
    return visibles, len(correspondances) - len(visibles)
