"""Reprendre les décisions de la commission de sortie (docs/reprise.md, « decisions_sortie »).

Comme la décision d'entrée (prescriptions.py) : une `Decision` de commission appartient à une
séance, et la reprise n'invente pas de séance passée ; le domaine n'a pas d'autre objet
« décision de sortie ». Chaque ligne devient deux lignes de journal `repris` du parcours, à
leurs dates d'origine, au nom du compte de la reprise : la proposition (avec le type proposé),
puis la décision, vers l'état où la mènent `valider_sortie` (sorti) ou `refuser_sortie` (en
accompagnement), avec son motif. L'état du parcours reste celui du fichier des parcours : les
décisions doivent s'accorder avec lui, sinon la ligne est refusée.
"""

from collections import defaultdict

from django.utils import timezone

from parcours.accompagnement.enums import Statut, TypeSortie
from parcours.accompagnement.models import TransitionParcours
from parcours.commissions.enums import TypeDecision
from parcours.reprise.enums import Entite
from parcours.reprise.journal import TRANSITION, ligne_reprise
from parcours.reprise.lignes import STATUTS_ENTRES, Refus
from parcours.reprise.models import Provenance
from parcours.reprise.objets import lignes_changees, lire_lignes, provenances

# L'état où chaque décision mène le parcours (les transitions de la séance).
CIBLES = {
    TypeDecision.SORTIE_VALIDEE: Statut.SORTI,
    TypeDecision.SORTIE_REFUSEE: Statut.EN_ACCOMPAGNEMENT,
}


def etats_des_parcours(plie, source, parcours_du_fichier) -> dict:
    """Identifiant dans la source -> (statut, type de sortie, date d'entrée) des parcours repris
    avant (une requête), remplacés par ceux du fichier des parcours de ce passage."""
    etats = {
        source_id: (statut, type_sortie, date_entree)
        for source_id, statut, type_sortie, date_entree in Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARCOURS
        ).values_list(
            "source_id", "parcours__statut", "parcours__type_sortie", "parcours__date_entree"
        )
    }
    for ligne in parcours_du_fichier:
        v = ligne.valeurs
        etats[v["source_id"]] = (v["statut"], v["type_sortie"] or "", v["date_entree"])
    return etats


def _libelle_statut(statut) -> str:
    return Statut(statut).label


def _controler_ligne(lecteur, numero, v) -> bool:
    avant = len(lecteur.refus)
    statut, type_sortie, date_entree = lecteur.contexte.etats_parcours[v["parcours"]]
    if v["decision"] == TypeDecision.SORTIE_REFUSEE and not v["motif"]:
        lecteur.refuser(numero, "motif", "motif obligatoire pour une sortie refusée")
    if v["date_decision"] < v["date_proposition"]:
        lecteur.refuser(
            numero,
            "date_decision",
            f"décision ({v['date_decision']:%d/%m/%Y}) avant la proposition "
            f"({v['date_proposition']:%d/%m/%Y})",
        )
    if v["date_decision"] > timezone.localdate():
        lecteur.refuser(numero, "date_decision", "une décision reprise ne peut être à venir")
    if statut not in STATUTS_ENTRES:
        lecteur.refuser(
            numero,
            "parcours",
            f"le parcours « {v['parcours']} » n'est pas entré en accompagnement (état "
            f"« {_libelle_statut(statut)} ») : il n'a pas de sortie à décider",
        )
    elif date_entree and v["date_proposition"] < date_entree:
        lecteur.refuser(
            numero,
            "date_proposition",
            f"proposition ({v['date_proposition']:%d/%m/%Y}) avant l'entrée du parcours "
            f"({date_entree:%d/%m/%Y})",
        )
    elif v["decision"] == TypeDecision.SORTIE_VALIDEE:
        if statut != Statut.SORTI:
            lecteur.refuser(
                numero,
                "decision",
                f"sortie validée, mais le parcours « {v['parcours']} » est à l'état "
                f"« {_libelle_statut(statut)} » : une sortie validée exige un parcours sorti",
            )
        elif v["type_sortie"] != type_sortie:
            lecteur.refuser(
                numero,
                "type_sortie",
                f"sortie validée de type « {TypeSortie(v['type_sortie']).label} », mais le "
                f"parcours « {v['parcours']} » est sorti en « {TypeSortie(type_sortie).label} »",
            )
    return len(lecteur.refus) == avant


def _controler_ensemble(lignes, corr, fichier, etats) -> list[Refus]:
    """Les décisions d'un même parcours, dans l'ordre de leurs dates : une seule validée, la
    dernière ; un parcours sorti ne finit pas sur un refus (il le ramènerait en accompagnement)."""
    refus = []
    par_parcours = defaultdict(list)
    for ligne in lignes:
        par_parcours[ligne.valeurs["parcours"]].append(ligne)
    for parcours, decisions in par_parcours.items():
        decisions.sort(key=lambda x: (x.valeurs["date_decision"], x.numero))
        validee = None
        for ligne in decisions:
            if validee is not None:
                refus.append(
                    Refus(
                        fichier,
                        ligne.numero,
                        corr.colonne("date_decision"),
                        f"le parcours « {parcours} » est sorti par la décision de la ligne "
                        f"{validee.numero} : pas d'autre décision après une sortie validée",
                    )
                )
            elif ligne.valeurs["decision"] == TypeDecision.SORTIE_VALIDEE:
                validee = ligne
        derniere = decisions[-1]
        if etats[parcours][0] == Statut.SORTI and validee is None:
            refus.append(
                Refus(
                    fichier,
                    derniere.numero,
                    corr.colonne("decision"),
                    f"sortie refusée, mais le parcours « {parcours} » est sorti : la dernière "
                    "décision d'un parcours sorti ne peut être un refus (une sortie refusée le "
                    "ramène en accompagnement)",
                )
            )
    return refus


def lire_decisions_sortie(tableau, correspondance, contexte, parcours_du_fichier):
    lignes, refus = lire_lignes(
        tableau, correspondance, contexte, _controler_ligne, parcours_du_fichier
    )
    if refus:
        return lignes, refus
    return lignes, _controler_ensemble(lignes, correspondance, tableau.nom, contexte.etats_parcours)


def _journal(parcours_id, v, par, libelle) -> tuple[TransitionParcours, TransitionParcours]:
    """La proposition et la décision. L'état d'avant la proposition (en accompagnement, en
    emploi, suspendu) n'est pas dans le format : la proposition va de « sortie proposée » à
    elle-même, comme la ligne de prescription (journal.py)."""
    origine = f"Repris de {libelle} (décision de sortie {v['source_id']})"
    motif = f" : {v['motif']}" if v["motif"] else ""

    def ligne(date, source, cible, quoi):
        return ligne_reprise(parcours_id, par, date, source, cible, f"{origine} : {quoi}")

    return (
        ligne(
            v["date_proposition"],
            Statut.SORTIE_PROPOSEE,
            Statut.SORTIE_PROPOSEE,
            f"sortie proposée ({TypeSortie(v['type_sortie']).label})",
        ),
        ligne(
            v["date_decision"],
            Statut.SORTIE_PROPOSEE,
            CIBLES[v["decision"]],
            f"décision de la commission de sortie « {TypeDecision(v['decision']).label} »{motif}",
        ),
    )


def ecrire_decisions_sortie(plie, correspondance, fichier, lignes, parcours_ids, par, rapport):
    """Crée les lignes de journal des décisions nouvelles ; une décision changée ajoute les
    lignes qui lui manquent (jamais d'effacement) ; une décision identique n'écrit rien."""
    source, libelle = correspondance.source, correspondance.libelle
    comptes = rapport.comptes[Entite.DECISION_SORTIE]
    existantes = provenances(plie, source, Entite.DECISION_SORTIE)
    nouvelles = []
    for ligne, signature, prov in lignes_changees(lignes, existantes, comptes):
        parcours_id = parcours_ids[ligne.valeurs["parcours"]]
        journal = _journal(parcours_id, ligne.valeurs, par, libelle)
        if prov is None:
            nouvelles.append((ligne, signature, parcours_id, journal))
            continue
        # Lignes modifiées seulement : une écriture par ligne est admise.
        deja = {
            (m, a): pk
            for m, a, pk in TransitionParcours.objects.filter(
                parcours_id=parcours_id, transition=TRANSITION
            ).values_list("motif", "at", "pk")
        }
        manquantes = [x for x in journal if (x.motif, x.at) not in deja]
        TransitionParcours.objects.bulk_create(manquantes)
        decision = journal[1]
        prov.objet_id = decision.pk or deja[(decision.motif, decision.at)]
        prov.parcours_id = parcours_id
        prov.empreinte = signature
        prov.save(update_fields=["objet_id", "parcours", "empreinte", "updated_at"])
        comptes.mis_a_jour += 1
    TransitionParcours.objects.bulk_create(x for *_, journal in nouvelles for x in journal)
    Provenance.objects.bulk_create(
        Provenance(
            plie=plie,
            source=source,
            entite=Entite.DECISION_SORTIE,
            source_id=ligne.valeurs["source_id"],
            objet_id=journal[1].pk,
            parcours_id=parcours_id,
            empreinte=signature,
        )
        for ligne, signature, parcours_id, journal in nouvelles
    )
    comptes.crees += len(nouvelles)
