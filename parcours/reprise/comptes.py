"""Reprendre les structures et les comptes du PLIE (docs/reprise.md).

Une structure du même nom (casse et accents ignorés) existe déjà dans le PLIE : la ligne lui est
liée, elle n'est jamais réécrite. Un compte repris est créé **inactif et sans mot de passe
utilisable**, avec une adhésion (structure, rôle) : l'administrateur du PLIE l'active et lui
donne un mot de passe depuis l'écran d'administration, comme pour un compte qu'il crée. Jamais
de droit d'instance (superutilisateur, équipe) ; le rôle « administrateur » ne se reprend pas.
Un identifiant déjà pris par un compte administrable de ce PLIE : la ligne lui est liée (son
identité n'est pas réécrite, l'adhésion manquante est ajoutée) ; pris ailleurs : refusé.
"""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from parcours.core.administration import comptes_administrables
from parcours.core.models import Membership, Structure, User
from parcours.participants.normalisation import normaliser
from parcours.reprise.empreinte import empreinte
from parcours.reprise.enums import Entite
from parcours.reprise.lignes import Refus
from parcours.reprise.models import Provenance
from parcours.reprise.objets import lignes_changees, lire_lignes, provenances
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace

LONGUEUR_NOM = User._meta.get_field("last_name").max_length


def structures_du_plie(plie) -> dict:
    """Nom normalisé -> structure du PLIE, une requête."""
    return {normaliser(s.nom): s for s in Structure.objects.filter(plie=plie)}


def lire_structures(tableau, correspondance, contexte):
    noms = {}

    def controler(lecteur, numero, v):
        cle = normaliser(v["nom"])
        if cle in noms:
            lecteur.refuser(
                numero, "nom", f"structure deux fois dans le fichier (ligne {noms[cle]})"
            )
            return False
        noms[cle] = numero
        return True

    lignes, refus = lire_lignes(tableau, correspondance, contexte, controler)
    # Les comptes du même passage peuvent nommer ces structures.
    contexte.structures.update({normaliser(ligne.valeurs["nom"]): None for ligne in lignes})
    return lignes, refus


def lire_utilisateurs(tableau, correspondance, contexte):
    identifiants = {}
    courriel = EmailValidator(message="adresse électronique invalide")

    def controler(lecteur, numero, v):
        avant = len(lecteur.refus)
        try:
            User.username_validator(v["identifiant"])
        except ValidationError:
            lecteur.refuser(
                numero,
                "identifiant",
                f"« {v['identifiant']} » : lettres, chiffres et @ . + - _ seulement",
            )
        for champ in ("nom", "prenom"):
            if len(v[champ]) > LONGUEUR_NOM:
                lecteur.refuser(
                    numero, champ, f"{len(v[champ])} caractères ({LONGUEUR_NOM} au plus)"
                )
        if normaliser(v["structure"]) not in contexte.structures:
            lecteur.refuser(
                numero, "structure", f"structure « {v['structure']} » inconnue de ce PLIE"
            )
        if v["email"]:
            try:
                courriel(v["email"])
            except ValidationError:
                lecteur.refuser(numero, "email", f"« {v['email']} » : adresse invalide")
        cle = v["identifiant"].lower()
        if cle in identifiants:
            lecteur.refuser(
                numero,
                "identifiant",
                f"identifiant deux fois dans le fichier (ligne {identifiants[cle]})",
            )
        identifiants.setdefault(cle, numero)
        return len(lecteur.refus) == avant

    return lire_lignes(tableau, correspondance, contexte, controler)


def ecrire_structures(plie, source, fichier, lignes, colonne, rapport) -> list[Refus]:
    """Rend les refus découverts contre la base (renommée au nom d'une autre structure)."""
    comptes = rapport.comptes[Entite.STRUCTURE]
    existantes = provenances(plie, source, Entite.STRUCTURE)
    du_plie = structures_du_plie(plie)
    nouvelles, liees, a_jour, refus = [], [], [], []
    for ligne, signature, prov in lignes_changees(lignes, existantes, comptes):
        v = ligne.valeurs
        if prov is not None:
            autre = du_plie.get(normaliser(v["nom"]))
            if autre is not None and autre.pk != prov.objet_id:
                raison = f"« {v['nom']} » est le nom d'une autre structure du PLIE"
                refus.append(Refus(fichier, ligne.numero, colonne("nom"), raison))
                continue
            Structure.objects.filter(pk=prov.objet_id).update(nom=v["nom"], type=v["type"])
            prov.empreinte = signature
            a_jour.append(prov)
            comptes.mis_a_jour += 1
        elif normaliser(v["nom"]) in du_plie:
            liees.append((ligne, du_plie[normaliser(v["nom"])], signature))
        else:
            nouvelles.append((ligne, Structure(plie=plie, nom=v["nom"], type=v["type"]), signature))
    if refus:
        return refus
    Provenance.objects.bulk_update(a_jour, ["empreinte"])
    Structure.objects.bulk_create([s for _, s, _ in nouvelles])
    Provenance.objects.bulk_create(
        _provenance(plie, source, Entite.STRUCTURE, ligne, s.pk, signature, lie)
        for lie, groupe in ((False, nouvelles), (True, liees))
        for ligne, s, signature in groupe
    )
    comptes.crees += len(nouvelles) + len(liees)
    return []


def ecrire_utilisateurs(plie, source, fichier, lignes, colonne, rapport, par=None) -> list[Refus]:
    """Rend les refus découverts contre la base (identifiant pris hors de ce PLIE). Chaque compte
    créé et chaque adhésion ajoutée est tracé au journal d'administration, au nom de `par` (le
    compte de la reprise), comme à l'écran d'administration des comptes."""
    comptes = rapport.comptes[Entite.UTILISATEUR]
    existantes = provenances(plie, source, Entite.UTILISATEUR)
    du_plie = structures_du_plie(plie)
    inconnues = [ligne for ligne in lignes if ligne.valeurs["source_id"] not in existantes]
    # Identifiants comparés sans casse : « JDupont » ne doit pas doubler « jdupont ».
    pris = {
        u.username.lower(): u
        for u in User.objects.annotate(identifiant=Lower("username")).filter(
            identifiant__in=[ligne.valeurs["identifiant"].lower() for ligne in inconnues]
        )
    }
    administrables = set(
        comptes_administrables(plie.pk)
        .filter(pk__in=[u.pk for u in pris.values()])
        .values_list("pk", flat=True)
    )
    refus, nouveaux, liees, adhesions = [], [], [], []
    comptes_repris = User.objects.in_bulk([p.objet_id for p in existantes.values()])
    for ligne in lignes:
        v = ligne.valeurs
        signature = empreinte(v)
        structure = du_plie[normaliser(v["structure"])]
        prov = existantes.get(v["source_id"])
        if prov is not None:
            if prov.empreinte == signature:
                comptes.inchanges += 1
                continue
            compte = comptes_repris[prov.objet_id]
            if not prov.liee_a_existant:
                compte.first_name, compte.last_name = v["prenom"], v["nom"]
                compte.email = v["email"]
                compte.save(update_fields=["first_name", "last_name", "email"])
            adhesions.append(_adhesion(compte, structure, v))
            prov.empreinte = signature
            prov.save(update_fields=["empreinte", "updated_at"])
            comptes.mis_a_jour += 1
            continue
        existant = pris.get(v["identifiant"].lower())
        if existant is not None:
            if existant.pk not in administrables:
                refus.append(
                    Refus(
                        fichier,
                        ligne.numero,
                        colonne("identifiant"),
                        f"identifiant « {v['identifiant']} » déjà pris par un compte hors de "
                        "ce PLIE",
                    )
                )
                continue
            liees.append((ligne, existant, signature))
            adhesions.append(_adhesion(existant, structure, v))
            continue
        compte = User(
            username=v["identifiant"],
            first_name=v["prenom"],
            last_name=v["nom"],
            email=v["email"],
            is_active=False,
            is_staff=False,
            is_superuser=False,
        )
        compte.set_unusable_password()
        nouveaux.append((ligne, compte, signature))
        adhesions.append(_adhesion(compte, structure, v))
    if refus:
        return refus
    User.objects.bulk_create([c for _, c, _ in nouveaux])
    ajoutees = _ajouter_adhesions(adhesions)
    if par is not None:
        _tracer(plie, par, source, nouveaux, ajoutees)
    Provenance.objects.bulk_create(
        _provenance(plie, source, Entite.UTILISATEUR, ligne, c.pk, signature, lie)
        for lie, groupe in ((False, nouveaux), (True, liees))
        for ligne, c, signature in groupe
    )
    comptes.crees += len(nouveaux) + len(liees)
    return []


def _adhesion(compte, structure, v):
    return Membership(
        user=compte,
        structure=structure,
        role=v["role"],
        debut=v["date_debut"] or timezone.localdate(),
    )


def _ajouter_adhesions(adhesions):
    """Les adhésions (structure, rôle) que le compte n'a pas encore, actives ou non ; rend
    celles qui ont été créées."""
    if not adhesions:
        return []
    tenues = set(
        Membership.objects.filter(
            user_id__in={a.user.pk for a in adhesions if a.user.pk}
        ).values_list("user_id", "structure_id", "role")
    )
    a_creer = []
    for a in adhesions:
        a.user_id = a.user.pk
        cle = (a.user_id, a.structure_id, a.role)
        if cle not in tenues:
            tenues.add(cle)
            a_creer.append(a)
    Membership.objects.bulk_create(a_creer)
    return a_creer


def _tracer(plie, par, source, nouveaux, adhesions):
    """Une trace par compte créé (avec sa première adhésion, comme `creer_compte`) et par
    adhésion ajoutée à un compte existant ; en une insertion."""
    crees = {c.pk for _, c, _ in nouveaux}
    origine = f"reprise {source}"

    def trace(quoi, objet_id, detail):
        return Trace(
            type=TypeTrace.ADMINISTRATION,
            user=par,
            identifiant=par.get_username(),
            plie=plie,
            objet_type=quoi,
            objet_id=str(objet_id),
            detail=detail[:500],
        )

    traces, premieres = [], set()
    for a in adhesions:
        role = a.get_role_display()
        if a.user_id in crees and a.user_id not in premieres:
            premieres.add(a.user_id)
            detail = f"création ({role}) par la {origine}, compte inactif"
            traces.append(trace("compte", a.user_id, detail))
        else:
            detail = f"ajout ({role}) pour {a.user} par la {origine}"
            traces.append(trace("adhesion", a.pk, detail))
    Trace.objects.bulk_create(traces)


def comptes_repris(plie):
    """Les comptes créés par une reprise dans ce PLIE."""
    return Provenance.objects.filter(
        plie=plie, entite=Entite.UTILISATEUR, liee_a_existant=False
    ).values("objet_id")


def filtre_referents(plie) -> Q:
    """Les comptes actifs, et ceux que la reprise a créés et qui attendent d'être activés
    (jamais connectés) : un compte désactivé après usage ne reçoit plus de parcours."""
    return Q(user__is_active=True) | Q(
        user_id__in=comptes_repris(plie), user__last_login__isnull=True
    )


def _provenance(plie, source, entite, ligne, objet_id, signature, lie):
    return Provenance(
        plie=plie,
        source=source,
        entite=entite,
        source_id=ligne.valeurs["source_id"],
        objet_id=objet_id,
        liee_a_existant=lie,
        empreinte=signature,
    )
