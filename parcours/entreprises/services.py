"""Services des relations entreprises : nommés d'après ce que fait l'utilisateur.

Chaque service vérifie les droits par la politique d'accès (`par.has_perm(...)`,
parcours/acces/backend.py), valide les données (messages en français, `ValidationError` par champ)
et n'enregistre rien en cas d'erreur."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.core.errors import DonneesTransitionInvalides, TransitionInterdite
from parcours.core.fichiers import verifier_fichier
from parcours.core.models import PLIE
from parcours.core.roles import ROLES_REFERENT
from parcours.entreprises.enums import (
    STATUTS_OFFRE_CLOSE,
    STATUTS_OFFRE_OUVERTE,
    CanalDiffusion,
    StatutMiseEnRelation,
    StatutOffre,
)
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.models import (
    ContactEntreprise,
    DiffusionOffre,
    Entreprise,
    Evenement,
    MiseEnRelation,
    OffreEmploi,
    PresenceEvenement,
)
from parcours.entreprises.siret import normaliser_siret


def _exiger_gestion(par, plie_id):
    if not par.has_perm("core.gerer_entreprises", PLIE(pk=plie_id)):
        raise ActionEntrepriseNonAutorisee(
            "Vous n'avez pas le droit de gérer les entreprises de ce PLIE."
        )


def creer_entreprise(plie, *, par, **donnees) -> Entreprise:
    """Ajoute une entreprise au réseau du PLIE. `donnees` : raison_sociale, siret, secteur,
    tranche_effectif, partenaire, adresse, commune. Lève `ValidationError` (SIRET invalide avec
    sa raison, SIRET déjà présent dans ce PLIE, champ obligatoire manquant)."""
    _exiger_gestion(par, plie.pk)
    entreprise = Entreprise(plie=plie, created_by=par, **donnees)
    entreprise.siret = normaliser_siret(entreprise.siret)
    entreprise.full_clean()
    try:
        with transaction.atomic():
            entreprise.save()
    except IntegrityError:
        # Une saisie concurrente du même SIRET, entre la validation et l'enregistrement.
        raise ValidationError(
            {"siret": ["Une entreprise de ce PLIE porte déjà ce SIRET."]}
        ) from None
    return entreprise


def modifier_entreprise(entreprise, *, par, version=None, **donnees) -> Entreprise:
    """Met à jour les champs donnés ; mêmes validations que la création. `version` : celle lue
    par l'appelant ; si l'entreprise a été modifiée depuis, rien n'est écrit."""
    _exiger_gestion(par, entreprise.plie_id)
    with transaction.atomic():
        actuelle = Entreprise.objects.select_for_update().get(pk=entreprise.pk)
        if version is not None and int(version) != actuelle.version:
            raise ValidationError(
                "Cette entreprise vient d'être modifiée par une autre personne : rechargez la "
                "page pour voir sa version actuelle avant de la modifier."
            )
        for champ, valeur in donnees.items():
            setattr(actuelle, champ, valeur)
        actuelle.siret = normaliser_siret(actuelle.siret)
        actuelle.full_clean()
        actuelle.version += 1
        try:
            with transaction.atomic():
                actuelle.save()
        except IntegrityError:
            raise ValidationError(
                {"siret": ["Une entreprise de ce PLIE porte déjà ce SIRET."]}
            ) from None
    return actuelle


def _exiger_gestion_offres(par, plie_id):
    if not par.has_perm("core.gerer_offres", PLIE(pk=plie_id)):
        raise ActionEntrepriseNonAutorisee(
            "Vous n'avez pas le droit de gérer les offres et événements de ce PLIE."
        )


def _valider(objet, exclude=()):
    """`full_clean` sans les champs gérés par les services (clés posées par le code)."""
    objet.full_clean(exclude=list(exclude))


# — Contacts —


def noter_contact(
    entreprise, *, par, canal, note, date=None, interlocuteur=""
) -> ContactEntreprise:
    """Note un échange avec l'entreprise (visite, appel, courriel…)."""
    _exiger_gestion(par, entreprise.plie_id)
    contact = ContactEntreprise(
        entreprise=entreprise,
        auteur=par,
        canal=canal,
        note=(note or "").strip(),
        interlocuteur=(interlocuteur or "").strip(),
        date=date or timezone.localdate(),
    )
    if contact.date > timezone.localdate():
        raise ValidationError({"date": ["Un contact ne peut pas être daté dans le futur."]})
    _valider(contact, exclude=["entreprise", "auteur"])
    contact.save()
    return contact


# — Offres d'emploi —

CHAMPS_OFFRE = (
    "intitule",
    "description",
    "type_contrat",
    "lieu",
    "heures_hebdo",
    "nb_postes",
    "date_limite",
)


def _appliquer_offre(offre, donnees):
    inconnus = set(donnees) - set(CHAMPS_OFFRE)
    if inconnus:
        raise ValidationError(f"Champs d'offre inconnus : {', '.join(sorted(inconnus))}.")
    for champ, valeur in donnees.items():
        setattr(
            offre, champ, "" if valeur is None and champ in ("type_contrat", "lieu") else valeur
        )
    _valider(offre, exclude=["plie", "entreprise", "created_by", "statut"])


def collecter_offre(entreprise, *, par, **donnees) -> OffreEmploi:
    """Enregistre une offre recueillie auprès de l'entreprise (état « collectée »)."""
    _exiger_gestion_offres(par, entreprise.plie_id)
    offre = OffreEmploi(plie_id=entreprise.plie_id, entreprise=entreprise, created_by=par)
    _appliquer_offre(offre, donnees)
    offre.save()
    return offre


def modifier_offre(offre, *, par, **donnees) -> OffreEmploi:
    """Corrige une offre encore ouverte (collectée, qualifiée ou diffusée)."""
    _exiger_gestion_offres(par, offre.plie_id)
    with transaction.atomic():
        offre = OffreEmploi.objects.select_for_update().get(pk=offre.pk)
        if offre.statut in STATUTS_OFFRE_CLOSE:
            raise ValidationError(
                f"L'offre est {offre.get_statut_display().lower()} : elle n'est plus modifiable."
            )
        _appliquer_offre(offre, donnees)
        if offre.statut != StatutOffre.COLLECTEE and not (offre.type_contrat and offre.lieu):
            raise ValidationError(
                "Une offre qualifiée garde son type de contrat et son lieu de travail."
            )
        offre.save()
    return offre


def qualifier_offre(offre, *, par, motif="", **donnees) -> OffreEmploi:
    """Le ou la CRE a vérifié l'offre avec l'entreprise (poste, contrat, lieu, horaires) ;
    `donnees` complète les champs manquants dans le même geste."""
    with transaction.atomic():
        if donnees:
            _exiger_gestion_offres(par, offre.plie_id)
            _appliquer_offre(offre, donnees)
        offre.qualifier(par=par, motif=motif)
        offre.save()
    return offre


def diffuser_offre(
    offre, *, par, canal, referents=(), structures=(), note=""
) -> list[DiffusionOffre]:
    """Partage l'offre avec des référents et/ou des structures du PLIE : une trace par
    destinataire (qui, quand, comment). La première diffusion fait passer l'offre « diffusée » ;
    les suivantes ajoutent des traces. Par courriel : un message part à chaque référent nommé et
    aux référents en activité des structures nommées."""
    from parcours.core.models import Membership

    _exiger_gestion_offres(par, offre.plie_id)
    referents, structures = list(referents), list(structures)
    if not referents and not structures:
        raise ValidationError("Choisissez au moins un référent ou une structure destinataire.")
    if canal not in CanalDiffusion.values:
        raise ValidationError({"canal": [f"Canal de diffusion inconnu : « {canal} »."]})
    hors_plie = [s for s in structures if s.plie_id != offre.plie_id]
    if hors_plie:
        raise ValidationError(f"La structure « {hors_plie[0]} » n'appartient pas à ce PLIE.")
    referents_du_plie = set(
        Membership.objects.actives()
        .filter(role__in=ROLES_REFERENT, structure__plie_id=offre.plie_id)
        .values_list("user_id", flat=True)
    )
    for referent in referents:
        if referent.pk not in referents_du_plie:
            raise ValidationError(f"{referent} n'est pas référent en activité dans ce PLIE.")
    with transaction.atomic():
        offre = (
            OffreEmploi.objects.select_for_update().select_related("entreprise").get(pk=offre.pk)
        )
        if offre.statut == StatutOffre.QUALIFIEE:
            offre.diffuser(par=par, motif=note)
            offre.save()
        elif offre.statut != StatutOffre.DIFFUSEE:
            raise TransitionInterdite(
                f"« Diffuser l'offre » impossible : l'offre est à l'état "
                f"« {offre.get_statut_display()} »"
                + (" (qualifiez-la d'abord)." if offre.statut == StatutOffre.COLLECTEE else ".")
            )
        maintenant = timezone.now()
        traces = DiffusionOffre.objects.bulk_create(
            [
                DiffusionOffre(
                    offre=offre, referent=r, canal=canal, note=note, par=par, at=maintenant
                )
                for r in referents
            ]
            + [
                DiffusionOffre(
                    offre=offre, structure=s, canal=canal, note=note, par=par, at=maintenant
                )
                for s in structures
            ]
        )
        if canal == CanalDiffusion.COURRIEL:
            _envoyer_offre(offre, par, referents, structures)
    return traces


def _envoyer_offre(offre, par, referents, structures):
    from parcours.core.models import Membership, User
    from parcours.courriels.services import envoyer_courriel

    ids = {r.pk for r in referents} | set(
        Membership.objects.actives()
        .filter(role__in=ROLES_REFERENT, structure__in=structures)
        .values_list("user_id", flat=True)
    )
    details = [
        f"Entreprise : {offre.entreprise.raison_sociale}",
        f"Contrat : {offre.get_type_contrat_display()}",
        f"Lieu : {offre.lieu}",
    ]
    if offre.heures_hebdo:
        details.append(f"Heures par semaine : {offre.heures_hebdo}")
    if offre.date_limite:
        details.append(f"Candidatures jusqu'au {offre.date_limite:%d/%m/%Y}")
    envoyer_courriel(
        destinataires=list(User.objects.filter(pk__in=ids)),
        sujet=f"Offre d'emploi à pourvoir : {offre.intitule}",
        corps="\n".join(
            [
                "Bonjour,",
                "",
                f"Une offre d'emploi est à pourvoir : {offre.intitule} "
                f"({offre.nb_postes} poste{'s' if offre.nb_postes > 1 else ''}).",
                *details,
                "",
                offre.description,
                "",
                "Proposez vos candidats depuis la fiche de l'offre dans l'application.",
                f"— {par}",
            ]
        ),
        par=par,
    )


def cloturer_offre(offre, *, par, motif) -> OffreEmploi:
    """Clôture sans embauche par le PLIE (annulée, pourvue autrement, date dépassée…)."""
    with transaction.atomic():
        offre.cloturer(par=par, motif=motif)
        offre.save()
    return offre


def pourvoir_offre(offre, *, par, motif="") -> OffreEmploi:
    with transaction.atomic():
        offre.pourvoir(par=par, motif=motif)
        offre.save()
    return offre


# — Mises en relation —

STATUTS_CANDIDAT = (Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI)


def proposer_candidat(offre, parcours, *, par, note="") -> MiseEnRelation:
    """Propose une personne accompagnée sur une offre qualifiée ou diffusée. Le référent du
    parcours est prévenu par courriel quand c'est le ou la CRE qui propose."""
    from parcours.courriels.services import envoyer_courriel

    if not (
        parcours.plie_id == offre.plie_id
        and par.has_perm("entreprises.proposer_candidat", offre)
        and par.has_perm("accompagnement.view_parcours", parcours)
    ):
        raise ActionEntrepriseNonAutorisee(
            "Vous ne pouvez pas proposer cette personne sur cette offre : il faut être CRE ou "
            "référent du PLIE de l'offre et voir son dossier."
        )
    if offre.statut not in STATUTS_OFFRE_OUVERTE:
        raise ValidationError(
            f"L'offre est à l'état « {offre.get_statut_display()} » : on n'y propose de "
            "candidats qu'une fois qualifiée, et tant qu'elle n'est ni pourvue ni clôturée."
        )
    if parcours.statut not in STATUTS_CANDIDAT:
        raise ValidationError(
            f"Le parcours est à l'état « {parcours.get_statut_display()} » : seule une personne "
            "en accompagnement (ou suivie dans l'emploi) peut être proposée."
        )
    mise = MiseEnRelation(offre=offre, parcours=parcours, proposee_par=par, note=note.strip())
    try:
        with transaction.atomic():
            mise.save()
            if parcours.referent_id and parcours.referent_id != par.pk:
                envoyer_courriel(
                    destinataires=[parcours.referent],
                    sujet=f"Candidature proposée : {offre.intitule}",
                    corps=(
                        f"Bonjour,\n\n{par} a proposé {parcours.participant} sur l'offre "
                        f"« {offre.intitule} » de {offre.entreprise.raison_sociale}.\n"
                        + (f"\n{note.strip()}\n" if note.strip() else "")
                    ),
                    parcours=parcours,
                    par=par,
                )
    except IntegrityError:
        raise ValidationError("Cette personne est déjà proposée sur cette offre.") from None
    return mise


def _transition_mise(mise, methode, *, par, **kwargs) -> MiseEnRelation:
    with transaction.atomic():
        getattr(mise, methode)(par=par, **kwargs)
        mise.save()
    return mise


def planifier_entretien(mise, *, par, date_entretien, motif="") -> MiseEnRelation:
    if date_entretien is None:
        raise DonneesTransitionInvalides("Indiquez la date de l'entretien.")
    return _transition_mise(
        mise, "planifier_entretien", par=par, motif=motif, date_entretien=date_entretien
    )


def retenir_candidat(mise, *, par, motif="") -> MiseEnRelation:
    return _transition_mise(mise, "retenir", par=par, motif=motif)


def ne_pas_retenir_candidat(mise, *, par, motif) -> MiseEnRelation:
    return _transition_mise(mise, "ne_pas_retenir", par=par, motif=motif)


def embaucher(mise, *, par, type, debut, fin=None, heures_hebdo=None, motif="", **contrat):
    """L'entreprise embauche la personne retenue : le contrat est enregistré dans son dossier
    (`parcours.emploi.services.enregistrer_contrat`, qui la fait entrer en emploi), la mise en
    relation passe « embauche » et l'offre est pourvue quand tous ses postes le sont.
    Tout ou rien : une erreur sur le contrat n'enregistre rien. Renvoie le contrat."""
    from parcours.emploi.services import enregistrer_contrat

    with transaction.atomic():
        mise = (
            MiseEnRelation.objects.select_for_update(of=("self",))
            .select_related("offre__entreprise", "parcours")
            .get(pk=mise.pk)
        )
        # La transition d'abord : droits et état vérifiés avant d'écrire le contrat.
        mise.embaucher(par=par, motif=motif)
        contrat_enregistre = enregistrer_contrat(
            mise.parcours,
            par=par,
            type=type,
            employeur=mise.offre.entreprise.raison_sociale,
            debut=debut,
            fin=fin,
            heures_hebdo=heures_hebdo,
            **contrat,
        )
        mise.contrat = contrat_enregistre
        mise.save()
        offre = OffreEmploi.objects.select_for_update().get(pk=mise.offre_id)
        embauches = offre.mises_en_relation.filter(statut=StatutMiseEnRelation.EMBAUCHE).count()
        if offre.statut in STATUTS_OFFRE_OUVERTE and embauches >= offre.nb_postes:
            offre.pourvoir(
                par=par,
                motif=f"{embauches} embauche{'s' if embauches > 1 else ''} sur "
                f"{offre.nb_postes} poste{'s' if offre.nb_postes > 1 else ''}",
            )
            offre.save()
    return contrat_enregistre


# — Événements —


def creer_evenement(plie, *, par, type, titre, date, lieu, entreprises=()) -> Evenement:
    _exiger_gestion_offres(par, plie.pk)
    entreprises = list(entreprises)
    if any(e.plie_id != plie.pk for e in entreprises):
        raise ValidationError("Une entreprise choisie n'appartient pas au réseau de ce PLIE.")
    evenement = Evenement(plie=plie, organise_par=par, type=type, titre=titre, date=date, lieu=lieu)
    _valider(evenement, exclude=["plie", "organise_par", "feuille_emargement"])
    with transaction.atomic():
        evenement.save()
        evenement.entreprises.set(entreprises)
    return evenement


def emarger(evenement, parcours, *, par) -> PresenceEvenement:
    """Note la présence d'une personne : le ou la CRE, ou un référent du PLIE, qui voit son
    dossier."""
    if not (
        par.has_perm("entreprises.emarger", evenement)
        and par.has_perm("accompagnement.view_parcours", parcours)
    ):
        raise ActionEntrepriseNonAutorisee(
            "Vous ne pouvez pas noter la présence de cette personne à cet événement."
        )
    if parcours.plie_id != evenement.plie_id:
        raise ValidationError("Cette personne n'est pas accompagnée par le PLIE de l'événement.")
    presence, _ = PresenceEvenement.objects.get_or_create(
        evenement=evenement, parcours=parcours, defaults={"par": par}
    )
    return presence


def deposer_emargement(evenement, *, par, fichier) -> Evenement:
    """La feuille d'émargement signée, preuve de la présence (PDF, JPEG ou PNG)."""
    _exiger_gestion_offres(par, evenement.plie_id)
    try:
        verifier_fichier(fichier, champ="Feuille d'émargement signée")
    except ValidationError as exc:
        raise ValidationError({"feuille_emargement": exc.messages}) from None
    with transaction.atomic():
        evenement.feuille_emargement = fichier
        evenement.emargement_depose_par = par
        evenement.emargement_depose_le = timezone.now()
        evenement.save()
    return evenement
