"""Enregistrer des heures, tout ou rien : l'import d'un fichier mensuel (aperçu en `dry_run`) et
la saisie d'un mois à l'écran. Chaque valeur nouvelle ou changée écrit une ligne de
`JournalHeures` dans la même transaction ; un réimport identique n'écrit rien."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from parcours.clauses.enums import SourceHeures
from parcours.clauses.heures.controles import (
    ImportRefuse,
    Resultat,
    cle_en_base,
    compter,
    controler,
    verifier_en_base,
)
from parcours.clauses.heures.fichier import LigneLue, lire_fichier
from parcours.clauses.heures.lignes import ErreurLigne, LigneHeures, interpreter
from parcours.clauses.models import HeuresRealisees, JournalHeures
from parcours.core.models import PLIE
from parcours.core.validators import sur_une_ligne


class SaisieNonAutorisee(PermissionDenied):
    """Seul le facilitateur (ou l'animation) du PLIE enregistre des heures."""


def peut_enregistrer_heures(user, plie_id: int) -> bool:
    # Le droit ne lit que la clé du PLIE : pas de requête pour le charger.
    return user.has_perm("core.faciliter", PLIE(pk=plie_id))


def _enregistrer(resultat: Resultat, *, par, source, fichier="") -> None:
    """Crée ou remplace chaque ligne et journalise (`JournalHeures`) toute valeur nouvelle ou
    changée — une ligne identique n'est pas réécrite et reste au nom de qui l'a fournie."""
    maintenant = timezone.now()
    filtre = Q(pk__in=[])
    for ligne in resultat.lignes:
        filtre |= Q(
            marche_id=ligne.objets["marche"].pk,
            mois=ligne.mois,
            **_filtre_personne(ligne),
        )
    # Verrouillées : deux saisies simultanées du même mois ne s'écrasent pas en silence.
    existantes = {
        (
            h.marche_id,
            *(
                ("participant", h.participant_id)
                if h.participant_id
                else ("externe", h.candidat_externe_id)
            ),
            h.mois,
        ): h
        for h in HeuresRealisees.objects.select_for_update().filter(filtre)
    }
    journal = []
    for ligne in resultat.lignes:
        h = existantes.get(cle_en_base(ligne))
        ancien, ancien_siret = (h.heures, h.siret) if h is not None else (None, "")
        if h is None:
            h = HeuresRealisees.objects.create(
                marche=ligne.objets["marche"],
                mois=ligne.mois,
                **_filtre_personne(ligne),
                heures=ligne.heures,
                siret=ligne.siret,
                entreprise=ligne.objets.get("entreprise"),
                source=source,
                created_by=par,
                created_at=maintenant,
            )
        elif h.heures != ligne.heures or h.siret != ligne.siret:
            # « Enregistrées par / le » disent qui a fourni la valeur en vigueur.
            h.heures, h.siret = ligne.heures, ligne.siret
            h.entreprise = ligne.objets.get("entreprise")
            h.source, h.created_by, h.created_at = source, par, maintenant
            h.save()
        else:
            continue
        journal.append(
            JournalHeures(
                ligne=h,
                ancien=ancien,
                nouveau=ligne.heures,
                ancien_siret=ancien_siret,
                nouveau_siret=ligne.siret,
                source=source,
                fichier=(fichier or "")[:255],
                par=par,
                at=maintenant,
            )
        )
    JournalHeures.objects.bulk_create(journal)
    resultat.enregistre = True


def _filtre_personne(ligne: LigneHeures) -> dict:
    if ligne.personne.type == "participant":
        return {"participant_id": ligne.personne.pk, "candidat_externe_id": None}
    return {"candidat_externe_id": ligne.personne.pk, "participant_id": None}


def importer_heures(plie, contenu: bytes, nom: str = "", *, par, dry_run=False) -> Resultat:
    """Lit, contrôle et (hors `dry_run`) enregistre un fichier d'heures du PLIE, tout ou rien.

    Lève `FichierIllisible` (fichier refusé en bloc), `ImportRefuse` (la liste des lignes
    fautives ; rien n'est enregistré) ou `SaisieNonAutorisee`. En `dry_run`, rend le bilan sans
    rien écrire. `par` peut être None en `dry_run` seulement (contrôle en ligne de commande)."""
    if not dry_run or par is not None:
        _exiger_droit(par, plie)
    lues = lire_fichier(contenu, nom)
    with transaction.atomic():
        resultat = controler(plie, lues)
        if not resultat.valide:
            raise ImportRefuse(resultat.erreurs)
        if not dry_run:
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
    with transaction.atomic():
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
