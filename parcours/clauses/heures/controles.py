"""Les contrôles d'une saisie ou d'un import d'heures contre la base : marché connu dans le PLIE,
employeur (attributaire ou sous-traitant), période du marché, embauche de la personne sur le
marché, doublons, plafond mensuel tous marchés confondus. Toutes les erreurs sont rendues ; rien
n'est enregistré ici."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.heures import ensembles
from parcours.clauses.heures.fichier import ERREURS_AFFICHEES_MAX, LigneLue
from parcours.clauses.heures.lignes import (
    HEURES_MAX_PAR_MOIS,
    ErreurLigne,
    LigneHeures,
    erreur_champ,
    interpreter,
)
from parcours.clauses.models import Marche, Positionnement
from parcours.core.nombres import heures


class ImportRefuse(Exception):
    """L'import (ou la saisie) est refusé : `erreurs` liste chaque ligne fautive ; rien n'est
    enregistré."""

    def __init__(self, erreurs: list[ErreurLigne]):
        self.erreurs = erreurs
        super().__init__("\n".join(str(e) for e in erreurs))


def erreurs_resumees(erreurs) -> list[str]:
    """Les premières erreurs, puis le nombre des autres : la page ou la sortie d'un fichier de
    milliers de lignes fautives reste lisible (et petite)."""
    textes = [str(e) for e in erreurs[:ERREURS_AFFICHEES_MAX]]
    reste = len(erreurs) - len(textes)
    if reste > 0:
        textes.append(
            f"… et {reste} autre{'s' if reste > 1 else ''} erreur{'s' if reste > 1 else ''} : "
            "corrigez les premières, puis contrôlez de nouveau le fichier."
        )
    return textes


@dataclass
class Resultat:
    """Le bilan d'un import ou d'une saisie : contrôlé seulement (`enregistre` faux) ou fait."""

    lignes: list[LigneHeures]
    erreurs: list[ErreurLigne]
    creees: int = 0
    remplacees: int = 0
    enregistre: bool = False

    @property
    def valide(self) -> bool:
        return not self.erreurs

    @property
    def total_heures(self) -> Decimal:
        return sum((ligne.heures for ligne in self.lignes), Decimal(0))


def _periode(marche) -> str:
    fin = f"au {marche.date_fin:%d/%m/%Y}" if marche.date_fin else "sans date de fin"
    return f"du {marche.date_debut:%d/%m/%Y} {fin}"


def _cle_personne(ligne: LigneHeures) -> tuple[str, int]:
    return (ligne.personne.type, ligne.personne.pk)


def _charger(plie, lignes: list[LigneHeures]) -> dict:
    """Tout ce que les contrôles lisent, en un nombre constant de requêtes : les lignes du
    fichier sont jointes à la base en tableaux (`ensembles`), jamais en `OR` de conditions."""
    codes = {ligne.marche for ligne in lignes}
    marches = {
        m.numero: m
        for m in Marche.objects.filter(plie=plie, numero__in=codes)
        .select_related("attributaire")
        .prefetch_related("sous_traitants")
    }
    ids = {"participant": set(), "externe": set()}
    for ligne in lignes:
        ids[ligne.personne.type].add(ligne.personne.pk)
    # Un participant n'est connu ici que s'il a un parcours dans ce PLIE (on ne révèle pas les
    # personnes des autres PLIE).
    connues = ensembles.personnes_connues(plie.pk, ids["participant"], ids["externe"])
    embauches = {}
    for marche_id, participant_id, externe_id, date_embauche in Positionnement.objects.filter(
        statut=StatutPositionnement.EMBAUCHEE, besoin__marche__in=marches.values()
    ).values_list("besoin__marche_id", "participant_id", "candidat_externe_id", "date_embauche"):
        cle = ("participant", participant_id) if participant_id else ("externe", externe_id)
        precedente = embauches.get((marche_id, *cle))
        if precedente is None or (date_embauche and date_embauche < precedente):
            embauches[(marche_id, *cle)] = date_embauche or datetime.date.min
    # Les heures déjà en base pour ces personnes et ces mois (tous marchés) : pour le plafond
    # mensuel, et pour savoir ce qu'un import remplacera.
    cles = {
        (*_cle_personne(ligne), ligne.mois) for ligne in lignes if _cle_personne(ligne) in connues
    }
    existantes = {e.cle: e for e in ensembles.heures_existantes(cles)}
    return {
        "marches": marches,
        "connues": connues,
        "embauches": embauches,
        "existantes": existantes,
    }


def _employeurs(marche) -> dict:
    """SIRET → entreprise, pour l'attributaire et les sous-traitants du marché."""
    employeurs = {st.siret: st for st in marche.sous_traitants.all()}
    if marche.attributaire_id:
        employeurs[marche.attributaire.siret] = marche.attributaire
    return employeurs


def verifier_en_base(plie, lignes: list[LigneHeures]) -> list[ErreurLigne]:
    """Contrôle chaque ligne contre la base et contre les autres lignes ; complète
    `ligne.objets` (marché, entreprise) pour l'enregistrement. Rend toutes les erreurs."""
    donnees = _charger(plie, lignes)
    erreurs = []
    vues, employeurs_par_marche = {}, {}
    for ligne in lignes:
        n, brut = ligne.numero, ligne.brut
        marche = donnees["marches"].get(ligne.marche)
        if marche is None:
            erreurs.append(erreur_champ(n, "marche", brut["marche"], "inconnu dans ce PLIE"))
        cle_personne = _cle_personne(ligne)
        connue = cle_personne in donnees["connues"]
        if not connue:
            quoi = "participant" if ligne.personne.type == "participant" else "candidat externe"
            erreurs.append(
                erreur_champ(n, "personne", brut["personne"], f"{quoi} inconnu dans ce PLIE")
            )
        if marche is None:
            continue
        ligne.objets["marche"] = marche
        if marche.pk not in employeurs_par_marche:
            employeurs_par_marche[marche.pk] = _employeurs(marche)
        employeurs = employeurs_par_marche[marche.pk]
        if ligne.siret not in employeurs:
            erreurs.append(
                erreur_champ(
                    n,
                    "siret",
                    brut["siret"],
                    f"ni l'attributaire ni un sous-traitant du marché « {marche.numero} »",
                )
            )
        else:
            ligne.objets["entreprise"] = employeurs[ligne.siret]
        debut = marche.date_debut.replace(day=1)
        if ligne.mois < debut or (marche.date_fin and ligne.mois > marche.date_fin):
            erreurs.append(
                erreur_champ(
                    n,
                    "mois",
                    brut["mois"],
                    f"hors de la période du marché « {marche.numero} » ({_periode(marche)})",
                )
            )
        if connue:
            embauche = donnees["embauches"].get((marche.pk, *cle_personne))
            if embauche is None:
                erreurs.append(
                    erreur_champ(
                        n,
                        "personne",
                        brut["personne"],
                        f"pas embauchée sur le marché « {marche.numero} » (aucune candidature "
                        "« Embauchée » sur un besoin de ce marché)",
                    )
                )
            elif ligne.mois < embauche.replace(day=1):
                erreurs.append(
                    erreur_champ(
                        n,
                        "mois",
                        brut["mois"],
                        f"avant l'embauche de cette personne sur ce marché ({embauche:%d/%m/%Y})",
                    )
                )
        cle = (marche.pk, *cle_personne, ligne.mois)
        ligne.objets["existante"] = donnees["existantes"].get(cle)
        if cle in vues:
            erreurs.append(
                ErreurLigne(
                    n, f"doublon de la ligne {vues[cle].numero} (même marché, personne et mois)"
                )
            )
        else:
            vues[cle] = ligne
    erreurs.extend(_plafond_mensuel(vues, donnees["existantes"]))
    return sorted(erreurs, key=lambda e: e.numero)


def _plafond_mensuel(vues: dict, existantes: dict) -> list[ErreurLigne]:
    """Plus de 250 h pour une personne dans un mois, tous marchés confondus : les lignes du
    fichier remplacent celles de la base pour le même marché, s'ajoutent aux autres."""
    totaux, dernieres = {}, {}
    for (_marche, type_, pk, mois), ligne in vues.items():
        totaux[(type_, pk, mois)] = totaux.get((type_, pk, mois), Decimal(0)) + ligne.heures
        dernieres[(type_, pk, mois)] = ligne
    for (marche_id, type_, pk, mois), existante in existantes.items():
        if (type_, pk, mois) in totaux and (marche_id, type_, pk, mois) not in vues:
            totaux[(type_, pk, mois)] += existante.heures
    erreurs = []
    for cle, total in totaux.items():
        if total > HEURES_MAX_PAR_MOIS:
            ligne = dernieres[cle]
            erreurs.append(
                erreur_champ(
                    ligne.numero,
                    "heures",
                    ligne.brut["heures"],
                    f"{heures(total)} au total pour cette personne en {ligne.mois:%m/%Y} (tous "
                    f"marchés) : plus de {HEURES_MAX_PAR_MOIS} h dans le mois pour une personne",
                )
            )
    return erreurs


def controler(plie, lues: list[LigneLue]) -> Resultat:
    """Contrôle complet (forme puis base) ; n'enregistre rien."""
    lignes, erreurs = [], []
    for lue in lues:
        ligne, erreurs_ligne = interpreter(lue)
        erreurs.extend(erreurs_ligne)
        if ligne is not None:
            lignes.append(ligne)
    if not lues:
        erreurs.append(ErreurLigne(0, "Le fichier ne contient aucune ligne d'heures."))
    if lignes:
        erreurs.extend(verifier_en_base(plie, lignes))
    erreurs.sort(key=lambda e: e.numero)
    resultat = Resultat(lignes, erreurs)
    if resultat.valide:
        compter(resultat)
    return resultat


def compter(resultat: Resultat) -> None:
    """Combien de lignes le résultat crée, combien il remplace (lignes déjà en base, trouvées
    par les contrôles)."""
    resultat.remplacees = sum(1 for ligne in resultat.lignes if ligne.objets.get("existante"))
    resultat.creees = len(resultat.lignes) - resultat.remplacees
