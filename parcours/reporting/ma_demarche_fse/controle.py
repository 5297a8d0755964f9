"""Le contrôle préalable à l'export : chaque participant dont une donnée exigée manque ou se
contredit, par son nom, avec ce qui manque et où le corriger (fiche, questionnaire, sortie).

Le même contrôle décide des lignes de l'export (`export.py`) : sans le mode partiel, une seule
anomalie empêche l'export ; en mode partiel, les lignes en anomalie sont écartées et comptées."""

import datetime
from dataclasses import dataclass, field

from parcours.accompagnement.models import ParticipationFse
from parcours.fse.enums import MotifFinParticipation

# Où corriger : le nom de la page que l'écran transforme en lien (workflows/pilotage/).
FICHE, QUESTIONNAIRE, SORTIE = "fiche", "questionnaire", "sortie"
AGE_MINIMUM = 16  # à confirmer : l'âge d'entrée dans un PLIE (seed 001 : « 16 ans et plus »)
CHAMPS_FICHE_ENTREE = {
    "nom": "nom",
    "prenom": "prénom",
    "date_naissance": "date de naissance",
    "sexe": "sexe",
    "adresse": "adresse",
    "commune_insee": "commune de résidence",
}
CHAMPS_FICHE_SORTIE = ("nom", "prenom", "date_naissance")


@dataclass
class Probleme:
    texte: str
    a_corriger: str | None  # FICHE, QUESTIONNAIRE, SORTIE, ou None (rien à corriger ici)


@dataclass
class Anomalie:
    participation_id: int
    parcours_id: int
    participant_id: int
    nom: str
    problemes: list[Probleme] = field(default_factory=list)

    @property
    def textes(self) -> list[str]:
        return [p.texte for p in self.problemes]


def participations_a_exporter(operation, periode, sorties: bool = False):
    """Les participations de l'opération entrées (ou sorties) dans la période, chargées en une
    requête (jointures) : la source du contrôle et de l'export."""
    qs = ParticipationFse.objects.filter(operation=operation)
    if sorties:
        qs = qs.filter(date_sortie__range=(periode.du, periode.au)).order_by("date_sortie", "pk")
    else:
        qs = qs.filter(date_entree__range=(periode.du, periode.au)).order_by("date_entree", "pk")
    return qs.select_related(
        "operation", "parcours__participant", "questionnaire", "parcours__donnees_sortie_fse"
    )


def _age(naissance: datetime.date, jour: datetime.date) -> int:
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


def _fiche(participant, champs) -> list[Probleme]:
    if participant.anonymise_le is not None:
        return [Probleme("Identité anonymisée (conservation) : participant non exportable", None)]
    return [
        Probleme(f"Fiche participant : {CHAMPS_FICHE_ENTREE[c]} manquant(e)", FICHE)
        for c in champs
        if getattr(participant, c) in (None, "")
    ]


def problemes_entree(p) -> list[Probleme]:
    participant = p.parcours.participant
    problemes = _fiche(participant, CHAMPS_FICHE_ENTREE)
    q = getattr(p, "questionnaire", None)
    if q is None:
        problemes.append(Probleme("Questionnaire FSE+ non renseigné", QUESTIONNAIRE))
    else:
        problemes += [
            Probleme(f"Questionnaire FSE+ : {libelle} manquant(e)", QUESTIONNAIRE)
            for libelle in q.champs_manquants()
        ]
        if q.date_entree and q.date_entree != p.date_entree:
            problemes.append(
                Probleme(
                    f"La date d'entrée du questionnaire ({q.date_entree:%d/%m/%Y}) diffère de "
                    f"celle de la participation ({p.date_entree:%d/%m/%Y})",
                    QUESTIONNAIRE,
                )
            )
    naissance = participant.date_naissance
    if naissance and _age(naissance, p.date_entree) < AGE_MINIMUM:
        problemes.append(
            Probleme(
                f"Âge à l'entrée : {_age(naissance, p.date_entree)} ans (moins de "
                f"{AGE_MINIMUM} ans) : date de naissance ou d'entrée à vérifier",
                None,
            )
        )
    op = p.operation
    if p.date_entree < op.debut or (op.fin and p.date_entree > op.fin):
        problemes.append(
            Probleme(
                f"Entrée le {p.date_entree:%d/%m/%Y}, hors de la période de l'opération",
                QUESTIONNAIRE,
            )
        )
    return problemes


def problemes_sortie(p) -> list[Probleme]:
    problemes = _fiche(p.parcours.participant, CHAMPS_FICHE_SORTIE)
    donnees = getattr(p.parcours, "donnees_sortie_fse", None)
    if p.motif_fin == MotifFinParticipation.SORTIE and donnees is None:
        problemes.append(Probleme("Données FSE+ de sortie non saisies", SORTIE))
    op = p.operation
    if op.fin and p.date_sortie and p.date_sortie > op.fin:
        problemes.append(
            Probleme(f"Sortie le {p.date_sortie:%d/%m/%Y}, après la fin de l'opération", None)
        )
    return problemes


def anomalie_de(p, sorties: bool) -> Anomalie | None:
    problemes = problemes_sortie(p) if sorties else problemes_entree(p)
    if not problemes:
        return None
    participant = p.parcours.participant
    return Anomalie(
        participation_id=p.pk,
        parcours_id=p.parcours_id,
        participant_id=participant.pk,
        nom=f"{participant.nom.upper()} {participant.prenom}".strip(),
        problemes=problemes,
    )


def controler(operation, periode, sorties: bool = False) -> list[Anomalie]:
    """Les anomalies des participations à exporter, dans l'ordre du fichier (une requête)."""
    anomalies = []
    for p in participations_a_exporter(operation, periode, sorties).iterator(chunk_size=2000):
        anomalie = anomalie_de(p, sorties)
        if anomalie is not None:
            anomalies.append(anomalie)
    return anomalies
