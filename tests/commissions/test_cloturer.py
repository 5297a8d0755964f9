"""Clôturer : le procès-verbal en PDF, et chaque prescripteur informé de sa décision."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import StatutSession, TypeCommission, TypeDecision
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    DonneesCommissionInvalides,
    SessionClose,
)
from parcours.commissions.services import cloturer_session, decider
from parcours.core.enums import Role
from parcours.courriels.models import Courriel
from tests.commissions.conftest import NOM_COMMISSION
from tests.documents.echantillons import nom_aleatoire
from tests.pdf import nombre_de_pages, texte_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def seance(commission):
    """Une session mixte et quatre dossiers décidés : admis, ajourné (reporté), refusé, sortie."""
    session = commission.session(jours=1, type=TypeCommission.MIXTE)
    suivante = commission.session(jours=30, type=TypeCommission.MIXTE)
    admis = commission.inscrit(session, structure="a")
    ajourne = commission.inscrit(session, structure="b")
    refuse = commission.inscrit(session, structure="a")
    sortie = commission.inscrit(session, Statut.SORTIE_PROPOSEE, structure="b")
    decider(
        session, admis, TypeDecision.ADMIS, par=commission.president, referent=commission.referent
    )
    decider(
        session,
        ajourne,
        TypeDecision.AJOURNE,
        par=commission.membre,
        motif="Projet professionnel à préciser",
    )
    decider(
        session,
        refuse,
        TypeDecision.REFUSE,
        par=commission.president,
        motif="Relève de la Mission locale",
    )
    decider(session, sortie, TypeDecision.SORTIE_VALIDEE, par=commission.president)
    for dossier in (admis, ajourne, refuse, sortie):
        dossier.refresh_from_db()
    return (
        session,
        suivante,
        {"admis": admis, "ajourne": ajourne, "refuse": refuse, "sortie": sortie},
    )


def test_proces_verbal(commission, seance):
    session, suivante, dossiers = seance
    session = cloturer_session(session, par=commission.animateur, presents=[commission.president])

    assert session.statut == StatutSession.CLOTUREE
    assert session.cloturee_par == commission.animateur
    assert list(session.presents.all()) == [commission.president]
    # Rangé sous MEDIA_ROOT.
    chemin = Path(session.proces_verbal.path)
    assert chemin.is_file()
    assert chemin.is_relative_to(Path(settings.MEDIA_ROOT))
    assert nom_aleatoire("proces-verbal").fullmatch(session.proces_verbal.name)
    contenu = chemin.read_bytes()
    assert contenu.startswith(b"%PDF-")

    texte = texte_pdf(contenu)
    date = session.date_locale
    attendus = [
        f"Procès-verbal — {NOM_COMMISSION.capitalize()}",
        "PLIE Test Agenais",
        f"Commission d'entrée et de sortie du {date:%d/%m/%Y} à 14:00 — Salle du conseil",
        "Territoire Tout le PLIE",
        f"Présidence {commission.president}",
        f"Membres présents {commission.president}",
        "Cofinancé par l'Union européenne",
        "Décisions (4 dossiers)",
        # Une ligne par dossier : participant, examen, prescripteur, décision, suite.
        f"{dossiers['admis'].participant} Entrée {dossiers['admis'].prescripteur} — "
        f"{dossiers['admis'].structure_prescriptrice} Admis Référent : {commission.referent} "
        f"({commission.monde.structure('operateur', 'a')})",
        f"{dossiers['ajourne'].participant} Entrée",
        "Ajourné Motif : Projet professionnel à préciser — reporté à la session du "
        f"{suivante.date_locale:%d/%m/%Y}",
        f"{dossiers['refuse'].participant} Entrée",
        "Refusé Motif : Relève de la Mission locale",
        f"{dossiers['sortie'].participant} Sortie",
        "Sortie validée",
        "Admis : 1 · Ajourné : 1 · Refusé : 1 · Sortie validée : 1",
    ]
    for attendu in attendus:
        assert attendu in texte, attendu
    assert str(commission.membre) not in texte.split("Décisions")[0].split("Membres présents")[1]


def test_chaque_prescripteur_est_informe_de_sa_decision(commission, seance):
    session, suivante, dossiers = seance
    mail.outbox.clear()
    cloturer_session(session, par=commission.president)

    par_dossier = {}
    for message in mail.outbox:
        (nom,) = [n for n, d in dossiers.items() if str(d.participant) in message.subject]
        par_dossier[nom] = message
    assert set(par_dossier) == set(dossiers)

    admis = par_dossier["admis"]
    assert admis.to == [dossiers["admis"].prescripteur.email]
    assert "a décidé l'admission" in admis.body
    assert (
        f"Référent de parcours désigné : {commission.referent} "
        f"({commission.monde.structure('operateur', 'a')}) — {commission.referent.email}."
    ) in admis.body

    ajourne = par_dossier["ajourne"]
    assert ajourne.to == [dossiers["ajourne"].prescripteur.email]
    assert "Motif : Projet professionnel à préciser" in ajourne.body
    assert f"présenté de nouveau à la session du {suivante.date_locale:%d/%m/%Y}" in ajourne.body

    refuse = par_dossier["refuse"]
    assert "n'a pas retenu l'entrée" in refuse.body
    assert "Motif : Relève de la Mission locale" in refuse.body

    # Une sortie : c'est le référent qui l'avait proposée qui est informé.
    sortie = par_dossier["sortie"]
    assert sortie.to == [dossiers["sortie"].referent.email]
    assert "a validé la sortie" in sortie.body

    # Chaque courriel est gardé dans son dossier.
    for nom, dossier in dossiers.items():
        (courriel,) = Courriel.objects.filter(parcours=dossier, sujet=par_dossier[nom].subject)
        assert courriel.destinataires == par_dossier[nom].to
        assert courriel.envoye_par == commission.president
        assert courriel.erreur == ""


def test_clotures_refusees(commission, seance):
    session, _, _ = seance
    with pytest.raises(ActionCommissionNonAutorisee, match="Seuls le président"):
        cloturer_session(session, par=commission.membre)
    with pytest.raises(DonneesCommissionInvalides, match="ne fait pas partie des membres"):
        cloturer_session(
            session, par=commission.animateur, presents=[commission.monde.user(Role.DIRECTION)]
        )
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE
    assert not session.proces_verbal

    cloturer_session(session, par=commission.animateur)
    mail.outbox.clear()
    with pytest.raises(SessionClose, match="a déjà été clôturée le"):
        cloturer_session(session, par=commission.animateur)
    assert mail.outbox == []


def test_pas_de_cloture_avec_des_dossiers_sans_decision(commission):
    session = commission.session()
    decide = commission.inscrit(session)
    oublie = commission.inscrit(session)
    decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Non")
    mail.outbox.clear()
    with pytest.raises(DonneesCommissionInvalides) as exc:
        cloturer_session(session, par=commission.animateur)
    assert str(exc.value) == (
        f"1 dossier(s) de l'ordre du jour n'ont pas de décision ({oublie.participant}) : "
        "décidez-les ou retirez-les de l'ordre du jour avant de clôturer."
    )
    session.refresh_from_db()
    assert session.statut == StatutSession.EN_COURS  # encore un dossier à décider
    assert mail.outbox == []


def test_pas_de_proces_verbal_sans_decision(commission):
    session = commission.session()
    with pytest.raises(DonneesCommissionInvalides, match="Aucune décision"):
        cloturer_session(session, par=commission.animateur)


def test_proces_verbal_sur_plusieurs_pages(commission):
    session = commission.session()
    dossiers = [commission.inscrit(session) for _ in range(40)]
    for dossier in dossiers:
        decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    session = cloturer_session(session, par=commission.animateur)
    contenu = Path(session.proces_verbal.path).read_bytes()
    pages = nombre_de_pages(contenu)
    assert pages > 1
    texte = texte_pdf(contenu)
    assert all(str(d.participant) in texte for d in dossiers)
    assert f"page {pages} / {pages}" in texte
    assert timezone.localtime(session.cloturee_le).strftime("%d/%m/%Y à %H:%M") in texte
