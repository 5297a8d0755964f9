"""Écrire les parcours repris, placés dans leur état (sans rejouer les transitions : l'autre
outil les a déjà faites) avec leurs lignes de journal « repris » aux dates d'origine.

Le statut est écrit à la création ou par une mise à jour en base (`QuerySet.update`) : c'est la
seule écriture du statut hors des transitions, et elle laisse une ligne de journal. Les
invariants de la base (un parcours ouvert par personne et par PLIE, sortie après entrée) restent
vérifiés : une ligne qui les violerait est refusée et rien n'est enregistré.
"""

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours, TransitionParcours
from parcours.core.models import Commune
from parcours.participants.models import Participant
from parcours.reprise.empreinte import empreinte
from parcours.reprise.enums import Entite
from parcours.reprise.journal import ligne_de_mise_a_jour, lignes_reprises
from parcours.reprise.lignes import Refus
from parcours.reprise.models import Provenance


def _champs(v, participant_id) -> dict:
    referent, structure = v["referent"] or (None, None)
    champs = {
        "participant_id": participant_id,
        "date_prescription": v["date_prescription"],
        "date_entree": v["date_entree"],
        "date_sortie": v["date_sortie"],
        "type_sortie": v["type_sortie"] or "",
        "referent": referent,
        "structure_referente": structure,
    }
    # Vide : pas de territoire à la création ; une relance ne retire pas celui qu'un passage
    # précédent a donné au parcours.
    if v["territoire"] is not None:
        champs["territoire_id"] = v["territoire"]
    return champs


def _empreinte(v) -> str:
    # Sans territoire, l'empreinte reste celle d'avant la colonne : une relance d'un export
    # déjà repris ne voit pas tous ses parcours « mis à jour ».
    return empreinte({k: x for k, x in v.items() if k != "territoire" or x is not None})


def _territoires_des_communes(plie, nouveaux) -> None:
    """Un parcours créé sans territoire prend celui de la commune de la personne, comme une
    prescription saisie (`accompagnement.services`) ; commune hors du PLIE : laissé vide. Une
    requête, et seulement s'il y a de tels parcours."""
    sans = [p for p in nouveaux if p.territoire_id is None]
    if not sans:
        return
    commune = Commune.objects.filter(plie=plie, insee=OuterRef("commune_insee"))
    territoires = dict(
        Participant.objects.filter(pk__in={p.participant_id for p in sans})
        .annotate(territoire=Subquery(commune.values("territoire_id")[:1]))
        .values_list("pk", "territoire")
    )
    for parcours in sans:
        parcours.territoire_id = territoires.get(parcours.participant_id)


def ecrire_parcours(
    plie, correspondance, fichier, lignes, personnes, par, rapport, ouverts=None, changes=None
):
    """Rend les refus découverts contre la base (l'appelant annule alors tout). `ouverts`
    reçoit les identifiants des parcours ouverts créés, ou dont une relance a changé l'état ;
    `changes`, ceux dont une relance a changé l'état (ouvert ou clos) : leur travail est à
    (re)placer (`signaux.reprise_terminee`)."""
    ouverts = [] if ouverts is None else ouverts
    changes = [] if changes is None else changes
    source, libelle = correspondance.source, correspondance.libelle
    colonne = correspondance.entites[Entite.PARCOURS].colonne
    comptes = rapport.comptes[Entite.PARCOURS]
    existantes = {
        p.source_id: p
        for p in Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARCOURS
        ).select_related("parcours")
    }
    repris_ids = {p.parcours_id for p in existantes.values()}
    deja_ouverts = dict(
        Parcours.objects.ouverts()
        .filter(plie=plie, participant_id__in=set(personnes.values()))
        .exclude(pk__in=repris_ids)
        .values_list("participant_id", "pk")
    )
    refus, nouveaux, journal = [], [], []
    for ligne in lignes:
        v = ligne.valeurs
        participant_id = personnes[v["participant"]]
        signature = _empreinte(v)
        prov = existantes.get(v["source_id"])
        if prov is not None:
            if prov.empreinte == signature:
                comptes.inchanges += 1
                continue
            avant = prov.parcours.statut
            try:
                with transaction.atomic():
                    Parcours.objects.filter(pk=prov.parcours_id).update(
                        statut=v["statut"], **_champs(v, participant_id)
                    )
            except IntegrityError:
                refus.append(
                    Refus(fichier, ligne.numero, colonne("statut"), "un autre parcours est ouvert")
                )
                continue
            if avant != v["statut"]:
                changes.append(prov.parcours_id)
                if v["statut"] not in STATUTS_CLOS:
                    ouverts.append(prov.parcours_id)
                journal.append(
                    ligne_de_mise_a_jour(
                        prov.parcours, avant, v["statut"], par, libelle, v["source_id"]
                    )
                )
            prov.empreinte = signature
            prov.save(update_fields=["empreinte", "updated_at"])
            comptes.mis_a_jour += 1
            continue
        if v["statut"] not in STATUTS_CLOS and participant_id in deja_ouverts:
            refus.append(
                Refus(
                    fichier,
                    ligne.numero,
                    colonne("statut"),
                    "la personne a déjà un parcours ouvert dans ce PLIE "
                    f"(parcours {deja_ouverts[participant_id]}) : un seul parcours ouvert par PLIE",
                )
            )
            continue
        parcours = Parcours(plie=plie, statut=v["statut"], **_champs(v, participant_id))
        nouveaux.append((ligne, parcours, signature))
    if refus:
        return refus
    _territoires_des_communes(plie, [p for _, p, _ in nouveaux])
    Parcours.objects.bulk_create([p for _, p, _ in nouveaux])
    provenances = []
    for ligne, parcours, signature in nouveaux:
        comptes.crees += 1
        if parcours.statut not in STATUTS_CLOS:
            ouverts.append(parcours.pk)
        journal.extend(lignes_reprises(parcours, ligne.valeurs, par, libelle))
        provenances.append(
            Provenance(
                plie=plie,
                source=source,
                entite=Entite.PARCOURS,
                source_id=ligne.valeurs["source_id"],
                parcours=parcours,
                empreinte=signature,
            )
        )
    Provenance.objects.bulk_create(provenances)
    TransitionParcours.objects.bulk_create(journal)
    return []
