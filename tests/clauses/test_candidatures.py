"""Candidatures sur une clause : proposer, vérifier l'éligibilité (expliquée), positionner,
décision de l'entreprise, embauche ; chaque changement journalisé (qui, quand, de, vers, motif)."""

import datetime

import pytest
from django.core import mail

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import StatutDeclare
from parcours.clauses import services
from parcours.clauses.enums import StatutBesoin, StatutPositionnement
from parcours.clauses.models import Positionnement
from parcours.core.enums import Role
from parcours.core.errors import (
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.emploi.enums import TypeContrat
from tests.clauses.conftest import referentiel_avec_clauses
from tests.clauses.factories import CandidatExterneFactory
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db


def _externe(chantier, **kwargs):
    return services.enregistrer_candidat_externe(
        par=chantier.facilitateur,
        plie=chantier.monde.plie1,
        **{
            "nom": "Durand",
            "prenom": "Lou",
            "date_naissance": datetime.date(1970, 1, 1),
            "sexe": "F",
            **kwargs,
        },
    )


def test_eligibilite_d_un_candidat_externe_expliquee(chantier):
    referentiel_avec_clauses(chantier.monde.plie1)
    externe = _externe(chantier, rsa=True)
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur, besoin=chantier.besoin, candidat_externe=externe
    )
    assert positionnement.role_proposant == Role.FACILITATEUR
    assert positionnement.eligible is True
    lignes = {c["code"]: c for c in positionnement.eligibilite["criteres"]}
    assert lignes["eligibilite-clause"]["explication"] == (
        "Public éligible à la clause — satisfait par « Allocataire d'un minimum social », "
        "« Demandeur d'emploi de 50 ans et plus »"
    )
    assert lignes["clause-minima-sociaux"]["satisfait"]
    assert not lignes["clause-deld"]["satisfait"]


def test_la_candidature_porte_le_plie_de_son_marche(chantier):
    """Recopié par le service (sans requête de plus) ; à défaut, lu du besoin à l'enregistrement."""
    externe = _externe(chantier)
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur, besoin=chantier.besoin, candidat_externe=externe
    )
    assert positionnement.plie_id == chantier.besoin.marche.plie_id == chantier.monde.plie1.pk
    sans_plie = Positionnement(
        besoin=chantier.besoin,
        candidat_externe=_externe(chantier, nom="Martin"),
        propose_par=chantier.facilitateur,
        role_proposant=Role.FACILITATEUR,
    )
    sans_plie.save()
    assert Positionnement.objects.get(pk=sans_plie.pk).plie == chantier.monde.plie1


def test_candidat_externe_hors_public_non_eligible_avec_explication(chantier):
    referentiel_avec_clauses(chantier.monde.plie1)
    externe = _externe(chantier, date_naissance=datetime.date(1990, 1, 1), niveau_qualification=5)
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur, besoin=chantier.besoin, candidat_externe=externe
    )
    assert positionnement.eligible is False
    racine = positionnement.eligibilite["criteres"][0]
    assert racine["explication"].startswith(
        "Public éligible à la clause — non satisfait : aucune des conditions (« Demandeur "
        "d'emploi de longue durée », "
    )


def test_eligibilite_d_un_participant_depuis_sa_prescription(chantier):
    monde = chantier.monde
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    StatutDeclare.objects.create(
        prescription=parcours.prescription, code="qpv", depuis=datetime.date(2020, 1, 1)
    )
    referentiel_avec_clauses(monde.plie1)
    referent = monde.user(Role.REFERENT)
    positionnement = services.proposer_candidature(
        par=referent, besoin=chantier.besoin, participant=parcours.participant
    )
    assert positionnement.role_proposant == Role.REFERENT
    assert positionnement.eligible is True
    qpv = next(c for c in positionnement.eligibilite["criteres"] if c["code"] == "clause-qpv")
    assert qpv["satisfait"]
    assert qpv["explication"].startswith(
        "Résident d'un quartier prioritaire — Statut QPV (quartier prioritaire) depuis le "
        "01/01/2020 ("
    )


def test_sans_section_clauses_l_eligibilite_est_a_apprecier(chantier):
    externe = _externe(chantier, rsa=True)
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur, besoin=chantier.besoin, candidat_externe=externe
    )
    assert positionnement.eligibilite == {
        "eligible": False,
        "criteres": [
            {
                "code": "referentiel",
                "satisfait": False,
                "explication": "Le référentiel en vigueur du PLIE Test Agenais ne définit pas le "
                "public éligible aux clauses (section « clauses ») : éligibilité à apprécier par "
                "le facilitateur.",
            }
        ],
    }


@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [
        (Role.REFERENT, "b", 1),  # ne suit pas ce participant
        (Role.PRESCRIPTEUR, "b", 1),  # ne l'a pas prescrit
        (Role.FACILITATEUR, "a", 1),  # le facilitateur ne propose pas de participant
        (Role.REFERENT, "a", 2),
        (Role.CRE, "a", 1),
        (Role.ANIMATEUR, "a", 1),
    ],
)
def test_proposer_un_participant_reserve_a_son_referent_et_son_prescripteur(
    chantier, role, structure, plie
):
    parcours = parcours_en(chantier.monde, Statut.EN_ACCOMPAGNEMENT)
    with pytest.raises(TransitionNonAutorisee):
        services.proposer_candidature(
            par=chantier.monde.user(role, structure, plie),
            besoin=chantier.besoin,
            participant=parcours.participant,
        )
    assert not Positionnement.objects.exists()


def test_le_prescripteur_propose_ses_personnes_et_une_seule_fois(chantier):
    monde = chantier.monde
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    prescripteur = monde.user(Role.PRESCRIPTEUR)
    positionnement = services.proposer_candidature(
        par=prescripteur, besoin=chantier.besoin, participant=parcours.participant
    )
    assert positionnement.role_proposant == Role.PRESCRIPTEUR
    assert positionnement.structure_proposante == monde.structure("prescripteur")
    with pytest.raises(DonneesTransitionInvalides, match="déjà candidate"):
        services.proposer_candidature(
            par=prescripteur, besoin=chantier.besoin, participant=parcours.participant
        )
    externe = services.enregistrer_candidat_externe(
        par=prescripteur,
        plie=monde.plie1,
        nom="Martin",
        prenom="Léo",
        date_naissance=datetime.date(2001, 5, 5),
        sexe="H",
    )
    assert externe.structure == monde.structure("prescripteur")
    services.proposer_candidature(
        par=prescripteur, besoin=chantier.besoin, candidat_externe=externe
    )
    # Le candidat externe d'un autre prescripteur ne lui est pas accessible.
    autre = CandidatExterneFactory(plie=monde.plie1)
    with pytest.raises(TransitionNonAutorisee):
        services.proposer_candidature(
            par=prescripteur, besoin=chantier.besoin, candidat_externe=autre
        )


def test_besoin_clos_ne_recoit_plus_de_candidature(chantier):
    services.clore_besoin(chantier.besoin, par=chantier.facilitateur, pourvu=False)
    with pytest.raises(TransitionInterdite, match="clos sans suite"):
        services.proposer_candidature(
            par=chantier.facilitateur,
            besoin=chantier.besoin,
            candidat_externe=CandidatExterneFactory(
                plie=chantier.monde.plie1, created_by=chantier.facilitateur
            ),
        )


def _jusqu_a_retenue(chantier, positionnement):
    f = chantier.facilitateur
    services.verifier_eligibilite(positionnement, par=f, eligible=True)
    positionnement.refresh_from_db()
    services.positionner(positionnement, par=f)
    positionnement.refresh_from_db()
    services.enregistrer_decision_entreprise(positionnement, par=f, retenue=True)
    positionnement.refresh_from_db()
    return positionnement


def test_cycle_de_vie_journalise_jusqu_a_l_embauche_et_besoin_pourvu(chantier):
    referentiel_avec_clauses(chantier.monde.plie1)
    chantier.besoin.nb_postes = 1
    chantier.besoin.save()
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur,
        besoin=chantier.besoin,
        candidat_externe=_externe(chantier, rsa=True),
    )
    positionnement = _jusqu_a_retenue(chantier, positionnement)
    services.enregistrer_embauche(
        positionnement,
        par=chantier.facilitateur,
        date_embauche=datetime.date(2025, 5, 5),
        type_contrat=TypeContrat.CDD,
        employeur="BTP Construction",
        date_fin=datetime.date(2025, 11, 4),
        heures_hebdo=35,
    )
    positionnement.refresh_from_db()
    assert positionnement.statut == StatutPositionnement.EMBAUCHEE
    journal = list(positionnement.transitions.values_list("transition", "source", "target", "par"))
    f = chantier.facilitateur.pk
    assert journal == [
        ("confirmer_eligibilite", "proposee", "eligibilite_verifiee", f),
        ("positionner", "eligibilite_verifiee", "positionnee", f),
        ("retenir", "positionnee", "retenue", f),
        ("embaucher", "retenue", "embauchee", f),
    ]
    chantier.besoin.refresh_from_db()
    assert chantier.besoin.statut == StatutBesoin.POURVU


def test_confirmer_un_non_eligible_exige_un_motif_trace(chantier):
    referentiel_avec_clauses(chantier.monde.plie1)
    externe = _externe(chantier, date_naissance=datetime.date(1990, 1, 1))
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur, besoin=chantier.besoin, candidat_externe=externe
    )
    with pytest.raises(DonneesTransitionInvalides, match="indiquez le motif"):
        services.verifier_eligibilite(positionnement, par=chantier.facilitateur, eligible=True)
    positionnement.refresh_from_db()
    assert positionnement.statut == StatutPositionnement.PROPOSEE
    services.verifier_eligibilite(
        positionnement, par=chantier.facilitateur, eligible=True, motif="Orientée par le SLAI"
    )
    assert positionnement.transitions.get().motif == "Orientée par le SLAI"


def test_non_retenue_exige_un_motif_et_seul_le_facilitateur_du_plie_decide(chantier):
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur,
        besoin=chantier.besoin,
        candidat_externe=_externe(chantier),
    )
    for intrus in (
        chantier.facilitateur2,
        chantier.monde.user(Role.REFERENT),
        chantier.monde.user(Role.ANIMATEUR),
    ):
        with pytest.raises(TransitionNonAutorisee):
            services.verifier_eligibilite(positionnement, par=intrus, eligible=False, motif="x")
    services.verifier_eligibilite(
        positionnement, par=chantier.facilitateur, eligible=True, motif="Dérogation"
    )
    positionnement.refresh_from_db()
    services.positionner(positionnement, par=chantier.facilitateur)
    positionnement.refresh_from_db()
    with pytest.raises(DonneesTransitionInvalides, match="motif est obligatoire"):
        services.enregistrer_decision_entreprise(
            positionnement, par=chantier.facilitateur, retenue=False
        )
    services.enregistrer_decision_entreprise(
        positionnement, par=chantier.facilitateur, retenue=False, motif="Permis B exigé"
    )
    positionnement.refresh_from_db()
    assert positionnement.statut == StatutPositionnement.NON_RETENUE
    assert positionnement.motif_non_retenue == "Permis B exigé"


def test_decision_sur_une_candidature_perimee_refusee(chantier):
    positionnement = services.proposer_candidature(
        par=chantier.facilitateur, besoin=chantier.besoin, candidat_externe=_externe(chantier)
    )
    perimee = Positionnement.objects.get(pk=positionnement.pk)
    services.verifier_eligibilite(
        positionnement, par=chantier.facilitateur, eligible=False, motif="Hors public"
    )
    with pytest.raises(Exception, match="modifiée par une autre personne"):
        services.verifier_eligibilite(
            perimee, par=chantier.facilitateur, eligible=True, motif="Dérogation"
        )


def test_diffusion_du_besoin_aux_referents_et_prescripteurs_du_plie(chantier):
    monde = chantier.monde
    destinataires = {
        monde.user(Role.REFERENT).email,
        monde.user(Role.PRESCRIPTEUR, "b").email,
    }
    etrangers = {monde.user(Role.REFERENT, plie=2).email, monde.user(Role.CRE).email}
    services.diffuser_besoin(chantier.besoin, par=chantier.facilitateur, url="http://x/b/1/")
    assert len(mail.outbox) == 1
    assert destinataires <= set(mail.outbox[0].to)
    assert not etrangers & set(mail.outbox[0].to)
    assert "Manœuvre bâtiment" in mail.outbox[0].subject
    chantier.besoin.refresh_from_db()
    assert chantier.besoin.diffuse_le is not None
    with pytest.raises(TransitionNonAutorisee):
        services.diffuser_besoin(chantier.besoin, par=monde.user(Role.REFERENT))
