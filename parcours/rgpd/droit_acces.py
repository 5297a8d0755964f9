"""Tout ce qu'un PLIE détient sur une personne : l'export du droit d'accès (docs/rgpd.md).

Le PLIE est responsable des données de ses parcours : l'export couvre l'identité de la personne,
ses parcours dans ce PLIE et tout ce qui s'y rattache (une rubrique par modèle, chaque ligne avec
tous ses champs : un champ ajouté à un modèle entre de lui-même dans l'export), ses candidatures
et heures de clauses du PLIE, la liste de ses documents, les tâches de ses parcours (fournies par
l'appelant : le domaine ne connaît pas les flux) et les accès à ses données tracés au journal.
Les parcours d'un autre PLIE n'y sont pas : ils relèvent d'un autre responsable.

`SOURCES_PARCOURS` et `SOURCES_PERSONNE` couvrent chaque modèle relié à un parcours ou à une
personne ; `EXCLUS` dit pourquoi les autres n'y sont pas (tests/rgpd/test_droit_acces.py le
vérifie sur le schéma).
"""

import datetime
import decimal
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone

from parcours.rgpd.documents import documents_des_parcours
from parcours.tracabilite.models import Trace

# (clé, titre, modèle, chemin vers le parcours)
SOURCES_PARCOURS = (
    ("prescription", "Prescription", "accompagnement.Prescription", "parcours"),
    (
        "statuts_declares",
        "Statuts déclarés",
        "accompagnement.StatutDeclare",
        "prescription__parcours",
    ),
    ("transitions", "Changements d'état", "accompagnement.TransitionParcours", "parcours"),
    (
        "inscriptions_commission",
        "Inscriptions en commission",
        "commissions.InscriptionSession",
        "parcours",
    ),
    ("decisions_commission", "Décisions de commission", "commissions.Decision", "parcours"),
    (
        "contrat_engagement",
        "Contrat d'engagement réciproque",
        "accompagnement.ContratEngagement",
        "parcours",
    ),
    (
        "questionnaire_fse",
        "Questionnaires FSE+ d'entrée (un par participation à une opération)",
        "accompagnement.QuestionnaireFSE",
        "parcours",
    ),
    (
        "participations_fse",
        "Participations aux opérations FSE+",
        "accompagnement.ParticipationFse",
        "parcours",
    ),
    ("pieces_entree", "Pièces d'entrée", "accompagnement.PieceEntree", "parcours"),
    ("etapes", "Étapes", "accompagnement.Etape", "parcours"),
    ("preuves_etapes", "Preuves d'étape", "accompagnement.PreuveEtape", "etape__parcours"),
    ("journal_etapes", "Journal des étapes", "accompagnement.JournalEtape", "etape__parcours"),
    ("entretiens", "Entretiens et contacts", "accompagnement.Entretien", "parcours"),
    ("suspensions", "Suspensions", "accompagnement.Suspension", "parcours"),
    (
        "renouvellements_suspension",
        "Renouvellements de suspension",
        "accompagnement.RenouvellementSuspension",
        "suspension__parcours",
    ),
    (
        "changements_referent",
        "Changements de référent",
        "accompagnement.ChangementReferent",
        "parcours",
    ),
    ("interims", "Intérims du référent", "accompagnement.Delegation", "parcours_couverts"),
    ("contrats", "Contrats de travail", "emploi.Contrat", "parcours"),
    ("propositions_sortie", "Propositions de sortie", "emploi.PropositionSortie", "parcours"),
    ("donnees_sortie_fse", "Données FSE+ de sortie", "emploi.DonneesSortieFSE", "parcours"),
    (
        "mises_en_relation",
        "Mises en relation sur des offres d'emploi",
        "entreprises.MiseEnRelation",
        "parcours",
    ),
    (
        "transitions_mises_en_relation",
        "Suivi des mises en relation",
        "entreprises.TransitionMiseEnRelation",
        "mise_en_relation__parcours",
    ),
    (
        "presences_evenements",
        "Présences aux événements",
        "entreprises.PresenceEvenement",
        "parcours",
    ),
    ("courriels", "Courriels envoyés à son sujet", "courriels.Courriel", "parcours"),
    (
        "controles_fse",
        "Contrôles de service fait où figure le dossier",
        "reporting.ControleFse",
        "participations__parcours",
    ),
)
# (clé, titre, modèle, chemin vers la personne, chemin vers le PLIE)
SOURCES_PERSONNE = (
    (
        "candidatures_clauses",
        "Candidatures sur des clauses sociales",
        "clauses.Positionnement",
        "participant",
        "besoin__marche__plie",
    ),
    (
        "suivi_candidatures_clauses",
        "Suivi des candidatures sur des clauses",
        "clauses.TransitionPositionnement",
        "positionnement__participant",
        "positionnement__besoin__marche__plie",
    ),
    (
        "heures_clauses",
        "Heures réalisées au titre des clauses",
        "clauses.HeuresRealisees",
        "participant",
        "marche__plie",
    ),
    (
        "journal_heures_clauses",
        "Journal des heures réalisées",
        "clauses.JournalHeures",
        "ligne__participant",
        "ligne__marche__plie",
    ),
)
# Modèles reliés à un parcours ou à une personne, absents de l'export, et pourquoi.
EXCLUS = {
    "accompagnement.Parcours": "les parcours sont les sections mêmes de l'export",
    "accompagnement.ParcoursUserObjectPermission": "droit technique d'accès (l'intérim y figure)",
    "accompagnement.ParcoursGroupObjectPermission": "droit technique d'accès d'un groupe",
    "accompagnement.JournalDelegation": "gestion des intérims du référent, sans la personne",
    "reprise.Provenance": "numéro de la ligne dans l'outil d'origine et empreinte de la reprise",
}
# Champs techniques, sans information sur la personne, ou copies tenues par la base (forme de
# recherche, nom recopié sur les parcours pour le tri) déjà dans l'export sous leur forme d'origine.
CHAMPS_IGNORES = {"recherche", "version", "nom_de_tri", "prenom_de_tri"}


# Les champs techniques sans libellé français.
LIBELLES = {"id": "numéro", "created at": "créé le", "updated at": "modifié le"}


@dataclass(frozen=True)
class Champ:
    cle: str
    libelle: str
    valeur: object  # sérialisable en JSON
    texte: str  # la valeur lisible dans le PDF


def _texte(v) -> str:
    if v is None or v in ("", [], {}):
        return "—"
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, datetime.datetime):
        return f"{timezone.localtime(v):%d/%m/%Y %H:%M}"
    if isinstance(v, datetime.date):
        return f"{v:%d/%m/%Y}"
    if isinstance(v, list):
        return ", ".join(map(_texte, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v).replace(".", ",") if isinstance(v, decimal.Decimal) else str(v)


def champ(cle: str, libelle: str, brut) -> Champ:
    libelle = LIBELLES.get(str(libelle).lower(), str(libelle))
    return Champ(cle, libelle, _json(brut), _texte(brut))


@dataclass
class Rubrique:
    cle: str
    titre: str
    lignes: list[list[Champ]] = field(default_factory=list)


@dataclass
class SectionParcours:
    parcours: list[Champ]
    titre: str
    rubriques: list[Rubrique]


@dataclass
class Export:
    participant: object
    plie: object
    genere_le: datetime.datetime
    genere_par: str
    identite: list[Champ]
    parcours: list[SectionParcours]
    rubriques: list[Rubrique]  # celles de la personne : clauses, documents, consultations

    def as_json(self) -> dict:
        def lignes(rubrique):
            return [{c.cle: c.valeur for c in ligne} for ligne in rubrique.lignes]

        return {
            "export": {
                "objet": "Droit d'accès (RGPD, art. 15) : données détenues par le PLIE",
                "plie": self.plie.nom,
                "participant": self.participant.numero,
                "genere_le": self.genere_le.isoformat(),
                "genere_par": self.genere_par,
            },
            "identite": {c.cle: c.valeur for c in self.identite},
            "parcours": [
                {
                    "parcours": {c.cle: c.valeur for c in s.parcours},
                    **{r.cle: lignes(r) for r in s.rubriques},
                }
                for s in self.parcours
            ],
            **{r.cle: lignes(r) for r in self.rubriques},
        }


class _Lecteur:
    """Met chaque ligne en champs (libellé, valeur) ; les objets liés sont nommés une fois."""

    def __init__(self, contexte_models):
        self.contexte = contexte_models  # modèles implicites (le parcours, la personne)
        self.noms: dict[tuple, str] = {}

    def valeur(self, obj, f):
        if f.is_relation:
            pk = getattr(obj, f.attname)
            if pk is None:
                return None
            cle = (f.related_model, pk)
            if cle not in self.noms:
                self.noms[cle] = str(getattr(obj, f.name))
            return self.noms[cle]
        valeur = f.value_from_object(obj)
        if isinstance(f, models.FileField):
            return valeur.name.rsplit("/", 1)[-1] if valeur else None
        if f.choices and valeur not in (None, ""):
            return str(dict(f.flatchoices).get(valeur, valeur))
        base = getattr(f, "base_field", None)
        if base is not None and base.choices and valeur:
            libelles = dict(base.flatchoices)
            return [str(libelles.get(v, v)) for v in valeur]
        return valeur

    def ligne(self, obj) -> list[Champ]:
        return [
            champ(f.name, f.verbose_name, self.valeur(obj, f))
            for f in obj._meta.concrete_fields
            if f.name not in CHAMPS_IGNORES
            and not (f.is_relation and f.related_model in self.contexte)
        ]


def _json(valeur):
    if isinstance(valeur, list):
        return [_json(v) for v in valeur]
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).isoformat()
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, decimal.Decimal):
        return str(valeur)
    return valeur


def _lignes(lecteur, modele, **filtre) -> list[list[Champ]]:
    qs = apps.get_model(modele).objects.filter(**filtre).distinct().order_by("pk")
    return [lecteur.ligne(obj) for obj in qs]


def _taches(taches) -> Rubrique:
    rubrique = Rubrique("taches", "Tâches du parcours")
    for t in taches:
        rubrique.lignes.append(
            [
                champ("titre", "tâche", t.titre),
                champ("etat", "état", t.etat),
                champ("responsable", "responsable", t.responsable),
                champ("ouverte_le", "ouverte le", t.ouverte_le),
                champ("fermee_le", "fermée le", t.fermee_le),
                champ("echeance", "échéance", t.echeance),
                champ("fermeture", "fermeture", t.fermeture),
            ]
        )
    return rubrique


def _documents(parcours_ids) -> Rubrique:
    rubrique = Rubrique("documents", "Documents conservés")
    for d in documents_des_parcours(parcours_ids):
        rubrique.lignes.append(
            [
                champ("parcours", "parcours", d.parcours_id),
                champ("document", "document", d.libelle),
                champ("fichier", "fichier", d.nom_fichier),
                champ("date", "date", d.date),
            ]
        )
    return rubrique


def _consultations(participant, plie) -> Rubrique:
    """Les accès à ses données : date, nature et objet. Pas l'identité des agents : le droit
    d'accès porte sur les consultations, pas sur qui, parmi le personnel, les a faites (CJUE,
    22 juin 2023, C-579/21)."""
    rubrique = Rubrique("acces_aux_donnees", "Accès à ses données (journal des accès)")
    traces = Trace.objects.filter(participant_id=participant.pk, plie=plie).order_by("at", "id")
    for t in traces:
        rubrique.lignes.append(
            [
                champ("le", "le", t.at),
                champ("type", "type", t.get_type_display()),
                champ("detail", "détail", t.detail),
            ]
        )
    return rubrique


def exporter(participant, plie, *, par, taches_par_parcours=None) -> Export:
    """Rassemble l'export de `participant` pour `plie` ; `taches_par_parcours` : {pk: tâches}."""
    from parcours.accompagnement.models import Parcours
    from parcours.participants.models import Participant

    taches_par_parcours = taches_par_parcours or {}
    lecteur = _Lecteur({Parcours, Participant})
    parcours_du_plie = list(
        Parcours.objects.filter(participant=participant, plie=plie).order_by(
            "date_prescription", "pk"
        )
    )
    sections = []
    for p in parcours_du_plie:
        rubriques = [
            Rubrique(cle, titre, _lignes(lecteur, modele, **{chemin: p}))
            for cle, titre, modele, chemin in SOURCES_PARCOURS
        ]
        rubriques.append(_taches(taches_par_parcours.get(p.pk, ())))
        titre = f"Parcours n° {p.pk} — {p.get_statut_display()}"
        sections.append(SectionParcours(_Lecteur(set()).ligne(p), titre, rubriques))
    rubriques = [
        Rubrique(cle, titre, _lignes(lecteur, modele, **{chemin: participant, chemin_plie: plie}))
        for cle, titre, modele, chemin, chemin_plie in SOURCES_PERSONNE
    ]
    rubriques.append(_documents(p.pk for p in parcours_du_plie))
    rubriques.append(_consultations(participant, plie))
    return Export(
        participant=participant,
        plie=plie,
        genere_le=timezone.now(),
        genere_par=str(par),
        identite=_Lecteur(set()).ligne(participant),
        parcours=sections,
        rubriques=rubriques,
    )
