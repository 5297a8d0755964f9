"""Enregistrer des heures, tout ou rien : l'import d'un fichier mensuel (aperçu en `dry_run`) et
la saisie d'un mois à l'écran. Chaque valeur nouvelle ou changée écrit une ligne de
`JournalHeures` dans la même transaction ; un réimport identique n'écrit rien."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.clauses.enums import SourceHeures
from parcours.clauses.heures import ensembles
from parcours.clauses.heures.controles import (
    ImportRefuse,
    Resultat,
    compter,
    controler,
    verifier_en_base,
)
from parcours.clauses.heures.fichier import LigneLue, lire_fichier
from parcours.clauses.heures.lignes import ErreurLigne, LigneHeures, interpreter
from parcours.core.memoire import collecteur_suspendu
from parcours.core.models import PLIE
from parcours.core.validators import sur_une_ligne


class SaisieNonAutorisee(PermissionDenied):
    """Seul le facilitateur (ou l'animation) du PLIE enregistre des heures."""


def peut_enregistrer_heures(user, plie_id: int) -> bool:
    # Le droit ne lit que la clé du PLIE : pas de requête pour le charger.
    return user.has_perm("core.faciliter", PLIE(pk=plie_id))


def _enregistrer(resultat: Resultat, *, par, source, fichier="") -> None:
    """Crée ou remplace chaque ligne et journalise (`JournalHeures`) toute valeur nouvelle ou
    changée — une ligne identique n'est pas réécrite et reste au nom de qui l'a fournie.

    À appeler dans une transaction courte, après les contrôles : seules les lignes remplacées
    sont verrouillées, le temps de cinq requêtes ensemblistes quel que soit le nombre de lignes.
    """
    commun = {
        "source": source,
        "par_id": par.pk,
        "at": timezone.now(),
        "fichier": (fichier or "")[:255],
    }
    a_remplacer = [ligne for ligne in resultat.lignes if ligne.objets.get("existante")]
    # Verrouillées et relues : deux saisies simultanées du même mois ne s'écrasent pas en
    # silence, et l'on compare à la valeur en vigueur, pas à celle lue pendant les contrôles.
    actuelles = ensembles.verrouiller([ligne.objets["existante"].pk for ligne in a_remplacer])
    nouvelles, changees, journal = [], [], []
    for ligne in resultat.lignes:
        existante = ligne.objets.get("existante")
        valeurs = _valeurs(ligne)
        if existante is None or existante.pk not in actuelles:
            nouvelles.append(valeurs)
            continue
        ancien, ancien_siret = actuelles[existante.pk]
        if ancien == ligne.heures and ancien_siret == ligne.siret:
            continue
        changees.append({**valeurs, "pk": existante.pk})
        journal.append(_entree(existante.pk, ancien, ancien_siret, ligne))
    creees = ensembles.inserer_heures(nouvelles, commun)
    for valeurs in nouvelles:
        cle = (valeurs["marche_id"], valeurs["type"], valeurs["personne_id"], valeurs["mois"])
        journal.append(_entree(creees[cle], None, "", valeurs["ligne"]))
    ensembles.remplacer_heures(changees, commun)
    ensembles.journaliser(journal, commun)
    resultat.remplacees = len(resultat.lignes) - len(nouvelles)
    resultat.creees = len(nouvelles)
    resultat.enregistre = True


def _valeurs(ligne: LigneHeures) -> dict:
    entreprise = ligne.objets.get("entreprise")
    return {
        "ligne": ligne,
        "marche_id": ligne.objets["marche"].pk,
        "type": ligne.personne.type,
        "personne_id": ligne.personne.pk,
        "mois": ligne.mois,
        "heures": ligne.heures,
        "siret": ligne.siret,
        "entreprise_id": entreprise.pk if entreprise else None,
    }


def _entree(ligne_id, ancien, ancien_siret, ligne: LigneHeures) -> dict:
    return {
        "ligne_id": ligne_id,
        "ancien": ancien,
        "nouveau": ligne.heures,
        "ancien_siret": ancien_siret,
        "nouveau_siret": ligne.siret,
    }


def importer_heures(plie, contenu: bytes, nom: str = "", *, par, dry_run=False) -> Resultat:
    """Lit, contrôle et (hors `dry_run`) enregistre un fichier d'heures du PLIE, tout ou rien.

    Lève `FichierIllisible` (fichier refusé en bloc), `ImportRefuse` (la liste des lignes
    fautives ; rien n'est enregistré) ou `SaisieNonAutorisee`. En `dry_run`, rend le bilan sans
    rien écrire. `par` peut être None en `dry_run` seulement (contrôle en ligne de commande)."""
    if not dry_run or par is not None:
        _exiger_droit(par, plie)
    return _importer(plie, lire_fichier(contenu, nom), nom, par=par, dry_run=dry_run)


def importer_lignes(plie, lues: list[LigneLue], nom: str = "", *, par, dry_run=False) -> Resultat:
    """`importer_heures` pour des lignes déjà lues (sans les plafonds du fichier : le banc
    d'essai `bench/heures.py` en importe 20 000)."""
    if not dry_run or par is not None:
        _exiger_droit(par, plie)
    return _importer(plie, lues, nom, par=par, dry_run=dry_run)


def _importer(plie, lues: list[LigneLue], nom: str, *, par, dry_run) -> Resultat:
    """Contrôle puis (hors `dry_run`) enregistre, tout ou rien : les contrôles lisent la base
    sans rien verrouiller ; l'écriture tient dans une transaction courte qui ne verrouille que
    les lignes remplacées. Le ramasse-miettes cyclique attend la fin (`collecteur_suspendu`) :
    ses passes complètes rendaient le contrôle plus que linéaire."""
    with collecteur_suspendu():
        return _controler_puis_enregistrer(plie, lues, nom, par=par, dry_run=dry_run)


def _controler_puis_enregistrer(plie, lues: list[LigneLue], nom: str, *, par, dry_run) -> Resultat:
    resultat = controler(plie, lues)
    if not resultat.valide:
        raise ImportRefuse(resultat.erreurs)
    if dry_run:
        return resultat
    try:
        with transaction.atomic():
            # Le nom du fichier, sur une ligne et à la taille du journal.
            fichier = sur_une_ligne(nom)[:200]
            _enregistrer(resultat, par=par, source=SourceHeures.IMPORT, fichier=fichier)
    except IntegrityError:
        # Un autre import des mêmes mois vient d'écrire : rien de celui-ci n'est gardé.
        raise ImportRefuse(
            [
                ErreurLigne(
                    0,
                    "Des heures de ces mois viennent d'être enregistrées par une autre "
                    "personne : relancez l'import (il remplacera leurs valeurs).",
                )
            ]
        ) from None
    return resultat


def enregistrer_controle(resultat: Resultat, *, par, fichier="") -> None:
    """Enregistre des lignes déjà contrôlées (`verifier_en_base`), comme un import, dans la
    transaction de l'appelant : la reprise d'un autre outil (parcours/reprise/clauses) écrit ses
    heures avec ses autres entités, tout ou rien. Le droit est celui de l'appelant."""
    _enregistrer(resultat, par=par, source=SourceHeures.IMPORT, fichier=sur_une_ligne(fichier))


def _exiger_droit(par, plie) -> None:
    if par is None or not peut_enregistrer_heures(par, plie.pk):
        raise SaisieNonAutorisee(
            "Vous n'avez pas le droit d'enregistrer des heures d'insertion dans ce PLIE."
        )


def saisir_heures(marche, mois: datetime.date, saisies, *, par) -> Resultat:
    """Enregistre les heures d'un mois saisies à l'écran pour ce marché.

    `saisies` : liste de (Personne, siret de l'employeur, heures en texte) ; les heures vides
    sont ignorées (rien n'est effacé). Mêmes contrôles que l'import ; `ErreurLigne.numero` est
    la position (1, 2…) de la saisie dans la liste. Lève `ImportRefuse` ou `SaisieNonAutorisee`.
    """
    _exiger_droit(par, marche.plie)
    lignes, erreurs = [], []
    for numero, (personne, siret, texte) in enumerate(saisies, start=1):
        texte = (texte or "").strip()
        if not texte:
            continue
        brut = {
            "marche": marche.numero,
            "siret": siret,
            "personne": str(personne),
            "mois": f"{mois:%Y-%m}",
            "heures": texte,
        }
        ligne, erreurs_ligne = interpreter(LigneLue(numero, brut))
        erreurs.extend(erreurs_ligne)
        if ligne is not None:
            lignes.append(ligne)
    if lignes:
        erreurs.extend(verifier_en_base(marche.plie, lignes))
    if erreurs:
        raise ImportRefuse(sorted(erreurs, key=lambda e: e.numero))
    resultat = Resultat(lignes, [])
    compter(resultat)
    try:
        with transaction.atomic():
            _enregistrer(resultat, par=par, source=SourceHeures.SAISIE)
    except IntegrityError:
        raise ImportRefuse(
            [
                ErreurLigne(
                    0,
                    "Ces heures viennent d'être enregistrées par une autre personne : "
                    "rechargez la page.",
                )
            ]
        ) from None
    return resultat
