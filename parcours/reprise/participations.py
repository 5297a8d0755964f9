"""Reprendre les participations FSE+ successives des parcours (docs/reprise.md) : un parcours
dans une opération, de sa date d'entrée à sa date de sortie, avec son motif de fin — l'histoire
qu'écrivent dans l'instance l'engagement, le changement de structure du référent et la sortie
(parcours/accompagnement/participations.py).

Refusés à la lecture, avec leur ligne : une opération inconnue du PLIE, une entrée avant la
prescription ou après la sortie du parcours, une participation en cours sur un parcours clos,
et deux participations d'un parcours qui se chevauchent (dans le fichier ou avec la base). Les
questionnaires FSE+ du même passage se rattachent ensuite à la bonne (`participation_de`).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours, ParticipationFse
from parcours.fse.enums import TypeOperation
from parcours.participants.normalisation import normaliser
from parcours.reprise.comptes import structures_du_plie
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Refus
from parcours.reprise.models import Provenance
from parcours.reprise.objets import ecrire_objets, lire_lignes

FIN_DES_TEMPS = datetime.date.max


def _d(jour) -> str:
    return f"{jour:%d/%m/%Y}"


@dataclass(frozen=True)
class DatesParcours:
    prescription: datetime.date
    sortie: datetime.date | None
    statut: str


@dataclass(frozen=True)
class Connue:
    """Une participation d'un parcours : en base (`pk`) ou lue dans le fichier (`ligne`)."""

    operation_id: int
    # Deux participations d'accompagnement ne se chevauchent jamais (un référent à la fois) ;
    # une action financée court en même temps que l'accompagnement (`suivre_l_action`).
    accompagnement: bool
    entree: datetime.date
    sortie: datetime.date | None
    pk: int | None = None
    source_id: str = ""  # sa provenance (en base) ou sa ligne (fichier)
    ligne: int | None = None

    @property
    def cle(self) -> tuple:
        """Ce qu'une réponse FSE+ retient de sa participation (résolu à l'écriture)."""
        return ("fichier", self.source_id) if self.ligne else ("base", self.pk)

    def couvre(self, jour) -> bool:
        return self.entree <= jour <= (self.sortie or FIN_DES_TEMPS)

    def chevauche(self, autre: "Connue") -> bool:
        exclusives = self.operation_id == autre.operation_id or (
            self.accompagnement and autre.accompagnement
        )
        return (
            exclusives
            and self.entree <= (autre.sortie or FIN_DES_TEMPS)
            and autre.entree <= (self.sortie or FIN_DES_TEMPS)
        )

    def periode(self) -> str:
        fin = f"au {_d(self.sortie)}" if self.sortie else "en cours"
        return f"du {_d(self.entree)} {fin}"


def dates_des_parcours(plie, source, lignes_parcours) -> dict:
    """Identifiant du parcours -> DatesParcours : ceux repris avant, puis ceux du fichier."""
    dates = {
        sid: DatesParcours(prescription, sortie, statut)
        for sid, prescription, sortie, statut in Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARCOURS
        ).values_list(
            "source_id", "parcours__date_prescription", "parcours__date_sortie", "parcours__statut"
        )
    }
    for ligne in lignes_parcours:
        v = ligne.valeurs
        dates[v["source_id"]] = DatesParcours(v["date_prescription"], v["date_sortie"], v["statut"])
    return dates


def participations_en_base(plie, source) -> dict:
    """Identifiant du parcours repris -> ses participations en base (deux requêtes)."""
    reprises = dict(
        Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARTICIPATION_FSE
        ).values_list("objet_id", "source_id")
    )
    connues = {}
    lignes = ParticipationFse.objects.filter(
        parcours__provenances__plie=plie,
        parcours__provenances__source=source,
        parcours__provenances__entite=Entite.PARCOURS,
    ).values_list(
        "parcours__provenances__source_id",
        "pk",
        "operation_id",
        "operation__type",
        "date_entree",
        "date_sortie",
    )
    for sid, pk, operation_id, type_op, entree, sortie in lignes.order_by("date_entree", "pk"):
        connues.setdefault(sid, []).append(
            Connue(
                operation_id,
                type_op == TypeOperation.ACCOMPAGNEMENT,
                entree,
                sortie,
                pk=pk,
                source_id=reprises.get(pk, ""),
            )
        )
    return connues


def _controler_dates(lecteur, numero, v, dossier: DatesParcours):
    entree, sortie = v["date_entree"], v["date_sortie"]
    if entree < dossier.prescription:
        lecteur.refuser(
            numero,
            "date_entree",
            f"entrée ({_d(entree)}) avant la prescription du parcours ({_d(dossier.prescription)})",
        )
    if dossier.sortie and entree > dossier.sortie:
        lecteur.refuser(
            numero,
            "date_entree",
            f"entrée ({_d(entree)}) après la sortie du parcours ({_d(dossier.sortie)})",
        )
    if sortie is None and dossier.statut in STATUTS_CLOS:
        lecteur.refuser(
            numero,
            "date_sortie",
            f"participation en cours sur un parcours clos (« {dossier.statut} ») : "
            "date de sortie obligatoire",
        )
    elif sortie and dossier.sortie and sortie > dossier.sortie:
        lecteur.refuser(
            numero,
            "date_sortie",
            f"sortie ({_d(sortie)}) après la sortie du parcours ({_d(dossier.sortie)})",
        )


def lire_participations(tableau, correspondance, contexte, parcours_du_fichier):
    operations = {o.pk: o for o in contexte.operations.values()}

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        operation = contexte.operations.get(v["operation"].lower())
        if operation is None:
            lecteur.refuser(
                numero, "operation", f"opération FSE+ « {v['operation']} » inconnue de ce PLIE"
            )
        nom = v["structure"]
        if nom and normaliser(nom) not in contexte.structures:
            lecteur.refuser(numero, "structure", f"structure « {nom} » inconnue de ce PLIE")
        entree, sortie = v["date_entree"], v["date_sortie"]
        if sortie and sortie < entree:
            lecteur.refuser(
                numero, "date_sortie", f"sortie ({_d(sortie)}) avant l'entrée ({_d(entree)})"
            )
        if sortie and not v["motif_fin"]:
            lecteur.refuser(
                numero, "motif_fin", "motif de fin obligatoire pour une participation close"
            )
        if v["motif_fin"] and not sortie:
            lecteur.refuser(numero, "motif_fin", "motif de fin sans date de sortie")
        dossier = contexte.dates_parcours.get(v["parcours"])
        if dossier is not None:
            _controler_dates(lecteur, numero, v, dossier)
        if len(lecteur.refus) != avant:
            return False
        v["operation"] = operation.pk
        return True

    lignes, refus = lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier)
    gardees, chevauchements = _sans_chevauchement(
        tableau.nom, correspondance.colonne("date_entree"), lignes, contexte, operations
    )
    return gardees, refus + chevauchements


def _sans_chevauchement(fichier, colonne, lignes, contexte, operations):
    """Les lignes qui ne chevauchent ni une ligne précédente ni une participation en base du
    même parcours ; les participations connues (contexte) deviennent celles d'après le passage.
    En base, ne comptent pas celles que le fichier réécrit (même identifiant) ni celles qu'une
    ligne reprend (même opération, même entrée, sans provenance : `_adopter`)."""
    ids = {ligne.valeurs["source_id"] for ligne in lignes}
    reprises = {c.source_id for connues in contexte.participations.values() for c in connues}
    cles = {
        (v["parcours"], v["operation"], v["date_entree"])
        for v in (ligne.valeurs for ligne in lignes)
        if v["source_id"] not in reprises
    }
    apres = {
        parcours: [
            c
            for c in connues
            if c.source_id not in ids
            and not (not c.source_id and (parcours, c.operation_id, c.entree) in cles)
        ]
        for parcours, connues in contexte.participations.items()
    }
    gardees, refus = [], []
    for ligne in lignes:
        v = ligne.valeurs
        operation = operations[v["operation"]]
        nouvelle = Connue(
            operation.pk,
            operation.type == TypeOperation.ACCOMPAGNEMENT,
            v["date_entree"],
            v["date_sortie"],
            source_id=v["source_id"],
            ligne=ligne.numero,
        )
        autre = next((c for c in apres.get(v["parcours"], []) if c.chevauche(nouvelle)), None)
        if autre is not None:
            numero = getattr(operations.get(autre.operation_id), "numero", autre.operation_id)
            quelle = f"de la ligne {autre.ligne}" if autre.ligne else "déjà enregistrée"
            refus.append(
                Refus(
                    fichier,
                    ligne.numero,
                    colonne,
                    f"chevauche la participation {quelle} (opération {numero}, {autre.periode()})",
                )
            )
            continue
        apres.setdefault(v["parcours"], []).append(nouvelle)
        gardees.append(ligne)
    contexte.participations = apres
    return gardees, refus


def participation_de(contexte, parcours, operation_id, jour):
    """La participation (Connue) du parcours à l'opération que vise un questionnaire : celle qui
    couvre `jour` (sa date d'entrée), sinon la plus récente ; None si le parcours n'en a aucune
    (elle sera créée) ; False si aucune ne couvre `jour`."""
    candidates = [
        c for c in contexte.participations.get(parcours, []) if c.operation_id == operation_id
    ]
    if not candidates:
        return None
    if jour is None:
        return max(candidates, key=lambda c: c.entree)
    return next((c for c in candidates if c.couvre(jour)), False)


def _adopter(plie, source, lignes, parcours_ids):
    """Une participation déjà en base sans provenance (créée par une reprise de réponses FSE+
    ou par le rattrapage quotidien) que le fichier décrit (même parcours, même opération, même
    entrée) lui est rattachée : la ligne la met à jour au lieu d'en créer une seconde."""
    deja = set(
        Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARTICIPATION_FSE
        ).values_list("source_id", flat=True)
    )
    voulues = {
        (parcours_ids[v["parcours"]], v["operation"], v["date_entree"]): v["source_id"]
        for v in (ligne.valeurs for ligne in lignes)
        if v["source_id"] not in deja
    }
    if not voulues:
        return
    reprises = Provenance.objects.filter(plie=plie, entite=Entite.PARTICIPATION_FSE).values(
        "objet_id"
    )
    libres = ParticipationFse.objects.filter(
        parcours_id__in={c[0] for c in voulues}, operation_id__in={c[1] for c in voulues}
    ).exclude(pk__in=reprises)
    Provenance.objects.bulk_create(
        Provenance(
            plie=plie,
            source=source,
            entite=Entite.PARTICIPATION_FSE,
            source_id=voulues[cle],
            objet_id=pk,
            parcours_id=cle[0],
            empreinte="",  # jamais l'empreinte d'une ligne : la ligne la met à jour
        )
        for pk, *champs in libres.values_list("pk", "parcours_id", "operation_id", "date_entree")
        if (cle := tuple(champs)) in voulues
    )


def ecrire_participations(plie, source, fichier, lignes, parcours_ids, operations, par, rapport):
    if not lignes:
        return []
    operations = {o.pk: o for o in operations.values()}
    structures = structures_du_plie(plie)
    referentes = dict(
        Parcours.objects.filter(
            pk__in={parcours_ids[ligne.valeurs["parcours"]] for ligne in lignes}
        ).values_list("pk", "structure_referente_id")
    )
    _adopter(plie, source, lignes, parcours_ids)

    def construire(v):
        parcours_id = parcours_ids[v["parcours"]]
        nom = v["structure"]
        # Sans structure : celle du référent, à défaut la porteuse (comme les réponses FSE+).
        structure_id = (
            structures[normaliser(nom)].pk
            if nom
            else referentes[parcours_id] or operations[v["operation"]].structure_porteuse_id
        )
        return {
            "parcours_id": parcours_id,
            "operation_id": v["operation"],
            "structure_id": structure_id,
            "date_entree": v["date_entree"],
            "date_sortie": v["date_sortie"],
            "motif_fin": v["motif_fin"],
            "ouverte_par": par,
        }

    _, refus = ecrire_objets(
        plie,
        source,
        Entite.PARTICIPATION_FSE,
        ParticipationFse,
        fichier,
        lignes,
        rapport,
        construire,
        a_la_mise_a_jour={"updated_at": timezone.now()},
    )
    return refus
