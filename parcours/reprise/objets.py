"""Le patron commun des entités reprises après les parcours (et des structures, des comptes) :
lire chaque ligne (un identifiant une seule fois par fichier, le parcours cité connu), puis
écrire par la provenance — créer ce qui est nouveau, mettre à jour ce qui a changé, ne rien
écrire pour une ligne identique au passage précédent.
"""

from django.db import IntegrityError, transaction

from parcours.reprise.empreinte import empreinte
from parcours.reprise.lignes import Ligne, Refus, _Lecteur
from parcours.reprise.models import Provenance


def lire_lignes(tableau, correspondance, contexte, controler, parcours_du_fichier=None):
    """Les lignes justes et les refus. `controler(lecteur, numero, valeurs)` ajoute ses refus
    et rend vrai si la ligne passe ; `parcours_du_fichier` (si l'entité cite un parcours) : les
    identifiants des parcours lus sans refus dans ce passage."""
    lecteur = _Lecteur(tableau, correspondance, contexte)
    if lecteur.colonnes_manquantes():
        return [], lecteur.refus
    connus = None
    if parcours_du_fichier is not None:
        connus = parcours_du_fichier | contexte.parcours_repris
    lignes, ids = [], {}
    for numero, brutes in tableau.lignes:
        v = lecteur.valeurs(numero, brutes)
        if v is None:
            continue
        if v["source_id"] in ids:
            lecteur.refuser(
                numero,
                "source_id",
                f"deux fois dans le fichier (même identifiant que la ligne {ids[v['source_id']]})",
            )
            continue
        if connus is not None and v["parcours"] not in connus:
            lecteur.refuser(
                numero, "parcours", f"parcours « {v['parcours']} » absent des parcours repris"
            )
            continue
        if not controler(lecteur, numero, v):
            continue
        ids[v["source_id"]] = numero
        lignes.append(Ligne(numero, v))
    return lignes, lecteur.refus


def provenances(plie, source, entite) -> dict:
    """Identifiant dans la source -> provenance, pour une entité."""
    return {
        p.source_id: p for p in Provenance.objects.filter(plie=plie, source=source, entite=entite)
    }


def ids_des_parcours(plie, source) -> dict:
    from parcours.reprise.enums import Entite

    return dict(
        Provenance.objects.filter(plie=plie, source=source, entite=Entite.PARCOURS).values_list(
            "source_id", "parcours_id"
        )
    )


def lignes_changees(lignes, existantes, comptes):
    """(ligne, empreinte, provenance ou None pour une ligne nouvelle) des lignes à écrire ; une
    ligne déjà reprise à l'identique, ou liée à un objet existant (jamais réécrit), est comptée
    « inchangée » et sautée."""
    for ligne in lignes:
        signature = empreinte(ligne.valeurs)
        prov = existantes.get(ligne.valeurs["source_id"])
        if prov is not None and (prov.empreinte == signature or prov.liee_a_existant):
            comptes.inchanges += 1
            continue
        yield ligne, signature, prov


def ecrire_objets(
    plie,
    source,
    entite,
    modele,
    fichier,
    lignes,
    rapport,
    construire,
    a_la_mise_a_jour=None,
    apres_mise_a_jour=None,
):
    """Écrit les lignes de `entite` ; rend (objets créés avec leur ligne, refus).

    `construire(valeurs)` : les champs du modèle (à la création comme à la mise à jour) ; la
    clé `parcours_id`, si présente, est aussi rangée dans la provenance. `a_la_mise_a_jour` :
    les champs écrits en plus par une mise à jour (version, modifié par) ;
    `apres_mise_a_jour(objet_id, valeurs)` : ce qu'elle écrit ailleurs (lignes liées).
    """
    comptes = rapport.comptes[entite]
    existantes = provenances(plie, source, entite)
    nouveaux, refus = [], []
    for ligne, signature, prov in lignes_changees(lignes, existantes, comptes):
        v = ligne.valeurs
        if prov is not None:
            champs = construire(v)
            try:
                with transaction.atomic():
                    modele.objects.filter(pk=prov.objet_id).update(
                        **champs, **(a_la_mise_a_jour or {})
                    )
            except IntegrityError:
                refus.append(Refus(fichier, ligne.numero, "", _raison(modele)))
                continue
            if apres_mise_a_jour:
                apres_mise_a_jour(prov.objet_id, v)
            prov.empreinte = signature
            prov.parcours_id = champs.get("parcours_id")
            prov.save(update_fields=["empreinte", "parcours", "updated_at"])
            comptes.mis_a_jour += 1
            continue
        nouveaux.append((ligne, modele(**construire(v)), signature))
    if refus:
        return [], refus
    if not nouveaux:
        return [], []
    try:
        with transaction.atomic():
            modele.objects.bulk_create([objet for _, objet, _ in nouveaux])
    except IntegrityError:
        # Les contrôles de lecture couvrent les invariants connus ; la base a le dernier mot.
        return [], [Refus(fichier, nouveaux[0][0].numero, "", _raison(modele))]
    Provenance.objects.bulk_create(
        [
            Provenance(
                plie=plie,
                source=source,
                entite=entite,
                source_id=ligne.valeurs["source_id"],
                objet_id=objet.pk,
                parcours_id=getattr(objet, "parcours_id", None),
                empreinte=signature,
            )
            for ligne, objet, signature in nouveaux
        ]
    )
    comptes.crees += len(nouveaux)
    return [(ligne, objet) for ligne, objet, _ in nouveaux], []


def _raison(modele) -> str:
    return f"refusée par la base ({modele._meta.verbose_name} incompatible avec l'existant)"
