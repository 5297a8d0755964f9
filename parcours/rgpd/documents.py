"""Les documents déposés ou générés pour une personne, où qu'ils soient rangés : une seule liste
(`SOURCES`) que lisent la conservation (suppression au terme) et l'export du droit d'accès.

Un document est un champ fichier d'une ligne rattachée à un parcours. Quand la ligne n'est que
le document (pièce d'entrée, preuve d'étape : le fichier y est obligatoire), elle est supprimée
avec lui ; sinon le champ est vidé et la ligne garde le reste (un entretien, un contrat).
Le procès-verbal d'une commission, document de la séance et non d'une personne, n'en est pas.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

# L'auteur des traces de la conservation : aucun utilisateur, la commande quotidienne.
AUTEUR = "conservation (automatique)"


@dataclass(frozen=True)
class SourceDocument:
    modele: str  # « application.Modele »
    champ: str  # le champ fichier
    vers_parcours: str  # chemin de la ligne à son parcours
    rubrique: str
    date: str  # le champ qui date le document
    libelle_champ: str = ""  # un libellé propre au document (pièce, preuve), sinon la rubrique
    ligne_supprimee: bool = False

    @property
    def model(self):
        return apps.get_model(self.modele)


SOURCES = (
    SourceDocument("accompagnement.Prescription", "cv", "parcours", "CV", "created_at"),
    SourceDocument(
        "accompagnement.ContratEngagement",
        "fichier",
        "parcours",
        "Contrat d'engagement (PDF généré)",
        "genere_le",
    ),
    SourceDocument(
        "accompagnement.ContratEngagement",
        "copie_signee",
        "parcours",
        "Contrat d'engagement signé",
        "copie_deposee_le",
    ),
    SourceDocument(
        "accompagnement.PieceEntree",
        "fichier",
        "parcours",
        "Pièce d'entrée",
        "le",
        libelle_champ="libelle",
        ligne_supprimee=True,
    ),
    SourceDocument(
        "accompagnement.PreuveEtape",
        "fichier",
        "etape__parcours",
        "Preuve d'étape",
        "deposee_le",
        libelle_champ="libelle",
        ligne_supprimee=True,
    ),
    SourceDocument(
        "accompagnement.Entretien", "emargement", "parcours", "Feuille d'émargement", "date"
    ),
    SourceDocument(
        "emploi.Contrat", "justificatif", "parcours", "Justificatif de contrat", "debut"
    ),
    SourceDocument(
        "emploi.PropositionSortie",
        "justificatif",
        "parcours",
        "Justificatif de sortie",
        "proposee_le",
    ),
)


@dataclass(frozen=True)
class Document:
    source: SourceDocument
    objet: object
    parcours_id: int
    plie_id: int
    participant_id: int

    @property
    def fichier(self):
        return getattr(self.objet, self.source.champ)

    @property
    def libelle(self) -> str:
        """Sans nom de fichier : il peut contenir le nom de la personne (la trace d'une
        suppression survit à l'anonymisation)."""
        propre = getattr(self.objet, self.source.libelle_champ) if self.source.libelle_champ else ""
        return f"{self.source.rubrique} : {propre}" if propre else self.source.rubrique

    @property
    def date(self) -> datetime.date | None:
        valeur = getattr(self.objet, self.source.date)
        if isinstance(valeur, datetime.datetime):
            from django.utils import timezone

            return timezone.localtime(valeur).date()
        return valeur

    @property
    def nom_fichier(self) -> str:
        return self.fichier.name.rsplit("/", 1)[-1]


def documents_des_parcours(parcours_ids) -> list[Document]:
    """Les documents présents (fichier non vide) des parcours donnés : une requête par source."""
    parcours_ids = list(parcours_ids)
    documents = []
    if not parcours_ids:
        return documents
    for source in SOURCES:
        lignes = (
            source.model.objects.filter(**{f"{source.vers_parcours}__in": parcours_ids})
            .exclude(**{source.champ: ""})
            .annotate(
                _parcours_id=F(source.vers_parcours),
                _plie_id=F(f"{source.vers_parcours}__plie_id"),
                _participant_id=F(f"{source.vers_parcours}__participant_id"),
            )
            .order_by(source.date, "pk")
        )
        documents += [
            Document(source, ligne, ligne._parcours_id, ligne._plie_id, ligne._participant_id)
            for ligne in lignes
        ]
    return documents


def filtre_a_des_documents() -> Q:
    """Q sur Parcours : au moins un document présent, toutes sources confondues."""
    condition = Q(pk__in=[])
    for source in SOURCES:
        presents = source.model.objects.filter(**{source.vers_parcours: OuterRef("pk")}).exclude(
            **{source.champ: ""}
        )
        condition |= Q(Exists(presents))
    return condition


def supprimer_document(document: Document, *, motif: str) -> None:
    """Vide le champ (ou supprime la ligne qui n'est que le document) et le trace au journal ;
    le fichier quitte le stockage une fois la transaction validée : une erreur d'enregistrement
    n'efface rien."""
    fichier = document.fichier
    nom, stockage = fichier.name, fichier.storage
    source = document.source
    lignes = source.model.objects.filter(pk=document.objet.pk)
    if source.ligne_supprimee:
        lignes.delete()
    else:
        lignes.update(**{source.champ: ""})
    transaction.on_commit(lambda: stockage.delete(nom))
    tracer(
        TypeTrace.ANONYMISATION,
        identifiant=AUTEUR,
        plie=document.plie_id,
        participant_id=document.participant_id,
        objet_type=source.model._meta.model_name,
        objet_id=document.objet.pk,
        detail=f"Document supprimé ({motif}) : {document.libelle}",
    )
