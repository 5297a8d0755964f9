"""Heures d'insertion réalisées : saisie à l'écran (facilitateur) et import mensuel d'un fichier.

NOTE POUR LE LEAD — numéro de participant : `Participant` n'a pas de champ « numéro » en base ;
son numéro affiché est la propriété `Participant.numero` = « P » + clé primaire sur 6 chiffres
(`P000123`). L'import l'accepte donc sous cette forme (ou la clé seule, `123`) : c'est un
numéro dérivé de la clé primaire, pas un identifiant métier stable d'une base à l'autre. Un champ
`numero` unique et indexé (attribué à la création) serait à ajouter dans `participants`.

Un fichier (CSV séparé par `;`, UTF-8 avec ou sans BOM, virgule décimale ; ou XLSX) porte les
colonnes `marche`, `siret`, `personne`, `mois` (AAAA-MM), `heures`. Tout ou rien : une seule
ligne fautive et rien n'est enregistré ; chaque erreur est listée avec son numéro de ligne (celui
du tableur : l'en-tête est la ligne 1). Réimporter un mois remplace les heures de ce mois
(clé unique marché × personne × mois) au lieu de les additionner. Voir docs/heures.md.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from parcours.clauses.fichier_heures import (  # noqa: F401 (lecture, réexportée)
    COLONNES,
    ERREURS_AFFICHEES_MAX,
    TAILLE_MAX_FICHIER,
    FichierIllisible,
    LigneLue,
    lire_fichier,
)
from parcours.core.models import PLIE
from parcours.core.validators import ANNEE_MAX, ANNEE_MIN, sur_une_ligne
from parcours.entreprises.siret import normaliser_siret, valider_siret

# Au-delà, une saisie est une erreur (un temps plein fait ~151,67 h par mois).
HEURES_MAX_PAR_MOIS = Decimal(250)
LIBELLES = {
    "marche": "marché",
    "siret": "SIRET",
    "personne": "personne",
    "mois": "mois",
    "heures": "heures",
}


@dataclass(frozen=True)
class Personne:
    """Un participant du PLIE (`participant`) ou un candidat externe (`externe`), par clé."""

    type: str
    pk: int

    def __str__(self):
        return f"P{self.pk:06d}" if self.type == "participant" else f"EXT-{self.pk:06d}"


@dataclass
class LigneHeures:
    """Une ligne lue et interprétée (types Python) ; les objets en base sont ajoutés ensuite."""

    numero: int
    brut: dict
    marche: str
    siret: str
    personne: Personne
    mois: datetime.date
    heures: Decimal
    objets: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ErreurLigne:
    numero: int
    message: str

    def __str__(self):
        return f"ligne {self.numero} : {self.message}" if self.numero else self.message


def erreur_champ(numero: int, colonne: str, valeur, raison: str) -> ErreurLigne:
    return ErreurLigne(numero, f"{LIBELLES.get(colonne, colonne)} « {valeur} » : {raison}")


# — Interprétation d'une ligne (sans la base) —

_MOIS = re.compile(r"^(\d{4})-(\d{1,2})$")
_PARTICIPANT = re.compile(r"^P?0*(\d+)$", re.IGNORECASE)
_EXTERNE = re.compile(r"^EXT-?0*(\d+)$", re.IGNORECASE)


# Au-delà, le numéro n'est pas une clé de la base (colonne `integer`) : inconnu.
CLE_MAX = 2**31 - 1


def lire_personne(texte: str) -> Personne | None:
    texte = texte.replace(" ", "")
    for type_, motif in (("externe", _EXTERNE), ("participant", _PARTICIPANT)):
        if m := motif.match(texte):
            pk = int(m.group(1))
            return Personne(type_, pk) if pk <= CLE_MAX else None
    return None


def lire_mois(texte: str) -> datetime.date | None:
    """Le premier jour du mois « AAAA-MM » ; None si le texte n'en est pas un ou si l'année sort
    de 1900–2100 (« 0000-01 » n'existe pas dans le calendrier de Python)."""
    m = _MOIS.match(texte)
    if not m or not 1 <= int(m.group(2)) <= 12 or not ANNEE_MIN <= int(m.group(1)) <= ANNEE_MAX:
        return None
    return datetime.date(int(m.group(1)), int(m.group(2)), 1)


def lire_heures(texte: str) -> tuple[Decimal | None, str]:
    """(heures, "") ou (None, raison)."""
    nettoye = texte.replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        heures = Decimal(nettoye)
    except InvalidOperation:
        return None, "pas un nombre d'heures (ex. 151,5)"
    if not heures.is_finite():
        return None, "pas un nombre d'heures (ex. 151,5)"
    if heures < 0:
        return None, "nombre d'heures négatif"
    if heures > HEURES_MAX_PAR_MOIS:
        return None, f"plus de {HEURES_MAX_PAR_MOIS} h dans le mois pour une personne"
    if heures != heures.quantize(Decimal("0.01")):
        return None, "au plus deux décimales"
    return heures.quantize(Decimal("0.01")), ""


def interpreter(ligne: LigneLue) -> tuple[LigneHeures | None, list[ErreurLigne]]:
    """Vérifie la forme de chaque colonne ; toutes les erreurs de la ligne sont rendues."""
    v, n = ligne.valeurs, ligne.numero
    erreurs = []
    for colonne in COLONNES:
        if not v[colonne]:
            erreurs.append(ErreurLigne(n, f"{LIBELLES[colonne]} : valeur manquante"))
    siret = normaliser_siret(v["siret"])
    if v["siret"]:
        try:
            valider_siret(siret)
        except ValidationError as exc:
            erreurs.append(erreur_champ(n, "siret", v["siret"], exc.messages[0]))
    personne = lire_personne(v["personne"]) if v["personne"] else None
    if v["personne"] and personne is None:
        erreurs.append(
            erreur_champ(
                n,
                "personne",
                v["personne"],
                "ni un numéro de participant (P000123) ni un candidat externe (EXT-000123)",
            )
        )
    mois = lire_mois(v["mois"]) if v["mois"] else None
    if v["mois"] and mois is None:
        raison = "format attendu AAAA-MM (ex. 2026-03), de 1900 à 2100"
        erreurs.append(erreur_champ(n, "mois", v["mois"], raison))
    heures = None
    if v["heures"]:
        heures, raison = lire_heures(v["heures"])
        if heures is None:
            erreurs.append(erreur_champ(n, "heures", v["heures"], raison))
    if erreurs:
        return None, erreurs
    return LigneHeures(n, v, v["marche"], siret, personne, mois, heures), []


# — Contrôles en base : marché, employeur, période, embauche, doublons, plafond mensuel —


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


class SaisieNonAutorisee(PermissionDenied):
    """Seul le facilitateur (ou l'animation) du PLIE enregistre des heures."""


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
    """Tout ce que les contrôles lisent, en un nombre constant de requêtes."""
    from parcours.clauses.enums import StatutPositionnement
    from parcours.clauses.models import CandidatExterne, HeuresRealisees, Marche, Positionnement
    from parcours.participants.models import Participant

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
    participants = set(
        Participant.objects.filter(pk__in=ids["participant"], parcours__plie=plie)
        .values_list("pk", flat=True)
        .distinct()
    )
    externes = set(
        CandidatExterne.objects.filter(pk__in=ids["externe"], plie=plie).values_list(
            "pk", flat=True
        )
    )
    embauches = {}
    for marche_id, participant_id, externe_id, date_embauche in Positionnement.objects.filter(
        statut=StatutPositionnement.EMBAUCHEE, besoin__marche__in=marches.values()
    ).values_list("besoin__marche_id", "participant_id", "candidat_externe_id", "date_embauche"):
        cle = ("participant", participant_id) if participant_id else ("externe", externe_id)
        precedente = embauches.get((marche_id, *cle))
        if precedente is None or (date_embauche and date_embauche < precedente):
            embauches[(marche_id, *cle)] = date_embauche or datetime.date.min
    mois = {ligne.mois for ligne in lignes}
    # Les heures déjà en base pour ces personnes et ces mois (tous marchés) : pour le plafond
    # mensuel, et pour savoir ce qu'un import remplacera.
    existantes = {}
    for marche_id, participant_id, externe_id, mois_ligne, heures in HeuresRealisees.objects.filter(
        Q(participant_id__in=participants) | Q(candidat_externe_id__in=externes),
        mois__in=mois,
    ).values_list("marche_id", "participant_id", "candidat_externe_id", "mois", "heures"):
        cle = ("participant", participant_id) if participant_id else ("externe", externe_id)
        existantes[(marche_id, *cle, mois_ligne)] = heures
    return {
        "marches": marches,
        "participants": participants,
        "externes": externes,
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
    vues = {}
    for ligne in lignes:
        n, brut = ligne.numero, ligne.brut
        marche = donnees["marches"].get(ligne.marche)
        if marche is None:
            erreurs.append(erreur_champ(n, "marche", brut["marche"], "inconnu dans ce PLIE"))
        cle_personne = _cle_personne(ligne)
        connue = ligne.personne.pk in (
            donnees["participants"] if ligne.personne.type == "participant" else donnees["externes"]
        )
        if not connue:
            quoi = "participant" if ligne.personne.type == "participant" else "candidat externe"
            erreurs.append(
                erreur_champ(n, "personne", brut["personne"], f"{quoi} inconnu dans ce PLIE")
            )
        if marche is None:
            continue
        ligne.objets["marche"] = marche
        employeurs = _employeurs(marche)
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
    for (marche_id, type_, pk, mois), heures in existantes.items():
        if (type_, pk, mois) in totaux and (marche_id, type_, pk, mois) not in vues:
            totaux[(type_, pk, mois)] += heures
    erreurs = []
    for cle, total in totaux.items():
        if total > HEURES_MAX_PAR_MOIS:
            ligne = dernieres[cle]
            erreurs.append(
                erreur_champ(
                    ligne.numero,
                    "heures",
                    ligne.brut["heures"],
                    f"{total} h au total pour cette personne en {ligne.mois:%m/%Y} (tous "
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
        _compter(resultat)
    return resultat


def _cle_base(ligne: LigneHeures) -> tuple:
    return (ligne.objets["marche"].pk, *_cle_personne(ligne), ligne.mois)


def _compter(resultat: Resultat, existantes=None) -> None:
    from parcours.clauses.models import HeuresRealisees

    if existantes is None:
        filtre = Q(pk__in=[])
        for ligne in resultat.lignes:
            personne = (
                {"participant_id": ligne.personne.pk}
                if ligne.personne.type == "participant"
                else {"candidat_externe_id": ligne.personne.pk}
            )
            filtre |= Q(marche_id=ligne.objets["marche"].pk, mois=ligne.mois, **personne)
        existantes = {
            (m, *(("participant", p) if p else ("externe", e)), mois)
            for m, p, e, mois in HeuresRealisees.objects.filter(filtre).values_list(
                "marche_id", "participant_id", "candidat_externe_id", "mois"
            )
        }
    resultat.remplacees = sum(1 for ligne in resultat.lignes if _cle_base(ligne) in existantes)
    resultat.creees = len(resultat.lignes) - resultat.remplacees


def peut_enregistrer_heures(user, plie_id: int) -> bool:
    # Le droit ne lit que la clé du PLIE : pas de requête pour le charger.
    return user.has_perm("core.faciliter", PLIE(pk=plie_id))


def _enregistrer(resultat: Resultat, *, par, source, fichier="") -> None:
    """Crée ou remplace chaque ligne et journalise (`JournalHeures`) toute valeur nouvelle ou
    changée — une ligne identique n'est pas réécrite et reste au nom de qui l'a fournie."""
    from parcours.clauses.models import HeuresRealisees, JournalHeures

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
        h = existantes.get(_cle_base(ligne))
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
    from parcours.clauses.enums import SourceHeures

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


# — Saisie à l'écran : un marché, un mois, une ligne par personne embauchée —


@dataclass
class PersonneEmbauchee:
    """Une personne embauchée sur le marché, telle que l'écran de saisie la présente."""

    personne: Personne
    libelle: str
    date_embauche: datetime.date | None
    heures: Decimal | None = None  # celles du mois affiché, si déjà enregistrées
    siret: str = ""


def personnes_embauchees(marche, mois: datetime.date | None = None) -> list[PersonneEmbauchee]:
    """Les personnes embauchées sur un besoin du marché (une fois chacune), avec leurs heures du
    `mois` déjà enregistrées ; trois requêtes quel que soit leur nombre."""
    from parcours.clauses.enums import StatutPositionnement
    from parcours.clauses.models import HeuresRealisees, Positionnement

    personnes: dict[Personne, PersonneEmbauchee] = {}
    for pos in (
        Positionnement.objects.filter(besoin__marche=marche, statut=StatutPositionnement.EMBAUCHEE)
        .select_related("participant", "candidat_externe")
        .order_by("date_embauche", "id")
    ):
        if pos.participant_id:
            personne = Personne("participant", pos.participant_id)
            nom = pos.participant
        else:
            personne = Personne("externe", pos.candidat_externe_id)
            nom = pos.candidat_externe
        if personne not in personnes:
            personnes[personne] = PersonneEmbauchee(
                personne, f"{nom} ({personne})", pos.date_embauche
            )
    if mois is not None:
        for h in HeuresRealisees.objects.filter(marche=marche, mois=mois):
            if h.participant_id:
                cle = Personne("participant", h.participant_id)
            else:
                cle = Personne("externe", h.candidat_externe_id)
            if cle in personnes:
                personnes[cle].heures = h.heures
                personnes[cle].siret = h.siret
    return sorted(personnes.values(), key=lambda p: p.libelle)


def historique_heures(marche, mois: datetime.date) -> list:
    """Le journal des heures du marché pour ce mois, le plus récent d'abord (une requête)."""
    from parcours.clauses.models import JournalHeures

    return list(
        JournalHeures.objects.filter(ligne__marche=marche, ligne__mois=mois)
        .select_related("par", "ligne__participant", "ligne__candidat_externe")
        .order_by("-at", "-id")
    )


def saisir_heures(marche, mois: datetime.date, saisies, *, par) -> Resultat:
    """Enregistre les heures d'un mois saisies à l'écran pour ce marché.

    `saisies` : liste de (Personne, siret de l'employeur, heures en texte) ; les heures vides
    sont ignorées (rien n'est effacé). Mêmes contrôles que l'import ; `ErreurLigne.numero` est
    la position (1, 2…) de la saisie dans la liste. Lève `ImportRefuse` ou `SaisieNonAutorisee`.
    """
    from parcours.clauses.enums import SourceHeures

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
        _compter(resultat)
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
