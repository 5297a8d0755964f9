"""Écrire les participants repris : créer, mettre à jour, ou lier à une personne déjà connue.

Une ligne nouvelle passe par la détection de doublons de l'instance
(`parcours.participants.doublons`) : la même personne (mêmes nom et prénom normalisés, même date
de naissance, une seule candidate) est **liée** — la provenance pointe vers elle, son identité
n'est jamais réécrite ; une personne seulement proche est créée et signalée au rapport comme
doublon possible à vérifier. Rien n'est fusionné.
"""

from parcours.participants.doublons import doublons_entre, trouver_doublons_en_lot
from parcours.participants.models import Participant
from parcours.participants.normalisation import normaliser
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.objets import lignes_changees
from parcours.reprise.rapport import Lien

CHAMPS_PERSONNE = (
    "nom",
    "prenom",
    "nom_naissance",
    "date_naissance",
    "sexe",
    "email",
    "telephone",
    "adresse",
    "commune_insee",
    "commune_nom",
)


def _meme_personne(correspondance, valeurs) -> bool:
    p = correspondance.participant
    return p.date_naissance == valeurs["date_naissance"] and normaliser(
        f"{p.nom} {p.prenom}"
    ) == normaliser(f"{valeurs['nom']} {valeurs['prenom']}")


def ecrire_participants(plie, source, fichier, lignes, rapport) -> dict:
    """Écrit les lignes ; rend {identifiant dans la source: id du participant}."""
    comptes = rapport.comptes[Entite.PARTICIPANT]
    existantes = {
        p.source_id: p
        for p in Provenance.objects.filter(
            plie=plie, source=source, entite=Entite.PARTICIPANT
        ).select_related("participant")
    }
    nouvelles, provenances, a_lier = [], [], []
    inconnues = [ligne for ligne in lignes if ligne.valeurs["source_id"] not in existantes]
    doublons = dict(
        zip(
            (ligne.numero for ligne in inconnues),
            trouver_doublons_en_lot(
                [
                    (v["nom"], v["prenom"], v["date_naissance"], v["commune_insee"])
                    for v in (ligne.valeurs for ligne in inconnues)
                ]
            ),
            strict=True,
        )
    )
    for ligne, signature, prov in lignes_changees(lignes, existantes, comptes):
        v = ligne.valeurs
        if prov is not None:
            for champ in CHAMPS_PERSONNE:
                setattr(prov.participant, champ, v[champ])
            prov.participant.full_clean(exclude=["recherche"])
            prov.participant.save()
            prov.empreinte = signature
            prov.save(update_fields=["empreinte", "updated_at"])
            comptes.mis_a_jour += 1
            continue
        candidats = doublons[ligne.numero]
        memes = [c for c in candidats if _meme_personne(c, v)]
        if len(memes) == 1:
            c = memes[0]
            a_lier.append((ligne, c, signature))
            continue
        personne = Participant(**{champ: v[champ] for champ in CHAMPS_PERSONNE})
        # bulk_create ne passe pas par save() : la clé de recherche est calculée ici.
        personne.recherche = normaliser(
            f"{personne.nom} {personne.nom_naissance} {personne.prenom}"
        )
        nouvelles.append((ligne, personne, signature, candidats))
    Participant.objects.bulk_create([personne for _, personne, _, _ in nouvelles])
    # Deux lignes nouvelles proches l'une de l'autre (l'identité exacte est refusée à la
    # lecture) : la seconde est signalée, comme une personne proche déjà connue.
    lignes_des_personnes = {personne.pk: ligne.numero for ligne, personne, _, _ in nouvelles}
    entre = doublons_entre([personne for _, personne, _, _ in nouvelles])
    for (ligne, personne, signature, candidats), du_fichier in zip(nouvelles, entre, strict=True):
        comptes.crees += 1
        provenances.append(_provenance(plie, source, ligne, personne, signature, lie=False))
        raisons = [", ".join(c.raisons) for c in candidats] + [
            f"{', '.join(c.raisons)}, ligne {lignes_des_personnes[c.participant.pk]} du fichier"
            for c in du_fichier
        ]
        if raisons:
            rapport.liens.append(
                Lien(
                    fichier,
                    ligne.numero,
                    ligne.valeurs["source_id"],
                    tuple(c.participant.numero for c in (*candidats, *du_fichier)),
                    " ; ".join(raisons),
                    lie=False,
                )
            )
    for ligne, correspondance, signature in a_lier:
        comptes.crees += 1
        provenances.append(
            _provenance(plie, source, ligne, correspondance.participant, signature, lie=True)
        )
        rapport.liens.append(
            Lien(
                fichier,
                ligne.numero,
                ligne.valeurs["source_id"],
                (correspondance.participant.numero,),
                ", ".join(correspondance.raisons),
                lie=True,
            )
        )
    Provenance.objects.bulk_create(provenances)
    return dict(
        Provenance.objects.filter(plie=plie, source=source, entite=Entite.PARTICIPANT).values_list(
            "source_id", "participant_id"
        )
    )


def _provenance(plie, source, ligne, participant, signature, *, lie):
    return Provenance(
        plie=plie,
        source=source,
        entite=Entite.PARTICIPANT,
        source_id=ligne.valeurs["source_id"],
        participant=participant,
        liee_a_existant=lie,
        empreinte=signature,
    )
