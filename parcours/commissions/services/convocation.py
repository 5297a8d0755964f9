"""Envoyer l'ordre du jour : un courriel aux membres (la liste des dossiers) et, pour chaque
dossier pas encore annoncé, à son prescripteur (rangé dans le dossier)."""

from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import (
    STATUTS_SESSION_INSCRIPTIBLE,
    ObjetDossier,
    StatutSession,
)
from parcours.commissions.errors import (
    DonneesCommissionInvalides,
    SessionClose,
)
from parcours.commissions.models import InscriptionSession
from parcours.commissions.services.ordre_du_jour import construire_ordre_du_jour
from parcours.commissions.services.sessions import (
    exiger_gestion,
    format_date,
    nom_commission,
    verrouiller,
)
from parcours.courriels.services import envoyer_courriel


def envoyer_ordre_du_jour(session, *, par) -> list:
    """Envoie l'ordre du jour aux membres (un courriel, la liste des dossiers) et, pour chaque
    dossier pas encore annoncé, à son prescripteur (un courriel rangé dans le dossier). Les
    dossiers ajournés reportés ici reviennent en commission d'entrée. Peut être renvoyé tant que
    la session n'est pas tenue (ordre du jour mis à jour). Renvoie les courriels."""
    exiger_gestion(par, session.plie_id, "envoyer l'ordre du jour")
    with transaction.atomic():
        session = verrouiller(session)
        if session.statut not in STATUTS_SESSION_INSCRIPTIBLE:
            raise SessionClose(
                f"La {session.libelle} est « {session.get_statut_display().lower()} » : son "
                "ordre du jour ne s'envoie plus."
            )
        if session.date <= timezone.now():
            raise DonneesCommissionInvalides(
                f"La {session.libelle} est passée : son ordre du jour ne s'envoie plus."
            )
        membres = list(session.membres.order_by("last_name", "first_name"))
        if not membres:
            raise DonneesCommissionInvalides(
                "Composez la session (membres et président) avant d'envoyer son ordre du jour."
            )
        lignes = list(construire_ordre_du_jour(session))
        if not lignes:
            raise DonneesCommissionInvalides(
                "L'ordre du jour est vide : inscrivez au moins un dossier avant de l'envoyer."
            )
        for ligne in lignes:
            if ligne.parcours.statut == Statut.AJOURNE:
                parcours = Parcours.objects.select_for_update(of=("self",)).get(
                    pk=ligne.parcours_id
                )
                parcours.inscrire_en_commission(par=par, motif=f"Reporté à la {session.libelle}")
                parcours.save()
        mise_a_jour = session.statut == StatutSession.ORDRE_DU_JOUR_ENVOYE
        session.envoyer_ordre_du_jour(par=par, motif="Mise à jour" if mise_a_jour else "")
        session.save()

        nom = nom_commission(session)
        courriels = [_courriel_ordre_du_jour(session, nom, membres, lignes, par, mise_a_jour)]
        a_annoncer = [ligne for ligne in lignes if ligne.annoncee_le is None]
        for ligne in a_annoncer:
            if ligne.parcours.prescripteur_id:
                courriels.append(_courriel_examen(session, nom, ligne.parcours, par))
        InscriptionSession.objects.filter(pk__in=[ligne.pk for ligne in a_annoncer]).update(
            annoncee_le=timezone.now()
        )
    return courriels


def _en_tete(session, nom) -> str:
    texte = f"la {nom} du {session.plie}, le {format_date(session.date)}"
    if session.lieu:
        texte += f" ({session.lieu})"
    if session.territoire_id:
        texte += f", territoire « {session.territoire} »"
    return texte


def _courriel_ordre_du_jour(session, nom, membres, lignes, par, mise_a_jour):
    dossiers = []
    for numero, ligne in enumerate(lignes, start=1):
        parcours = ligne.parcours
        texte = (
            f"{numero}. {parcours.participant} — "
            f"{'sortie' if ligne.objet == ObjetDossier.SORTIE else 'entrée'}"
        )
        if parcours.structure_prescriptrice_id:
            texte += f" — prescrit par {parcours.structure_prescriptrice}"
        if ligne.reportee_de_id:
            texte += f" (reporté de la session du {format_date(ligne.reportee_de.session.date)})"
        dossiers.append(texte)
    sujet = f"Ordre du jour{' mis à jour' if mise_a_jour else ''} — {nom} du " + (
        f"{timezone.localtime(session.date):%d/%m/%Y}"
    )
    corps = (
        "Bonjour,\n\n"
        f"Voici l'ordre du jour de {_en_tete(session, nom)}.\n\n"
        f"Dossiers à examiner ({len(lignes)}) :\n" + "\n".join(dossiers) + "\n\n"
        "Les dossiers sont consultables dans l'application.\n"
    )
    return envoyer_courriel(destinataires=membres, sujet=sujet, corps=corps, par=par)


def _courriel_examen(session, nom, parcours, par):
    sujet = f"Dossier de {parcours.participant} : examen en commission le " + (
        f"{timezone.localtime(session.date):%d/%m/%Y}"
    )
    corps = (
        "Bonjour,\n\n"
        f"Le dossier de {parcours.participant}, que vous avez prescrit, sera examiné par "
        f"{_en_tete(session, nom)}.\n"
        "Vous serez informé·e de la décision à l'issue de la session.\n"
    )
    return envoyer_courriel(
        destinataires=[parcours.prescripteur], sujet=sujet, corps=corps, parcours=parcours, par=par
    )
