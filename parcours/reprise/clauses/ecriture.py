"""Écrire les clauses sociales reprises, par lots : une ligne nouvelle est créée (avec sa
provenance), une ligne déjà reprise et changée est mise à jour, une ligne identique n'écrit rien.

Les refus découverts contre la base (nom ou numéro déjà pris hors de la reprise, entreprise
inconnue, heures refusées par les contrôles de l'import) sont rendus : l'appelant annule tout.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import (
    DonneurOrdre,
    Lot,
    Marche,
    Positionnement,
    TransitionPositionnement,
)
from parcours.core.enums import Role
from parcours.entreprises.models import Entreprise
from parcours.participants.normalisation import normaliser
from parcours.reprise.clauses.heures import ecrire_heures
from parcours.reprise.clauses.lecture import MODELES, ORDRE
from parcours.reprise.empreinte import empreinte
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Refus
from parcours.reprise.models import ProvenanceClause

CLASSES = {entite: classe for entite, (classe, _) in MODELES.items()}


class _Ecrivain:
    def __init__(self, plie, correspondance, tableaux, par, rapport, personnes):
        self.plie, self.corr, self.tableaux = plie, correspondance, tableaux
        self.par, self.rapport = par, rapport
        self.provenances = {
            (p.entite, p.source_id): p
            for p in ProvenanceClause.objects.filter(plie=plie, source=correspondance.source)
        }
        self.ids = {e: {} for e in ORDRE}
        for (entite, source_id), p in self.provenances.items():
            self.ids[entite][source_id] = p.objet_id
        self.ids[Entite.PARTICIPANT] = personnes
        self.refus = []

    def refuser(self, entite, ligne, champ, raison):
        colonne = self.corr.entites[entite].colonne(champ) if champ else ""
        self.refus.append(Refus(self.tableaux[entite].nom, ligne.numero, colonne, raison))

    def ref(self, entite, source_id):
        return self.ids[entite].get(source_id) if source_id else None

    # — Les valeurs de chaque objet (clés étrangères résolues) —

    def champs(self, entite, v, extra) -> dict:
        _, correspondance = MODELES[entite]
        champs = {modele: v[c] for c, modele in correspondance.items()}
        if entite == Entite.DONNEUR_ORDRE:
            champs["plie_id"] = self.plie.pk
        elif entite == Entite.OPERATION:
            champs["donneur_ordre_id"] = self.ref(Entite.DONNEUR_ORDRE, v["donneur_ordre"])
        elif entite == Entite.MARCHE:
            champs["plie_id"] = self.plie.pk
            champs["operation_id"] = self.ref(Entite.OPERATION, v["operation"])
            champs["attributaire_id"] = extra.get(v["attributaire_siret"])
        elif entite == Entite.BESOIN:
            marche_id = self.ref(Entite.MARCHE, v["marche"])
            champs["marche_id"] = marche_id
            champs["lot_id"] = extra.get((marche_id, v["lot"]))
            champs["facilitateur_id"] = v["facilitateur"].pk
            champs["statut"] = v["statut_besoin"] or "ouvert"
            champs["nb_postes"] = v["nb_postes"] or 1
        elif entite == Entite.CANDIDAT_EXTERNE:
            champs["plie_id"] = self.plie.pk
            champs["recherche"] = normaliser(f"{v['nom']} {v['prenom']}")
        elif entite == Entite.POSITIONNEMENT:
            champs["besoin_id"] = self.ref(Entite.BESOIN, v["besoin"])
            champs["plie_id"] = self.plie.pk  # le besoin est d'un marché de ce PLIE (ci-dessus)
            champs["participant_id"] = self.ref(Entite.PARTICIPANT, v["participant"])
            champs["candidat_externe_id"] = self.ref(Entite.CANDIDAT_EXTERNE, v["candidat_externe"])
            champs["statut"] = v["statut_candidature"]
        return champs

    # — Ce que la base refuserait, dit clairement avant d'écrire —

    def deja_pris(self, entite, lignes):
        """Nom de donneur d'ordre ou numéro de marché déjà pris dans le PLIE hors de la reprise."""
        if entite not in (Entite.DONNEUR_ORDRE, Entite.MARCHE):
            return
        classe, champ = (
            (DonneurOrdre, "nom") if entite == Entite.DONNEUR_ORDRE else (Marche, "numero")
        )
        pris = set(
            classe.objects.filter(plie=self.plie)
            .exclude(pk__in=self.ids[entite].values())
            .values_list(champ, flat=True)
        )
        for ligne in lignes:
            v = ligne.valeurs
            if v[champ] in pris and v["source_id"] not in self.ids[entite]:
                self.refuser(entite, ligne, champ, f"« {v[champ]} » existe déjà dans ce PLIE")

    def entreprises(self, lignes) -> dict:
        """SIRET -> id des attributaires ; crée ceux qui ont un nom, refuse les autres."""
        sirets = {ligne.valeurs["attributaire_siret"] for ligne in lignes} - {""}
        connues = dict(
            Entreprise.objects.filter(plie=self.plie, siret__in=sirets).values_list("siret", "pk")
        )
        nouvelles = {}
        for ligne in lignes:
            siret, nom = ligne.valeurs["attributaire_siret"], ligne.valeurs["attributaire_nom"]
            if not siret or siret in connues or siret in nouvelles:
                continue
            if not nom:
                self.refuser(
                    Entite.MARCHE,
                    ligne,
                    "attributaire_siret",
                    f"entreprise « {siret} » inconnue dans ce PLIE : donnez son nom "
                    "(attributaire_nom) pour la créer",
                )
                continue
            nouvelles[siret] = Entreprise(
                plie=self.plie,
                siret=siret,
                raison_sociale=nom[:200],
                recherche=normaliser(f"{nom} {siret}"),
                created_by=self.par,
            )
        if not self.refus:
            Entreprise.objects.bulk_create(nouvelles.values())
        connues |= {siret: e.pk for siret, e in nouvelles.items()}
        self.sous_traitants_inconnus(lignes, connues)
        return connues

    def sous_traitants_inconnus(self, lignes, connues):
        """Complète `connues` des sous-traitants du PLIE ; refuse ceux qu'il ne connaît pas."""
        sirets = {s for ligne in lignes for s in ligne.valeurs["sous_traitants_siret"]}
        connues |= dict(
            Entreprise.objects.filter(plie=self.plie, siret__in=sirets - set(connues)).values_list(
                "siret", "pk"
            )
        )
        for ligne in lignes:
            for siret in ligne.valeurs["sous_traitants_siret"]:
                if siret not in connues:
                    self.refuser(
                        Entite.MARCHE,
                        ligne,
                        "sous_traitants_siret",
                        f"sous-traitant « {siret} » inconnu dans ce PLIE (ni entreprise du PLIE "
                        "ni attributaire d'un marché repris)",
                    )

    def lier_sous_traitants(self, lignes, entreprises):
        """Les sous-traitants des marchés écrits à ce passage : remplacés, en deux requêtes."""
        lien = Marche.sous_traitants.through
        marches = {self.ids[Entite.MARCHE][ligne.valeurs["source_id"]]: ligne for ligne in lignes}
        lien.objects.filter(marche_id__in=marches).delete()
        lien.objects.bulk_create(
            lien(marche_id=marche_id, entreprise_id=entreprises[siret])
            for marche_id, ligne in marches.items()
            for siret in ligne.valeurs["sous_traitants_siret"]
        )

    def lots(self, lignes) -> dict:
        """(marché, numéro de lot) -> id ; les lots absents sont créés."""
        voulus = {}
        for ligne in lignes:
            v = ligne.valeurs
            if v["lot"]:
                cle = (self.ref(Entite.MARCHE, v["marche"]), v["lot"])
                voulus.setdefault(cle, v)
        existants = {
            (m, n): pk
            for pk, m, n in Lot.objects.filter(marche_id__in={m for m, _ in voulus}).values_list(
                "pk", "marche_id", "numero"
            )
        }
        nouveaux = [
            Lot(
                marche_id=m,
                numero=n,
                intitule=v["lot_intitule"] or f"Lot {n}",
                heures_prevues=v["lot_heures"] or 0,
            )
            for (m, n), v in voulus.items()
            if (m, n) not in existants
        ]
        Lot.objects.bulk_create(nouveaux)
        return existants | {(lot.marche_id, lot.numero): lot.pk for lot in nouveaux}

    # — L'écriture d'une entité —

    def ecrire(self, entite, lignes):
        comptes = self.rapport.comptes[entite]
        classe = CLASSES[entite]
        self.deja_pris(entite, lignes)
        extra = {}
        if entite == Entite.MARCHE:
            extra = self.entreprises(lignes)
        if self.refus:
            return
        if entite == Entite.BESOIN:
            extra = self.lots(lignes)
        nouveaux, changees, ecrites, relances = [], [], [], []
        avant = self.statuts_avant() if entite == Entite.POSITIONNEMENT else {}
        for ligne in lignes:
            v = ligne.valeurs
            signature = empreinte(
                {k: str(x) if isinstance(x, Decimal) else x for k, x in v.items()}
            )
            prov = self.provenances.get((entite, v["source_id"]))
            champs = self.champs(entite, v, extra)
            if prov is None:
                nouveaux.append((ligne, classe(**champs), signature))
            elif prov.empreinte == signature:
                comptes.inchanges += 1
            else:
                # Statut d'une candidature : protégé sur l'objet, écrit en base (la reprise
                # recopie l'état de l'autre outil, elle ne rejoue pas ses transitions).
                classe.objects.filter(pk=prov.objet_id).update(**champs)
                if avant.get(prov.objet_id, champs.get("statut")) != champs.get("statut"):
                    relances.append((prov, avant[prov.objet_id], champs["statut"]))
                prov.empreinte, prov.updated_at = signature, timezone.now()
                changees.append(prov)
                ecrites.append(ligne)
                comptes.mis_a_jour += 1
        if entite == Entite.POSITIONNEMENT:
            for _, objet, _ in nouveaux:
                objet.propose_par = self.par
                objet.role_proposant = Role.FACILITATEUR
        if entite == Entite.CANDIDAT_EXTERNE:
            for _, objet, _ in nouveaux:
                objet.created_by = self.par
        classe.objects.bulk_create([objet for _, objet, _ in nouveaux])
        ProvenanceClause.objects.bulk_update(changees, ["empreinte", "updated_at"])
        provenances = []
        for ligne, objet, signature in nouveaux:
            source_id = ligne.valeurs["source_id"]
            self.ids[entite][source_id] = objet.pk
            provenances.append(
                ProvenanceClause(
                    plie=self.plie,
                    source=self.corr.source,
                    entite=entite,
                    source_id=source_id,
                    objet_id=objet.pk,
                    empreinte=signature,
                )
            )
        ProvenanceClause.objects.bulk_create(provenances)
        comptes.crees += len(nouveaux)
        if entite == Entite.MARCHE:
            self.lier_sous_traitants(ecrites + [ligne for ligne, _, _ in nouveaux], extra)
        if entite == Entite.POSITIONNEMENT:
            self.journaliser([(ligne, objet) for ligne, objet, _ in nouveaux], relances)

    def statuts_avant(self) -> dict:
        """Le statut en base des candidatures déjà reprises (une requête)."""
        return dict(
            Positionnement.objects.filter(
                pk__in=self.ids[Entite.POSITIONNEMENT].values()
            ).values_list("pk", "statut")
        )

    def journaliser(self, nouveaux, relances):
        """Une ligne « repris » par candidature reprise au-delà de « proposée », et par
        candidature dont une relance change l'état (de → vers)."""
        origine = f"Repris de {self.corr.libelle}"
        lignes = [
            TransitionPositionnement(
                positionnement=objet,
                transition="repris",
                par=self.par,
                source=StatutPositionnement.PROPOSEE,
                target=objet.statut,
                motif=f"{origine} (candidature {ligne.valeurs['source_id']})",
            )
            for ligne, objet in nouveaux
            if objet.statut != StatutPositionnement.PROPOSEE
        ]
        lignes += [
            TransitionPositionnement(
                positionnement_id=prov.objet_id,
                transition="repris",
                par=self.par,
                source=de,
                target=vers,
                motif=f"{origine} (candidature {prov.source_id}) : état mis à jour par une relance",
            )
            for prov, de, vers in relances
        ]
        TransitionPositionnement.objects.bulk_create(lignes)


def ecrire_clauses(plie, correspondance, tableaux, lues, personnes, par, rapport) -> list[Refus]:
    """Écrit, dans l'ordre des références, ce que `lire_clauses` a accepté ; rend les refus."""
    ecrivain = _Ecrivain(plie, correspondance, tableaux, par, rapport, personnes)
    for entite in ORDRE:
        if entite not in lues:
            continue
        try:
            with transaction.atomic():
                if entite == Entite.HEURES:
                    ecrivain.refus += ecrire_heures(ecrivain, lues[entite])
                else:
                    ecrivain.ecrire(entite, lues[entite])
        except IntegrityError as exc:
            ecrivain.refus.append(
                Refus(tableaux[entite].nom, 1, "", f"refusé par la base : {exc}".splitlines()[0])
            )
        if ecrivain.refus:
            return ecrivain.refus
    return []
