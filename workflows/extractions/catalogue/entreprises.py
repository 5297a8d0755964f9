"""Les extractions du réseau d'entreprises et des clauses (docs/extractions.md) : offres, mises en
relation, entreprises, candidatures (positionnements). Une requête par fichier : les comptes et
le dernier contact sont des sous-requêtes de la même requête."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from parcours import acces
from parcours.clauses.enums import StatutPositionnement
from parcours.emploi.enums import TypeContrat
from parcours.entreprises.enums import (
    STATUTS_OFFRE_OUVERTE,
    StatutMiseEnRelation,
    StatutOffre,
    TrancheEffectif,
)
from parcours.entreprises.models import ContactEntreprise, OffreEmploi
from parcours.participants.models import numero
from workflows.entreprises.views.commun import participant_visible
from workflows.exports import Colonne
from workflows.extractions.catalogue.dossiers import personne
from workflows.extractions.definition import Extraction, entre, libelle, nom_complet

OFFRES = Extraction(
    nom="offres",
    libelle="Offres d'emploi",
    description="Les offres que vous voyez, avec leur nombre de candidats.",
    droit=acces.peut_extraire_les_offres,
    lignes=lambda user: acces.offres_visibles(user),
    champs=(
        "id",
        "intitule",
        "entreprise__raison_sociale",
        "entreprise__siret",
        "plie__nom",
        "type_contrat",
        "lieu",
        "heures_hebdo",
        "nb_postes",
        "date_limite",
        "statut",
        "created_at",
    ),
    colonnes=[
        Colonne("N° offre", lambda r: r["id"]),
        Colonne("Intitulé", lambda r: r["intitule"]),
        Colonne("Entreprise", lambda r: r["entreprise__raison_sociale"]),
        Colonne("SIRET", lambda r: r["entreprise__siret"]),
        Colonne("PLIE", lambda r: r["plie__nom"]),
        Colonne("Type de contrat", libelle("type_contrat", TypeContrat.choices)),
        Colonne("Lieu", lambda r: r["lieu"]),
        Colonne("Heures par semaine", lambda r: r["heures_hebdo"]),
        Colonne("Postes", lambda r: r["nb_postes"]),
        Colonne("Date limite", lambda r: r["date_limite"]),
        Colonne("Statut", libelle("statut", StatutOffre.choices)),
        Colonne("Collectée le", lambda r: r["created_at"]),
        Colonne("Candidats", lambda r: r["nb_candidats"]),
    ],
    ordre=("-created_at", "-id"),
    periode=entre("created_at", horodatage=True),
    libelle_periode="Offres collectées sur la période",
    statut="statut",
    choix_statut=StatutOffre.choices,
    annotations=lambda user: {"nb_candidats": Count("mises_en_relation")},
)

_PERSONNE_M, _COL_PERSONNE_M = personne("parcours__participant", visible="participant_visible")

MISES_EN_RELATION = Extraction(
    nom="mises-en-relation",
    libelle="Mises en relation",
    description="Les candidats proposés sur les offres ; le nom de la personne seulement si "
    "vous voyez son dossier.",
    droit=acces.peut_extraire_les_mises_en_relation,
    lignes=lambda user: acces.mises_en_relation_visibles(user),
    champs=(
        "id",
        "offre_id",
        "offre__intitule",
        "offre__entreprise__raison_sociale",
        "offre__plie__nom",
        *_PERSONNE_M,
        "parcours__referent__first_name",
        "parcours__referent__last_name",
        "statut",
        "created_at",
        "proposee_par__first_name",
        "proposee_par__last_name",
        "date_entretien",
    ),
    colonnes=[
        Colonne("N° mise en relation", lambda r: r["id"]),
        Colonne("N° offre", lambda r: r["offre_id"]),
        Colonne("Offre", lambda r: r["offre__intitule"]),
        Colonne("Entreprise", lambda r: r["offre__entreprise__raison_sociale"]),
        Colonne("PLIE", lambda r: r["offre__plie__nom"]),
        *_COL_PERSONNE_M,
        Colonne(
            "Référent",
            lambda r: nom_complet("parcours__referent__")(r) if r["participant_visible"] else "",
        ),
        Colonne("Statut", libelle("statut", StatutMiseEnRelation.choices)),
        Colonne("Proposée le", lambda r: r["created_at"]),
        Colonne("Proposée par", nom_complet("proposee_par__")),
        Colonne("Entretien le", lambda r: r["date_entretien"]),
    ],
    ordre=("-created_at", "-id"),
    periode=entre("created_at", horodatage=True),
    libelle_periode="Mises en relation proposées sur la période",
    structure=("parcours__structure_referente_id",),
    referent="parcours__referent_id",
    statut="statut",
    choix_statut=StatutMiseEnRelation.choices,
    annotations=lambda user: {"participant_visible": participant_visible(user)},
)


def _compteurs_entreprise(user) -> dict:
    ouvertes = OffreEmploi.objects.filter(
        entreprise=OuterRef("pk"), statut__in=STATUTS_OFFRE_OUVERTE
    )
    ouvertes = ouvertes.values("entreprise").annotate(n=Count("pk")).values("n")
    dernier = ContactEntreprise.objects.filter(entreprise=OuterRef("pk")).order_by("-date")
    return {
        "nb_offres_ouvertes": Coalesce(Subquery(ouvertes[:1]), 0),
        "dernier_contact": Subquery(dernier.values("date")[:1]),
    }


ENTREPRISES = Extraction(
    nom="entreprises",
    libelle="Entreprises (employeurs)",
    description="Le réseau d'entreprises de vos PLIE, avec les offres ouvertes et le dernier "
    "contact.",
    droit=acces.peut_extraire_les_entreprises,
    lignes=lambda user: acces.entreprises_visibles(user),
    champs=(
        "raison_sociale",
        "siret",
        "secteur",
        "tranche_effectif",
        "partenaire",
        "adresse",
        "commune",
        "plie__nom",
        "created_at",
    ),
    colonnes=[
        Colonne("Raison sociale", lambda r: r["raison_sociale"]),
        Colonne("SIRET", lambda r: r["siret"]),
        Colonne("Secteur", lambda r: r["secteur"]),
        Colonne("Effectif", libelle("tranche_effectif", TrancheEffectif.choices)),
        Colonne("Partenaire", lambda r: r["partenaire"]),
        Colonne("Adresse", lambda r: r["adresse"]),
        Colonne("Commune", lambda r: r["commune"]),
        Colonne("PLIE", lambda r: r["plie__nom"]),
        Colonne("Offres ouvertes", lambda r: r["nb_offres_ouvertes"]),
        Colonne("Dernier contact", lambda r: r["dernier_contact"]),
        Colonne("Créée le", lambda r: r["created_at"]),
    ],
    ordre=("raison_sociale", "id"),
    periode=entre("created_at", horodatage=True),
    libelle_periode="Entreprises enregistrées sur la période",
    statut="tranche_effectif",
    libelle_statut="Effectif",
    choix_statut=TrancheEffectif.choices,
    annotations=_compteurs_entreprise,
)


def _candidat(champ_participant: str, champ_externe: str):
    return lambda r: r[champ_participant] or r[champ_externe] or ""


POSITIONNEMENTS = Extraction(
    nom="positionnements",
    libelle="Positionnements (clauses)",
    description="Les candidatures sur les besoins des marchés à clause d'insertion que vous "
    "voyez : participants du PLIE et candidats externes.",
    droit=acces.peut_extraire_les_positionnements,
    lignes=lambda user: acces.positionnements_visibles(user),
    champs=(
        "id",
        "besoin__marche__numero",
        "besoin__marche__plie__nom",
        "besoin__poste",
        "participant_id",
        "participant__nom",
        "participant__prenom",
        "candidat_externe__nom",
        "candidat_externe__prenom",
        "statut",
        "structure_proposante__nom",
        "propose_par__first_name",
        "propose_par__last_name",
        "created_at",
        "date_embauche",
        "type_contrat",
        "employeur",
    ),
    colonnes=[
        Colonne("N° candidature", lambda r: r["id"]),
        Colonne("Marché", lambda r: r["besoin__marche__numero"]),
        Colonne("PLIE", lambda r: r["besoin__marche__plie__nom"]),
        Colonne("Poste", lambda r: r["besoin__poste"]),
        Colonne(
            "Candidat",
            lambda r: "Participant du PLIE" if r["participant_id"] else "Candidat externe",
        ),
        Colonne(
            "N° participant", lambda r: numero(r["participant_id"]) if r["participant_id"] else ""
        ),
        Colonne("Nom", _candidat("participant__nom", "candidat_externe__nom")),
        Colonne("Prénom", _candidat("participant__prenom", "candidat_externe__prenom")),
        Colonne("Statut", libelle("statut", StatutPositionnement.choices)),
        Colonne("Structure qui propose", lambda r: r["structure_proposante__nom"]),
        Colonne("Proposée par", nom_complet("propose_par__")),
        Colonne("Proposée le", lambda r: r["created_at"]),
        Colonne("Embauche le", lambda r: r["date_embauche"]),
        Colonne("Type de contrat", libelle("type_contrat", TypeContrat.choices)),
        Colonne("Employeur", lambda r: r["employeur"]),
    ],
    ordre=("-created_at", "-id"),
    periode=entre("created_at", horodatage=True),
    libelle_periode="Candidatures proposées sur la période",
    structure=("structure_proposante_id",),
    statut="statut",
    choix_statut=StatutPositionnement.choices,
)
