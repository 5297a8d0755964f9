"""Les extractions des dossiers (docs/extractions.md) : parcours, étapes, entretiens, contrats,
sorties. Les lignes sont des dictionnaires (`values()`) joints d'avance : une requête pour tout
le fichier, quel que soit le nombre de lignes."""

from parcours import acces
from parcours.accompagnement.enums import CanalContact, Presence, Statut, StatutEtape, TypeSortie
from parcours.accompagnement.models import Entretien, Etape
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import Contrat, SituationSortie
from parcours.participants.models import numero
from workflows.exports import Colonne
from workflows.extractions.definition import Extraction, chevauche, entre, libelle, nom_complet


def personne(chemin: str, visible: str = "") -> tuple[tuple, list]:
    """Le numéro (la clé pour un tableur), le nom et le prénom de la personne au bout de
    `chemin` ; vides quand la ligne dit la personne invisible (`visible`)."""
    cle, nom, prenom = f"{chemin}_id", f"{chemin}__nom", f"{chemin}__prenom"

    def lire(champ, format=str):
        return lambda r: format(r[champ]) if r[champ] and (not visible or r[visible]) else ""

    colonnes = [
        Colonne("N° participant", lire(cle, numero)),
        Colonne("Nom", lire(nom)),
        Colonne("Prénom", lire(prenom)),
    ]
    return (cle, nom, prenom), colonnes


def _dossier(prefixe: str) -> tuple[tuple, list]:
    """Le PLIE, la structure référente et le référent du parcours au bout de `prefixe`."""
    champs = (
        f"{prefixe}plie__nom",
        f"{prefixe}structure_referente__nom",
        f"{prefixe}referent__first_name",
        f"{prefixe}referent__last_name",
    )
    colonnes = [
        Colonne("PLIE", lambda r: r[f"{prefixe}plie__nom"]),
        Colonne("Structure référente", lambda r: r[f"{prefixe}structure_referente__nom"]),
        Colonne("Référent", nom_complet(f"{prefixe}referent__")),
    ]
    return champs, colonnes


def _suivi(modele):
    """Les lignes d'un objet du suivi (étape, entretien, contrat) des parcours suivis visibles."""
    return lambda user: modele.objects.filter(parcours__in=acces.parcours_suivis_visibles(user))


_PERSONNE_P, _COL_PERSONNE_P = personne("participant")
_DOSSIER_P, _COL_DOSSIER_P = _dossier("")
_PERSONNE_S, _COL_PERSONNE_S = personne("parcours__participant")
_DOSSIER_S, _COL_DOSSIER_S = _dossier("parcours__")
_FILTRES_PARCOURS = {
    "structure": ("structure_referente_id", "structure_prescriptrice_id"),
    "referent": "referent_id",
}
_FILTRES_SUIVI = {
    "structure": ("parcours__structure_referente_id",),
    "referent": "parcours__referent_id",
}

PARCOURS = Extraction(
    nom="parcours",
    libelle="Parcours",
    description="Chaque parcours visible (une personne peut en avoir plusieurs), de la "
    "prescription à la sortie.",
    droit=acces.peut_extraire_les_parcours,
    lignes=lambda user: acces.parcours_visibles(user),
    champs=(
        *_PERSONNE_P,
        "participant__date_naissance",
        *_DOSSIER_P,
        "territoire__nom",
        "structure_prescriptrice__nom",
        "statut",
        "date_prescription",
        "date_entree",
        "date_sortie",
        "type_sortie",
    ),
    colonnes=[
        *_COL_PERSONNE_P,
        Colonne("Naissance", lambda r: r["participant__date_naissance"]),
        *_COL_DOSSIER_P,
        Colonne("Territoire", lambda r: r["territoire__nom"]),
        Colonne("Structure prescriptrice", lambda r: r["structure_prescriptrice__nom"]),
        Colonne("État", libelle("statut", Statut.choices)),
        Colonne("Prescription", lambda r: r["date_prescription"]),
        Colonne("Entrée", lambda r: r["date_entree"]),
        Colonne("Sortie", lambda r: r["date_sortie"]),
        Colonne("Type de sortie", libelle("type_sortie", TypeSortie.choices)),
    ],
    ordre=("participant__nom", "participant__prenom", "participant_id", "date_prescription", "id"),
    periode=chevauche("date_prescription", "date_sortie"),
    libelle_periode="Parcours présents sur la période (de la prescription à la sortie)",
    statut="statut",
    libelle_statut="État",
    choix_statut=Statut.choices,
    **_FILTRES_PARCOURS,
)

ETAPES = Extraction(
    nom="etapes",
    libelle="Étapes",
    description="Les étapes des parcours dont vous lisez le suivi.",
    droit=acces.peut_extraire_le_suivi,
    lignes=_suivi(Etape),
    champs=(
        *_PERSONNE_S,
        *_DOSSIER_S,
        "type_code",
        "type_libelle",
        "categorie",
        "intitule",
        "prestataire",
        "operation__numero",
        "date_debut",
        "date_fin",
        "statut",
    ),
    colonnes=[
        *_COL_PERSONNE_S,
        *_COL_DOSSIER_S,
        Colonne("Code du type", lambda r: r["type_code"]),
        Colonne("Type d'étape", lambda r: r["type_libelle"]),
        Colonne("Catégorie", lambda r: r["categorie"]),
        Colonne("Intitulé", lambda r: r["intitule"]),
        Colonne("Prestataire", lambda r: r["prestataire"]),
        Colonne("Opération FSE+", lambda r: r["operation__numero"]),
        Colonne("Début", lambda r: r["date_debut"]),
        Colonne("Fin", lambda r: r["date_fin"]),
        Colonne("Statut", libelle("statut", StatutEtape.choices)),
    ],
    ordre=("date_debut", "id"),
    periode=chevauche("date_debut", "date_fin"),
    libelle_periode="Étapes en cours sur la période",
    statut="statut",
    choix_statut=StatutEtape.choices,
    **_FILTRES_SUIVI,
)

ENTRETIENS = Extraction(
    nom="entretiens",
    libelle="Entretiens et contacts",
    description="Les entretiens et contacts notés aux dossiers dont vous lisez le suivi (sans "
    "les comptes rendus).",
    droit=acces.peut_extraire_le_suivi,
    lignes=_suivi(Entretien),
    champs=(
        *_PERSONNE_S,
        *_DOSSIER_S,
        "date",
        "canal",
        "presence",
        "auteur__first_name",
        "auteur__last_name",
    ),
    colonnes=[
        *_COL_PERSONNE_S,
        *_COL_DOSSIER_S,
        Colonne("Date", lambda r: r["date"]),
        Colonne("Canal", libelle("canal", CanalContact.choices)),
        Colonne("Présence", libelle("presence", Presence.choices)),
        Colonne("Auteur", nom_complet("auteur__")),
    ],
    ordre=("date", "id"),
    periode=entre("date", horodatage=True),
    libelle_periode="Entretiens de la période",
    statut="canal",
    libelle_statut="Canal",
    choix_statut=CanalContact.choices,
    **_FILTRES_SUIVI,
)

CONTRATS = Extraction(
    nom="contrats",
    libelle="Contrats",
    description="Les contrats de travail notés aux dossiers dont vous lisez le suivi.",
    droit=acces.peut_extraire_le_suivi,
    lignes=_suivi(Contrat),
    champs=(
        *_PERSONNE_S,
        *_DOSSIER_S,
        "type",
        "employeur",
        "entreprise__raison_sociale",
        "entreprise__siret",
        "debut",
        "fin",
        "heures_hebdo",
        "heures",
    ),
    colonnes=[
        *_COL_PERSONNE_S,
        *_COL_DOSSIER_S,
        Colonne("Type de contrat", libelle("type", TypeContrat.choices)),
        Colonne("Employeur", lambda r: r["entreprise__raison_sociale"] or r["employeur"]),
        Colonne("SIRET", lambda r: r["entreprise__siret"]),
        Colonne("Début", lambda r: r["debut"]),
        Colonne("Fin", lambda r: r["fin"]),
        Colonne("Heures par semaine", lambda r: r["heures_hebdo"]),
        Colonne("Heures réalisées", lambda r: r["heures"]),
    ],
    ordre=("debut", "id"),
    periode=chevauche("debut", "fin"),
    libelle_periode="Contrats en cours sur la période",
    statut="type",
    libelle_statut="Type de contrat",
    choix_statut=TypeContrat.choices,
    **_FILTRES_SUIVI,
)

SORTIES = Extraction(
    nom="sorties",
    libelle="Sorties",
    description="Les parcours sortis dont vous lisez le suivi, avec la situation FSE+ à la sortie.",
    droit=acces.peut_extraire_le_suivi,
    lignes=lambda user: acces.parcours_suivis_visibles(user).filter(date_sortie__isnull=False),
    champs=(
        *_PERSONNE_P,
        *_DOSSIER_P,
        "date_entree",
        "date_sortie",
        "type_sortie",
        "donnees_sortie_fse__situation",
    ),
    colonnes=[
        *_COL_PERSONNE_P,
        *_COL_DOSSIER_P,
        Colonne("Entrée", lambda r: r["date_entree"]),
        Colonne("Sortie", lambda r: r["date_sortie"]),
        Colonne("Type de sortie", libelle("type_sortie", TypeSortie.choices)),
        Colonne(
            "Situation FSE+ à la sortie",
            libelle("donnees_sortie_fse__situation", SituationSortie.choices),
        ),
    ],
    ordre=("date_sortie", "id"),
    periode=entre("date_sortie"),
    libelle_periode="Sorties de la période",
    statut="type_sortie",
    libelle_statut="Type de sortie",
    choix_statut=TypeSortie.choices,
    **_FILTRES_PARCOURS,
)
