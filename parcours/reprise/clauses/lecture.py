"""Lire les fichiers des clauses sociales dans le format neutre, sans écrire : chaque ligne
fautive devient un `Refus` (fichier, ligne, colonne, raison).

Les validateurs des modèles (longueurs, choix, texte sur une ligne) sont appliqués ici, sur un
objet non enregistré ; les références vers une autre entité doivent viser une ligne acceptée du
même passage ou une ligne reprise avant (`connus`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.heures import lire_heures, lire_mois
from parcours.clauses.models import (
    Besoin,
    CandidatExterne,
    DonneurOrdre,
    Marche,
    Operation,
    Positionnement,
)
from parcours.entreprises.siret import normaliser_siret, valider_siret
from parcours.participants.normalisation import normaliser
from parcours.reprise.clauses.champs import (
    BOOLEENS,
    CHAMPS_CLAUSES,
    DATES,
    DECIMAUX,
    ENTIERS,
    NON,
    OUI,
    REFERENCES,
)
from parcours.reprise.correspondance import CODES
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Ligne, _Lecteur

# Entité -> (modèle, {champ neutre: champ du modèle}) : ce que valident les validateurs du modèle.
MODELES = {
    Entite.DONNEUR_ORDRE: (DonneurOrdre, {"nom": "nom", "type_donneur": "type"}),
    Entite.OPERATION: (
        Operation,
        {c: c for c in ("nom", "description", "date_debut", "date_fin")},
    ),
    Entite.MARCHE: (
        Marche,
        {
            c: c
            for c in (
                "numero",
                "intitule",
                "modalite_clause",
                "heures_prevues",
                "date_debut",
                "date_fin",
                "modalite_execution",
            )
        },
    ),
    Entite.BESOIN: (
        Besoin,
        {
            **{
                c: c
                for c in (
                    "poste",
                    "description",
                    "nb_postes",
                    "type_contrat",
                    "date_debut",
                    "date_fin",
                )
            },
            "statut_besoin": "statut",
        },
    ),
    Entite.CANDIDAT_EXTERNE: (
        CandidatExterne,
        {
            c: c
            for c in (
                "nom",
                "prenom",
                "date_naissance",
                "sexe",
                "commune_insee",
                "commune_nom",
                "rsa",
                "qpv",
                "rqth",
                "deld",
                "salarie_iae",
            )
        },
    ),
    Entite.POSITIONNEMENT: (
        Positionnement,
        {
            c: c
            for c in (
                "date_embauche",
                "date_fin_contrat",
                "type_contrat",
                "employeur",
                "heures_hebdo",
                "motif_non_retenue",
            )
        },
    ),
}
# Ordre de lecture et d'écriture : chaque entité ne vise que des entités déjà traitées.
ORDRE = (
    Entite.DONNEUR_ORDRE,
    Entite.OPERATION,
    Entite.MARCHE,
    Entite.BESOIN,
    Entite.CANDIDAT_EXTERNE,
    Entite.POSITIONNEMENT,
    Entite.HEURES,
)
LIBELLES_REF = {
    Entite.DONNEUR_ORDRE: "donneur d'ordre",
    Entite.OPERATION: "opération",
    Entite.MARCHE: "marché",
    Entite.BESOIN: "besoin",
    Entite.PARTICIPANT: "personne",
    Entite.CANDIDAT_EXTERNE: "candidat externe",
}


@dataclass
class ContexteClauses:
    format_date: str
    # Facilitateurs du PLIE : identifiant ou courriel (en minuscules) -> user.
    facilitateurs: dict = field(default_factory=dict)


def valeur_vide(champ):
    if champ == "sous_traitants_siret":
        return ()
    if champ in BOOLEENS:
        return False
    if champ in DATES or champ in DECIMAUX or champ in ENTIERS:
        return None
    return ""


class LecteurClauses(_Lecteur):
    def valeurs(self, numero, brutes) -> dict | None:
        champs = CHAMPS_CLAUSES[self.corr.entite]
        avant = len(self.refus)
        sortie = {}
        for champ in (*champs["obligatoires"], *champs["facultatifs"]):
            brute = brutes.get(self.corr.colonne(champ), "")
            if brute == "" or brute is None:
                if champ in champs["obligatoires"]:
                    self.refuser(numero, champ, "valeur obligatoire manquante")
                sortie[champ] = valeur_vide(champ)
            elif champ in DATES:
                sortie[champ] = self._date(numero, champ, brute)
            elif champ == "mois":
                sortie[champ] = self._mois(numero, brute)
            elif champ == "heures":
                heures, raison = lire_heures(str(brute))
                if heures is None:
                    self.refuser(numero, champ, f"« {brute} » : {raison}")
                sortie[champ] = heures
            elif champ in DECIMAUX:
                sortie[champ] = self._decimal(numero, champ, str(brute))
            elif champ in ENTIERS:
                sortie[champ] = self._entier(numero, champ, str(brute))
            elif champ in BOOLEENS:
                sortie[champ] = self._booleen(numero, champ, str(brute))
            elif champ in CODES:
                code = self.corr.code(champ, str(brute))
                if code is None:
                    self.refuser(numero, champ, f"valeur « {brute} » sans correspondance")
                sortie[champ] = code
            elif champ == "siret" or champ == "attributaire_siret":
                sortie[champ] = self._siret(numero, champ, str(brute))
            elif champ == "sous_traitants_siret":
                sirets = [t for t in str(brute).split(",") if t.strip()]
                sortie[champ] = tuple(sorted({self._siret(numero, champ, t) for t in sirets}))
            else:
                sortie[champ] = str(brute)
        if len(self.refus) == avant:
            self._valider_modele(numero, sortie)
        return sortie if len(self.refus) == avant else None

    def _mois(self, numero, brute):
        if isinstance(brute, datetime.date):
            return brute.replace(day=1)
        mois = lire_mois(str(brute))
        if mois is not None:
            return mois
        # Sinon MM/AAAA, ou une date au format du fichier (ramenée au premier du mois).
        for format_ in ("%m/%Y", self.contexte.format_date):
            try:
                return datetime.datetime.strptime(str(brute), format_).date().replace(day=1)
            except ValueError:
                pass
        self.refuser(
            numero, "mois", f"« {brute} » : format attendu AAAA-MM ou MM/AAAA (ex. 2026-03)"
        )
        return None

    def _decimal(self, numero, champ, brute):
        texte = brute.replace(" ", "").replace("\u202f", "").replace(",", ".")
        try:
            valeur = Decimal(texte)
        except InvalidOperation:
            valeur = None
        if valeur is None or not valeur.is_finite() or valeur < 0:
            self.refuser(numero, champ, f"« {brute} » n'est pas un nombre positif (ex. 1 200,5)")
            return None
        return valeur

    def _entier(self, numero, champ, brute):
        if not brute.isdigit() or int(brute) < 1 or int(brute) > 999:
            self.refuser(numero, champ, f"« {brute} » n'est pas un nombre entier de 1 à 999")
            return None
        return int(brute)

    def _booleen(self, numero, champ, brute):
        texte = normaliser(brute)
        if texte in OUI:
            return True
        if texte not in NON:
            self.refuser(numero, champ, f"« {brute} » : oui ou non attendu")
        return False

    def _siret(self, numero, champ, brute):
        siret = normaliser_siret(brute)
        try:
            valider_siret(siret)
        except ValidationError as exc:
            self.refuser(numero, champ, f"« {brute} » : {exc.messages[0]}")
        return siret

    def _valider_modele(self, numero, v):
        modele = MODELES.get(self.corr.entite)
        if modele is None:
            return
        classe, correspondance = modele
        objet = classe(**{champ_modele: v[c] for c, champ_modele in correspondance.items()})
        # Un champ facultatif vide prend la valeur par défaut du modèle à l'écriture.
        inverse = {m: c for c, m in correspondance.items() if v[c] not in ("", None)}
        try:
            objet.clean_fields(
                exclude=[f.name for f in classe._meta.fields if f.name not in inverse]
            )
        except ValidationError as exc:
            for champ, messages in exc.message_dict.items():
                self.refuser(numero, inverse.get(champ, ""), " ".join(messages))


def _controler(lecteur, numero, v, entite, contexte) -> None:
    """Les règles qui lient plusieurs champs d'une ligne (celles que la base vérifierait)."""
    if v.get("date_debut") and v.get("date_fin") and v["date_fin"] < v["date_debut"]:
        lecteur.refuser(
            numero,
            "date_fin",
            f"fin ({v['date_fin']:%d/%m/%Y}) avant le début ({v['date_debut']:%d/%m/%Y})",
        )
    if entite == Entite.MARCHE and v["attributaire_siret"] == "" and v["attributaire_nom"]:
        lecteur.refuser(numero, "attributaire_siret", "SIRET obligatoire avec le nom")
    if entite == Entite.BESOIN:
        trouve = contexte.facilitateurs.get(v["facilitateur"].lower())
        if trouve is None:
            lecteur.refuser(
                numero,
                "facilitateur",
                f"« {v['facilitateur']} » n'est pas facilitateur actif de ce PLIE",
            )
        v["facilitateur"] = trouve
        if not v["lot"] and (v["lot_intitule"] or v["lot_heures"] is not None):
            lecteur.refuser(numero, "lot", "numéro de lot obligatoire avec son intitulé")
    personnes = (Entite.POSITIONNEMENT, Entite.HEURES)
    if entite in personnes and bool(v["participant"]) == bool(v["candidat_externe"]):
        lecteur.refuser(
            numero,
            "participant",
            "indiquez soit un participant, soit un candidat externe (un seul des deux)",
        )
    if entite == Entite.POSITIONNEMENT:
        _controler_positionnement(lecteur, numero, v)


def _controler_positionnement(lecteur, numero, v):
    statut = v["statut_candidature"]
    if statut == StatutPositionnement.EMBAUCHEE:
        for champ in ("date_embauche", "type_contrat", "employeur"):
            if not v[champ]:
                lecteur.refuser(numero, champ, "obligatoire pour une embauche")
    elif v["date_embauche"]:
        lecteur.refuser(numero, "date_embauche", "date d'embauche d'une candidature non embauchée")
    if statut == StatutPositionnement.NON_RETENUE and not v["motif_non_retenue"]:
        lecteur.refuser(numero, "motif_non_retenue", "motif obligatoire (non retenue)")
    if v["date_embauche"] and v["date_fin_contrat"] and v["date_fin_contrat"] < v["date_embauche"]:
        lecteur.refuser(numero, "date_fin_contrat", "fin du contrat avant l'embauche")


def _cle_unique(entite, v):
    """Ce qui ne peut apparaître qu'une fois dans un fichier (en plus de l'identifiant)."""
    if entite == Entite.DONNEUR_ORDRE:
        return ("nom", normaliser(v["nom"]))
    if entite == Entite.OPERATION:
        return ("nom", v["donneur_ordre"], normaliser(v["nom"]))
    if entite == Entite.MARCHE:
        return ("numero", v["numero"])
    if entite == Entite.HEURES:
        return ("mois", v["marche"], v["participant"], v["candidat_externe"], v["mois"])
    return None


def lire_entite(entite, tableau, corr, contexte, connus) -> tuple[list[Ligne], list]:
    """Les lignes acceptées d'un fichier ; `connus` (entité -> identifiants dans la source) est
    complété des lignes acceptées, pour les entités qui suivent."""
    lecteur = LecteurClauses(tableau, corr, contexte)
    if lecteur.colonnes_manquantes():
        return [], lecteur.refus
    lignes, ids, cles = [], {}, {}
    for numero, brutes in tableau.lignes:
        v = lecteur.valeurs(numero, brutes)
        if v is None:
            continue
        avant = len(lecteur.refus)
        _controler(lecteur, numero, v, entite, contexte)
        for champ, cible in REFERENCES.items():
            if v.get(champ) and v[champ] not in connus[cible]:
                lecteur.refuser(
                    numero,
                    champ,
                    f"{LIBELLES_REF[cible]} « {v[champ]} » absent(e) des fichiers et des "
                    "reprises précédentes",
                )
        cle = _cle_unique(entite, v)
        if v["source_id"] and v["source_id"] in ids:
            lecteur.refuser(
                numero,
                "source_id",
                f"deux fois dans le fichier (même identifiant que la ligne {ids[v['source_id']]})",
            )
        elif cle is not None and cle in cles:
            lecteur.refuser(
                numero, cle[0], f"deux fois dans le fichier (comme la ligne {cles[cle]})"
            )
        if len(lecteur.refus) > avant:
            continue
        if v["source_id"]:
            ids[v["source_id"]] = numero
        if cle is not None:
            cles[cle] = numero
        lignes.append(Ligne(numero, v))
    if entite in connus:
        connus[entite] |= set(ids)
    return lignes, lecteur.refus
