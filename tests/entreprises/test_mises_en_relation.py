import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.core.errors import (
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.emploi.models import Contrat
from parcours.emploi.services import ContratInvalide
from parcours.entreprises.enums import StatutMiseEnRelation, StatutOffre, TypeEvenement
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.indicateurs import indicateurs_par_plie
from parcours.entreprises.models import MiseEnRelation, PresenceEvenement
from parcours.entreprises.services import (
    creer_evenement,
    deposer_emargement,
    emarger,
    embaucher,
    ne_pas_retenir_candidat,
    planifier_entretien,
    proposer_candidat,
    retenir_candidat,
)
from tests.entreprises.conftest import une_entreprise, une_offre
from tests.factories import parcours_en


def _journal(mise):
    return list(mise.transitions.values_list("transition", "source", "target", "par", "motif"))


@pytest.mark.parametrize("acteur", ["cre", "referent"])
def test_cycle_complet_jusqu_a_l_embauche(monde, accompagne, acteur):
    """Le référent propose ; le CRE (ou le référent) enregistre les réponses et l'embauche,
    qui inscrit le contrat au dossier et pourvoit l'offre."""
    referent = monde.user(Role.REFERENT)
    par = monde.user(Role.CRE) if acteur == "cre" else referent
    offre = une_offre(monde, "diffusee")
    mise = proposer_candidat(offre, accompagne, par=referent, note="Motivé, permis B")
    entretien = timezone.now() + datetime.timedelta(days=2)
    planifier_entretien(mise, par=par, date_entretien=entretien)
    retenir_candidat(mise, par=par, motif="Bon entretien")
    debut = timezone.localdate()
    contrat = embaucher(
        mise, par=par, type="cdd", debut=debut, fin=debut + relativedelta(months=8), heures_hebdo=35
    )
    mise.refresh_from_db()
    accompagne.refresh_from_db()
    offre.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.EMBAUCHE
    assert mise.contrat == contrat == Contrat.objects.get(parcours=accompagne)
    assert contrat.employeur == offre.entreprise.raison_sociale and contrat.type == "cdd"
    assert accompagne.statut == Statut.EN_EMPLOI
    assert offre.statut == StatutOffre.POURVUE
    assert offre.transitions.last().motif == "1 embauche sur 1 poste"
    assert _journal(mise) == [
        ("planifier_entretien", "proposee", "entretien", par.pk, ""),
        ("retenir", "entretien", "retenue", par.pk, "Bon entretien"),
        ("embaucher", "retenue", "embauche", par.pk, ""),
    ]


def test_cre_qui_propose_previent_le_referent(monde, accompagne):
    cre = monde.user(Role.CRE)
    offre = une_offre(monde, "diffusee")
    # Le CRE ne voit pas ce dossier (ni positionné, ni en emploi) : il ne peut pas le proposer.
    with pytest.raises(ActionEntrepriseNonAutorisee):
        proposer_candidat(offre, accompagne, par=cre)
    en_emploi = parcours_en(monde, Statut.EN_EMPLOI, structure="b")
    mail.outbox.clear()
    mise = proposer_candidat(offre, en_emploi, par=cre)
    assert mise.proposee_par == cre
    assert mail.outbox[0].to == [en_emploi.referent.email]
    assert "a proposé" in mail.outbox[0].body


def test_non_retenue_exige_un_motif_et_le_garde(monde, accompagne):
    referent = monde.user(Role.REFERENT)
    mise = proposer_candidat(une_offre(monde, "diffusee"), accompagne, par=referent)
    with pytest.raises(DonneesTransitionInvalides, match="motif est obligatoire"):
        ne_pas_retenir_candidat(mise, par=referent, motif="")
    mise.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.PROPOSEE and not mise.transitions.exists()
    ne_pas_retenir_candidat(mise, par=referent, motif="Profil trop éloigné")
    mise.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.NON_RETENUE
    assert mise.motif_non_retenue == "Profil trop éloigné"
    with pytest.raises(TransitionInterdite, match="Non retenue"):
        retenir_candidat(mise, par=referent)


@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [
        (Role.CRE, "a", 2),
        (Role.REFERENT, "b", 1),  # référent du PLIE, mais pas de cette personne
        (Role.ANIMATEUR, "a", 1),
        (Role.PRESCRIPTEUR, "a", 1),
    ],
)
def test_transitions_refusees_hors_perimetre(monde, accompagne, role, structure, plie):
    mise = proposer_candidat(
        une_offre(monde, "diffusee"), accompagne, par=monde.user(Role.REFERENT)
    )
    with pytest.raises(TransitionNonAutorisee):
        retenir_candidat(mise, par=monde.user(role, structure, plie))
    mise.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.PROPOSEE


def test_proposer_refuse(monde, accompagne):
    referent = monde.user(Role.REFERENT)
    collectee = une_offre(monde)
    # Une offre collectée n'est pas diffusée : le référent ne la voit pas.
    with pytest.raises(ActionEntrepriseNonAutorisee):
        proposer_candidat(collectee, accompagne, par=referent)
    # La direction ne propose pas de candidats (CRE ou référent) ; le CRE, pas sur une collectée.
    with pytest.raises(ActionEntrepriseNonAutorisee):
        proposer_candidat(collectee, accompagne, par=monde.user(Role.DIRECTION))
    en_emploi = parcours_en(monde, Statut.EN_EMPLOI, structure="b")
    with pytest.raises(ValidationError, match="qu'une fois qualifiée"):
        proposer_candidat(collectee, en_emploi, par=monde.user(Role.CRE))
    offre = une_offre(monde, "diffusee", intitule="Autre poste")
    proposer_candidat(offre, accompagne, par=referent)
    with pytest.raises(ValidationError, match="déjà proposée"):
        proposer_candidat(offre, accompagne, par=referent)
    admis = parcours_en(monde, Statut.ADMIS, engagement=False)
    with pytest.raises(ValidationError, match="seule une personne en accompagnement"):
        proposer_candidat(offre, admis, par=referent)
    autre_plie = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2)
    with pytest.raises(ActionEntrepriseNonAutorisee):
        proposer_candidat(offre, autre_plie, par=monde.user(Role.REFERENT, plie=2))
    assert MiseEnRelation.objects.count() == 1


def test_embauche_invalide_n_enregistre_rien(monde, accompagne):
    referent = monde.user(Role.REFERENT)
    mise = proposer_candidat(une_offre(monde, "diffusee"), accompagne, par=referent)
    retenir_candidat(mise, par=referent)
    debut = timezone.localdate()
    with pytest.raises(ContratInvalide) as erreur:
        embaucher(mise, par=referent, type="cdd", debut=debut, fin=debut - relativedelta(days=1))
    assert "précède le début" in " ".join(erreur.value.message_dict["fin"])
    mise.refresh_from_db()
    accompagne.refresh_from_db()
    assert mise.statut == StatutMiseEnRelation.RETENUE and mise.contrat is None
    assert not mise.transitions.filter(transition="embaucher").exists()
    assert not Contrat.objects.exists() and accompagne.statut == Statut.EN_ACCOMPAGNEMENT


def test_offre_a_deux_postes_pourvue_a_la_seconde_embauche(monde):
    offre = une_offre(monde, "diffusee", nb_postes=2)
    referent = monde.user(Role.REFERENT)
    for numero in range(2):
        parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
        mise = proposer_candidat(offre, parcours, par=referent)
        retenir_candidat(mise, par=referent)
        embaucher(mise, par=referent, type="cdi", debut=timezone.localdate())
        offre.refresh_from_db()
        attendu = StatutOffre.DIFFUSEE if numero == 0 else StatutOffre.POURVUE
        assert offre.statut == attendu


def test_indicateurs_en_sql(monde, accompagne, django_assert_max_num_queries):
    referent = monde.user(Role.REFERENT)
    une_entreprise(monde, partenaire=True)
    offre = une_offre(monde, "diffusee", nb_postes=3)
    une_offre(monde, intitule="Collectée seulement")
    mise = proposer_candidat(offre, accompagne, par=referent)
    retenir_candidat(mise, par=referent)
    # Embauche il y a 7 mois, contrat toujours en cours : en poste à 6 mois.
    embaucher(mise, par=referent, type="cdi", debut=timezone.localdate() - relativedelta(months=7))
    autre = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    refus = proposer_candidat(offre, autre, par=referent)
    ne_pas_retenir_candidat(refus, par=referent, motif="Poste pourvu en interne")
    une_offre(monde, "diffusee", plie=2)
    with django_assert_max_num_queries(3):
        vues = indicateurs_par_plie([monde.plie1, monde.plie2])
    v1, v2 = vues
    assert v1["entreprises"] == {"total": 3, "partenaires": 1, "tpe": 0}
    assert v1["offres"]["collectees"] == 2 and v1["offres"]["diffusees"] == 1
    assert v1["mises_total"] == 2 and v1["embauches"] == 1 and v1["taux_embauche"] == 50
    assert dict(v1["mises"])["Non retenue"] == 1
    assert v1["embauches_6_mois"] == 1 and v1["en_poste_6_mois"] == 1
    assert v2["offres"]["collectees"] == 1 and v2["mises_total"] == 0


def test_evenement_emargement(monde, accompagne):
    cre = monde.user(Role.CRE)
    entreprise = une_entreprise(monde)
    evenement = creer_evenement(
        monde.plie1,
        par=cre,
        type=TypeEvenement.VISITE,
        titre="Visite du chantier",
        date=timezone.now(),
        lieu="Boé",
        entreprises=[entreprise],
    )
    with pytest.raises(ValidationError, match="réseau de ce PLIE"):
        creer_evenement(
            monde.plie1,
            par=cre,
            type="forum",
            titre="X",
            date=timezone.now(),
            lieu="Agen",
            entreprises=[une_entreprise(monde, plie=2)],
        )
    # Le CRE ne voit pas cette personne : il ne peut pas l'émarger ; son référent si.
    with pytest.raises(ActionEntrepriseNonAutorisee):
        emarger(evenement, accompagne, par=cre)
    with pytest.raises(ActionEntrepriseNonAutorisee):
        emarger(evenement, accompagne, par=monde.user(Role.REFERENT, "b"))
    presence = emarger(evenement, accompagne, par=monde.user(Role.REFERENT))
    emarger(evenement, accompagne, par=monde.user(Role.REFERENT))
    assert PresenceEvenement.objects.get() == presence
    with pytest.raises(ValidationError) as erreur:
        deposer_emargement(
            evenement, par=cre, fichier=SimpleUploadedFile("feuille.exe", b"MZ", "application/x")
        )
    assert "feuille_emargement" in erreur.value.message_dict
    evenement.refresh_from_db()
    assert not evenement.feuille_emargement
    pdf = SimpleUploadedFile("feuille.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    deposer_emargement(evenement, par=cre, fichier=pdf)
    evenement.refresh_from_db()
    assert evenement.feuille_emargement.name.endswith(".pdf")
    assert evenement.emargement_depose_par == cre
