"""Interpréter les lignes lues (fichier.py) dans le format neutre, avec la correspondance.

Chaque ligne fautive devient un `Refus` (fichier, ligne, colonne, raison) ; les lignes justes
deviennent des dictionnaires de valeurs du projet. Rien ici ne lit la base : ce qu'il faut en
savoir (personnes déjà reprises, référents du PLIE) arrive par `Contexte`.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from parcours.accompagnement.enums import STATUTS_CLOS, Statut
from parcours.participants.models import Participant
from parcours.participants.normalisation import normaliser
from parcours.reprise.correspondance import CHAMPS, MULTIPLES, CorrespondanceEntite
from parcours.reprise.enums import Entite

# États où la personne est entrée : la date d'entrée est connue.
STATUTS_ENTRES = (
    Statut.EN_ACCOMPAGNEMENT,
    Statut.SUSPENDU,
    Statut.EN_EMPLOI,
    Statut.SORTIE_PROPOSEE,
    Statut.SORTI,
)
STATUTS_SORTIS = (Statut.SORTIE_PROPOSEE, Statut.SORTI)
# États où le parcours est dans la file active d'un référent : il en faut un.
STATUTS_AVEC_REFERENT = (
    Statut.ADMIS,
    Statut.EN_ACCOMPAGNEMENT,
    Statut.SUSPENDU,
    Statut.EN_EMPLOI,
    Statut.SORTIE_PROPOSEE,
)
CHAMPS_DATE = {
    "date_naissance",
    "date_prescription",
    "date_entree",
    "date_sortie",
    "date_debut",
    "date_fin",
    "date_fin_prevue",
    "date_decision",
    "date_proposition",
    "date",
    "debut",
    "fin",
}
# Longueur maximale des textes hors participants (100 par défaut : identifiants, noms courts).
LONGUEURS = {
    "nom": 200,
    "intitule": 200,
    "prestataire": 200,
    "employeur": 200,
    "client": 200,
    "identifiant": 150,
    "prenom": 150,
    "email": 254,
    "commentaire": 5000,
    "objet": 5000,
    "motif_fin": 5000,
    "motif": 5000,
    "motif_decision": 5000,
    "precision": 5000,
    "fins_prevues_precedentes": 500,
}


@dataclass(frozen=True)
class Refus:
    fichier: str
    ligne: int
    colonne: str
    raison: str

    def __str__(self):
        colonne = f", colonne « {self.colonne} »" if self.colonne else ""
        return f"{self.fichier}, ligne {self.ligne}{colonne} : {self.raison}"


@dataclass
class Contexte:
    format_date: str
    # Identifiants (dans la source) des personnes déjà reprises lors d'un passage précédent.
    participants_repris: set = field(default_factory=set)
    # Référents du PLIE : identifiant ou courriel (en minuscules) -> (user, structure).
    referents: dict = field(default_factory=dict)
    # Identifiants (dans la source) des parcours déjà repris.
    parcours_repris: set = field(default_factory=set)
    # Structures du PLIE : nom normalisé -> nom (les structures du fichier s'y ajoutent).
    structures: dict = field(default_factory=dict)
    # Le catalogue d'étapes en vigueur du PLIE (referentiel.sections.etapes.Catalogue).
    catalogue: object = None
    # Opérations FSE+ du PLIE : numéro (en minuscules) -> opération.
    operations: dict = field(default_factory=dict)
    # Territoires du PLIE : code et nom normalisés -> id du territoire.
    territoires: dict = field(default_factory=dict)
    # Parcours cités par les décisions de sortie : identifiant dans la source -> état lu
    # (statut, type de sortie, date d'entrée), du fichier des parcours ou de la base.
    etats_parcours: dict = field(default_factory=dict)
    # Parcours (identifiant dans la source) -> DatesParcours, pour placer les participations.
    dates_parcours: dict = field(default_factory=dict)
    # Participations FSE+ connues, par parcours (identifiant dans la source) : liste de
    # `participations.Connue` (en base, ou lues dans le fichier des participations).
    participations: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Ligne:
    numero: int
    valeurs: dict


class _Lecteur:
    def __init__(self, tableau, correspondance: CorrespondanceEntite, contexte: Contexte):
        self.tableau = tableau
        self.corr = correspondance
        self.contexte = contexte
        self.refus: list[Refus] = []

    def refuser(self, numero, champ, raison):
        colonne = self.corr.colonne(champ) if champ else ""
        self.refus.append(Refus(self.tableau.nom, numero, colonne, raison))

    def colonnes_manquantes(self) -> bool:
        manquantes = [
            self.corr.colonne(c)
            for c in CHAMPS[self.corr.entite]["obligatoires"]
            if self.corr.colonne(c) not in self.tableau.colonnes
        ]
        for colonne in manquantes:
            self.refus.append(Refus(self.tableau.nom, 1, colonne, "colonne manquante"))
        return bool(manquantes)

    def valeurs(self, numero, brutes) -> dict | None:
        """Les valeurs du projet d'une ligne, ou None (ses refus sont notés)."""
        entite = self.corr.entite
        avant = len(self.refus)
        sortie = {}
        for champ in (*CHAMPS[entite]["obligatoires"], *CHAMPS[entite]["facultatifs"]):
            brute = brutes.get(self.corr.colonne(champ), "")
            if brute == "" or brute is None:
                if champ in CHAMPS[entite]["obligatoires"]:
                    self.refuser(numero, champ, "valeur obligatoire manquante")
                sortie[champ] = None if champ in CHAMPS_DATE else () if champ in MULTIPLES else ""
                continue
            if champ in CHAMPS_DATE:
                sortie[champ] = self._date(numero, champ, brute)
            elif champ in MULTIPLES:
                sortie[champ] = self._codes(numero, champ, str(brute))
            elif self.corr.a_des_valeurs(champ):
                code = self.corr.code(champ, str(brute))
                if code is None:
                    self.refuser(numero, champ, f"valeur « {brute} » sans correspondance")
                sortie[champ] = code
            else:
                sortie[champ] = self._texte(numero, champ, str(brute))
        return sortie if len(self.refus) == avant else None

    def _codes(self, numero, champ, brute) -> tuple:
        codes = []
        for morceau in brute.replace("|", ",").split(","):
            if not morceau.strip():
                continue
            code = self.corr.code(champ, morceau.strip())
            if code is None:
                self.refuser(numero, champ, f"valeur « {morceau.strip()} » sans correspondance")
            elif code not in codes:
                codes.append(code)
        return tuple(codes)

    def _date(self, numero, champ, brute):
        if isinstance(brute, datetime.date):
            return brute
        try:
            return datetime.datetime.strptime(str(brute), self.contexte.format_date).date()
        except ValueError:
            exemple = datetime.date(2024, 3, 31).strftime(self.contexte.format_date)
            self.refuser(numero, champ, f"date « {brute} » au mauvais format (attendu : {exemple})")
            return None

    def _texte(self, numero, champ, brute):
        if self.corr.entite == Entite.PARTICIPANT and champ != "source_id":
            longueur = Participant._meta.get_field(champ).max_length
            if len(brute) > longueur:
                self.refuser(numero, champ, f"{len(brute)} caractères ({longueur} au plus)")
        elif len(brute) > LONGUEURS.get(champ, 100):
            longueur = LONGUEURS.get(champ, 100)
            self.refuser(numero, champ, f"{len(brute)} caractères ({longueur} au plus)")
        return brute


def _personne_valide(lecteur, numero, valeurs) -> bool:
    """Les validateurs du modèle (courriel, texte sur une ligne…), sans la base."""
    personne = Participant(**{k: v for k, v in valeurs.items() if k != "source_id"})
    try:
        personne.full_clean(exclude=["recherche"], validate_unique=False)
    except ValidationError as exc:
        for champ, messages in exc.message_dict.items():
            lecteur.refuser(numero, champ, " ".join(messages))
        return False
    return True


def lire_participants(tableau, correspondance, contexte) -> tuple[list[Ligne], list[Refus]]:
    lecteur = _Lecteur(tableau, correspondance, contexte)
    if lecteur.colonnes_manquantes():
        return [], lecteur.refus
    lignes, ids, identites = [], {}, {}
    for numero, brutes in tableau.lignes:
        valeurs = lecteur.valeurs(numero, brutes)
        if valeurs is None or not _personne_valide(lecteur, numero, valeurs):
            continue
        identite = (normaliser(f"{valeurs['nom']} {valeurs['prenom']}"), valeurs["date_naissance"])
        if valeurs["source_id"] in ids:
            lecteur.refuser(
                numero,
                "source_id",
                f"personne deux fois dans le fichier (même identifiant que la ligne "
                f"{ids[valeurs['source_id']]})",
            )
        elif identite in identites:
            lecteur.refuser(
                numero,
                "nom",
                "personne deux fois dans le fichier (mêmes nom, prénom et date de naissance "
                f"que la ligne {identites[identite]})",
            )
        else:
            ids[valeurs["source_id"]] = numero
            identites[identite] = numero
            lignes.append(Ligne(numero, valeurs))
    return lignes, lecteur.refus


def _controler_parcours(lecteur, numero, v) -> bool:
    statut = v["statut"]
    avant = len(lecteur.refus)
    if statut in STATUTS_ENTRES and v["date_entree"] is None:
        lecteur.refuser(numero, "date_entree", f"date d'entrée obligatoire à l'état « {statut} »")
    if statut in STATUTS_SORTIS:
        if v["date_sortie"] is None:
            lecteur.refuser(
                numero, "date_sortie", f"date de sortie obligatoire à l'état « {statut} »"
            )
        if not v["type_sortie"]:
            lecteur.refuser(
                numero, "type_sortie", f"type de sortie obligatoire à l'état « {statut} »"
            )
    if v["date_entree"] and v["date_sortie"] and v["date_sortie"] < v["date_entree"]:
        lecteur.refuser(
            numero,
            "date_sortie",
            f"sortie ({v['date_sortie']:%d/%m/%Y}) avant l'entrée ({v['date_entree']:%d/%m/%Y})",
        )
    if v["referent"]:
        trouve = lecteur.contexte.referents.get(v["referent"].lower())
        if trouve is None and statut in STATUTS_AVEC_REFERENT:
            lecteur.refuser(
                numero, "referent", f"« {v['referent']} » n'est pas référent actif de ce PLIE"
            )
        v["referent"] = trouve
    else:
        if statut in STATUTS_AVEC_REFERENT:
            lecteur.refuser(numero, "referent", f"référent obligatoire à l'état « {statut} »")
        v["referent"] = None
    if v["territoire"]:
        # Le code du territoire (après la table `valeurs.territoire`) ou son nom.
        trouve = lecteur.contexte.territoires.get(normaliser(v["territoire"]))
        if trouve is None:
            lecteur.refuser(
                numero, "territoire", f"territoire « {v['territoire']} » inconnu de ce PLIE"
            )
        v["territoire"] = trouve
    else:
        v["territoire"] = None  # pas de territoire : comme avant (docs/reprise.md)
    return len(lecteur.refus) == avant


def lire_parcours(
    tableau, correspondance, contexte, participants_du_fichier
) -> tuple[list[Ligne], list[Refus]]:
    """`participants_du_fichier` : identifiants (dans la source) des personnes lues sans refus."""
    lecteur = _Lecteur(tableau, correspondance, contexte)
    if lecteur.colonnes_manquantes():
        return [], lecteur.refus
    connus = participants_du_fichier | contexte.participants_repris
    lignes, ids, ouverts = [], {}, {}
    for numero, brutes in tableau.lignes:
        v = lecteur.valeurs(numero, brutes)
        if v is None or not _controler_parcours(lecteur, numero, v):
            continue
        if v["source_id"] in ids:
            lecteur.refuser(
                numero,
                "source_id",
                f"parcours deux fois dans le fichier (même identifiant que la ligne "
                f"{ids[v['source_id']]})",
            )
            continue
        if v["participant"] not in connus:
            lecteur.refuser(
                numero, "participant", f"personne « {v['participant']} » absente des participants"
            )
            continue
        if v["statut"] not in STATUTS_CLOS:
            if v["participant"] in ouverts:
                lecteur.refuser(
                    numero,
                    "statut",
                    "la personne a déjà un parcours ouvert dans ce fichier "
                    f"(ligne {ouverts[v['participant']]}) : un seul parcours ouvert par PLIE",
                )
                continue
            ouverts[v["participant"]] = numero
        ids[v["source_id"]] = numero
        lignes.append(Ligne(numero, v))
    return lignes, lecteur.refus
