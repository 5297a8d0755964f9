"""Les heures mensuelles reprises passent par les contrôles et l'écriture de l'import des heures
(`parcours.clauses.heures`) : marché du PLIE, employeur du marché, période, personne embauchée
sur le marché, doublons, plafond mensuel ; mêmes lignes, même journal, donc mêmes bilans.

Elles sont contrôlées après l'écriture des autres entités du même passage (dans la même
transaction) : une embauche reprise dans ce passage compte déjà.
"""

from parcours.clauses.heures import (
    LigneHeures,
    Personne,
    Resultat,
    enregistrer_controle,
    verifier_en_base,
)
from parcours.clauses.heures.lignes import LIBELLES
from parcours.clauses.models import Marche
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Refus

# Le libellé par lequel commence un message de l'import -> champ du format neutre.
CHAMPS_DES_MESSAGES = {libelle: champ for champ, libelle in LIBELLES.items()}


def _colonne(corr, message: str, v) -> tuple[str, str]:
    """(colonne, raison) d'un message de l'import (« mois « 2025-01 » : hors de la période…)."""
    for libelle, champ in CHAMPS_DES_MESSAGES.items():
        if message.startswith(f"{libelle} « "):
            if champ == "personne":
                champ = "participant" if v["participant"] else "candidat_externe"
            return corr.colonne(champ), message
    return "", message


def ecrire_heures(ecrivain, lignes) -> list[Refus]:
    corr = ecrivain.corr.entites[Entite.HEURES]
    fichier = ecrivain.tableaux[Entite.HEURES].nom
    numeros = dict(
        Marche.objects.filter(pk__in=ecrivain.ids[Entite.MARCHE].values()).values_list(
            "pk", "numero"
        )
    )
    a_controler, par_numero = [], {}
    for ligne in lignes:
        v = ligne.valeurs
        if v["participant"]:
            personne = Personne("participant", ecrivain.ref(Entite.PARTICIPANT, v["participant"]))
        else:
            personne = Personne(
                "externe", ecrivain.ref(Entite.CANDIDAT_EXTERNE, v["candidat_externe"])
            )
        # Les messages de l'import citent les valeurs du fichier repris.
        brut = {
            "marche": v["marche"],
            "siret": v["siret"],
            "personne": v["participant"] or v["candidat_externe"],
            "mois": f"{v['mois']:%Y-%m}",
            "heures": v["heures"],
        }
        numero = numeros[ecrivain.ref(Entite.MARCHE, v["marche"])]
        a_controler.append(
            LigneHeures(ligne.numero, brut, numero, v["siret"], personne, v["mois"], v["heures"])
        )
        par_numero[ligne.numero] = v
    erreurs = verifier_en_base(ecrivain.plie, a_controler)
    if erreurs:
        return [
            Refus(
                fichier,
                e.numero,
                *_colonne(corr, e.message, par_numero.get(e.numero, {"participant": ""})),
            )
            for e in erreurs
        ]
    comptes = ecrivain.rapport.comptes[Entite.HEURES]
    for ligne in a_controler:
        existante = ligne.objets.get("existante")
        if existante is None:
            comptes.crees += 1
        elif existante.heures == ligne.heures and existante.siret == ligne.siret:
            comptes.inchanges += 1
        else:
            comptes.mis_a_jour += 1
    enregistrer_controle(
        Resultat(a_controler, []), par=ecrivain.par, fichier=f"Reprise {ecrivain.corr.libelle}"
    )
    return []
