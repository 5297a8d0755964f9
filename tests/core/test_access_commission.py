"""Membres de commission : ils voient et décident les dossiers des sessions ouvertes où ils
siègent, et relisent ceux des sessions clôturées où ils étaient présents, tant que l'identité
de la personne est conservée ; qui gère les sessions, qui y siège, qui y décide.

`filtre_dossiers_de_mes_sessions` (la source de l'UNION ALL), `a_siege_pour_le_dossier` (lire
un dossier) et `siege_pour_le_dossier` (y agir) sont comparés à des tables écrites à la main,
pour chaque utilisateur × chaque dossier de la scène.
"""

import datetime

import pytest

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import TypeDecision
from parcours.commissions.services import cloturer_session, decider
from parcours.core.enums import Role
from parcours.core.models import Membership, User
from parcours.participants.models import Participant
from tests.commissions.conftest import Commission
from tests.factories import membre

pytestmark = pytest.mark.django_db


class Scene:
    """PLIE 1 : la session S1 (président P, membre M) porte d1 (à décider) et d2 (admis) ; la
    session S2 (membre A) porte d3 ; la session S3 (membre M), clôturée, portait d4 ; d5 attend
    en commission sans session. PLIE 2 : la session S4 (membre X) porte d6."""

    def __init__(self, monde):
        c = self.commission = Commission(monde)
        self.P, self.M = c.president, c.membre
        self.A = c.autre_membre_de_commission()
        self.X = membre(Role.COMMISSION, monde.structure("porteur", "a", 2))
        s1 = c.session(jours=10)
        s2 = c.session(jours=12, membres=[self.A], president=None)
        s3 = c.session(jours=1, membres=[self.M], president=None)
        s4 = c.session(plie=2, membres=[self.X])
        self.d = {
            "d1": c.inscrit(s1),
            "d2": c.inscrit(s1),
            "d3": c.inscrit(s2),
            "d4": c.inscrit(s3),
            "d5": c.dossier(Statut.EN_COMMISSION_ENTREE),
            "d6": c.inscrit(s4, plie=2),
        }
        decider(s1, self.d["d2"], TypeDecision.ADMIS, par=self.P, referent=c.referent)
        decider(s3, self.d["d4"], TypeDecision.REFUSE, par=self.M, motif="Non")
        cloturer_session(s3, par=c.animateur)
        self.s1 = s1

    def user(self, nom):
        user = {"P": self.P, "M": self.M, "A": self.A, "X": self.X}.get(nom)
        user = user or self.commission.monde.user(Role(nom))
        return User.objects.get(pk=user.pk)  # neuf : le périmètre est mis en cache sur l'objet


# Utilisateur → les dossiers que ses sessions lui montrent (écrit à la main).
EXPECTED = {
    "P": {"d1", "d2"},  # présidente de S1 : le dossier décidé reste visible
    "M": {"d1", "d2", "d4"},  # membre de S1 ; présent à S3, clôturée : il relit d4
    "A": {"d3"},
    "X": {"d6"},
    # Les rôles sans adhésion de membre de commission n'ont rien par ce chemin (l'animation voit
    # déjà tout son PLIE par le sien).
    Role.ANIMATEUR.value: set(),
    Role.REFERENT.value: set(),
    Role.PRESCRIPTEUR.value: set(),
}


# … et ceux sur lesquels il peut agir (décider) : ceux des sessions ouvertes seulement.
AGIT = {**EXPECTED, "M": {"d1", "d2"}}


@pytest.fixture
def scene(monde):
    return Scene(monde)


@pytest.mark.parametrize("nom", list(EXPECTED))
def test_dossiers_des_sessions_ou_l_on_siege(scene, nom):
    user = scene.user(nom)
    attendus = {scene.d[cle] for cle in EXPECTED[nom]}
    assert set(Parcours.objects.filter(acces.filtre_dossiers_de_mes_sessions(user))) == attendus
    for cle, parcours in scene.d.items():
        assert acces.a_siege_pour_le_dossier(user, parcours) is (cle in EXPECTED[nom]), cle
        assert acces.siege_pour_le_dossier(user, parcours) is (cle in AGIT[nom]), cle


def test_une_seule_requete(scene, django_assert_num_queries):
    user = scene.user("M")
    filtre = acces.filtre_dossiers_de_mes_sessions(user)  # lit les adhésions (une fois)
    with django_assert_num_queries(1):
        assert Parcours.objects.filter(filtre).count() == 3


def test_adhesion_terminee_ne_montre_plus_rien(scene):
    Membership.objects.filter(user=scene.M).update(fin=datetime.date(2021, 1, 1))
    user = scene.user("M")
    assert not Parcours.objects.filter(acces.filtre_dossiers_de_mes_sessions(user)).exists()
    assert not acces.siege_pour_le_dossier(user, scene.d["d1"])
    assert not acces.siege_a_la_session(user, scene.s1)
    assert not acces.peut_decider_en_session(user, scene.s1)


def test_retirer_un_membre_de_la_session(scene):
    scene.s1.membres.remove(scene.M)
    user = scene.user("M")
    # Il garde la séance close où il a siégé (S3), plus celle dont on l'a retiré.
    assert set(Parcours.objects.filter(acces.filtre_dossiers_de_mes_sessions(user))) == {
        scene.d["d4"]
    }


# — Gérer les sessions, y siéger, y décider —

GERENT = {Role.ANIMATEUR, Role.DIRECTION}
SIEGENT = {Role.COMMISSION, Role.ANIMATEUR, Role.DIRECTION}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_droits_par_role(monde, role):
    user = monde.user(role)
    assert acces.peut_gerer_les_sessions(user, monde.plie1.pk) is (role in GERENT)
    assert acces.peut_sieger(user, monde.plie1.pk) is (role in SIEGENT)
    # Jamais dans le PLIE voisin.
    assert not acces.peut_gerer_les_sessions(user, monde.plie2.pk)
    assert not acces.peut_sieger(user, monde.plie2.pk)


@pytest.mark.parametrize(
    ("nom", "siege", "decide"),
    [
        ("P", True, True),
        ("M", True, True),
        ("A", False, False),  # membre de commission, mais pas de cette session
        ("X", False, False),  # autre PLIE
        (Role.ANIMATEUR.value, False, True),
        (Role.DIRECTION.value, False, True),
        (Role.REFERENT.value, False, False),
        (Role.ADMIN.value, False, False),
    ],
)
def test_sieger_et_decider_en_session(scene, nom, siege, decide):
    user = scene.user(nom)
    assert acces.siege_a_la_session(user, scene.s1) is siege
    assert acces.peut_decider_en_session(user, scene.s1) is decide


def test_super_utilisateur_gere_les_sessions(monde):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    assert acces.peut_gerer_les_sessions(admin, monde.plie1.pk)
    inactif = UserFactory(is_superuser=True, is_active=False)
    assert not acces.peut_gerer_les_sessions(inactif, monde.plie1.pk)


# — Dans la politique d'accès : listes, contrôles objet et transitions —

VOIR_PARCOURS = "accompagnement.view_parcours"
VOIR_PARTICIPANT = "participants.view_participant"


@pytest.mark.parametrize("nom", ["P", "M", "A", "X"])
def test_le_membre_de_commission_ne_voit_que_les_dossiers_de_ses_sessions(scene, nom):

    user = scene.user(nom)
    attendus = {scene.d[cle] for cle in EXPECTED[nom]}
    assert set(acces.parcours_visibles(user)) == attendus
    assert set(acces.participants_visibles(user)) == {p.participant for p in attendus}
    for cle, parcours in scene.d.items():
        visible = cle in EXPECTED[nom]
        assert user.has_perm(VOIR_PARCOURS, parcours) is visible, cle
        assert user.has_perm(VOIR_PARTICIPANT, parcours.participant) is visible, cle


def test_le_membre_agit_sur_les_dossiers_de_sa_session_seulement(scene):
    from parcours.core.errors import TransitionNonAutorisee

    d1, d3 = scene.d["d1"], scene.d["d3"]
    with pytest.raises(TransitionNonAutorisee, match="le droit d'ajourner la décision d'admission"):
        d3.ajourner(par=scene.user("M"), motif="À revoir")  # S2 : il n'y siège pas
    d1.ajourner(par=scene.user("M"), motif="À revoir")
    d1.save()
    assert d1.transitions.last().par == scene.M


def test_apres_la_cloture_les_presents_relisent_sans_agir(scene):
    """Clôturée avec P absente : M (présent) relit d1 et d2 sans pouvoir y agir ; P, absente, ne
    les voit plus ; A (une autre séance) ne les a jamais vus."""
    d1, d2 = scene.d["d1"], scene.d["d2"]
    decider(scene.s1, d1, TypeDecision.REFUSE, par=scene.M, motif="Non")
    assert scene.user("M").has_perm(VOIR_PARCOURS, d1)
    cloturer_session(scene.s1, par=scene.commission.animateur, presents=[scene.M])
    membre_m = scene.user("M")
    assert set(acces.parcours_visibles(membre_m)) == {d1, d2, scene.d["d4"]}
    assert membre_m.has_perm(VOIR_PARCOURS, d1)
    assert membre_m.has_perm(VOIR_PARTICIPANT, d1.participant)
    assert acces.voit_le_suivi(membre_m, d1)
    assert not acces.siege_pour_le_dossier(membre_m, d1)
    assert not acces.peut_effectuer(membre_m, d1, {Role.COMMISSION})
    absente = scene.user("P")
    assert not absente.has_perm(VOIR_PARCOURS, d1)
    assert not acces.parcours_visibles(absente).exists()
    assert not scene.user("A").has_perm(VOIR_PARCOURS, d1)
    # L'animation garde l'accès par son rôle.
    assert scene.user(Role.ANIMATEUR.value).has_perm(VOIR_PARCOURS, d1)


def test_la_relecture_cesse_au_terme_de_la_conservation(scene):
    """Au terme de la conservation, l'identité est effacée (parcours/rgpd) : le membre ne relit
    plus le dossier de la séance close (il garde ceux des séances ouvertes)."""
    d4 = scene.d["d4"]
    assert scene.user("M").has_perm(VOIR_PARCOURS, d4)
    Participant.objects.filter(pk=d4.participant_id).update(
        anonymise_le=datetime.datetime.now(datetime.UTC)
    )
    membre_m = scene.user("M")
    assert not membre_m.has_perm(VOIR_PARCOURS, d4)
    assert set(acces.parcours_visibles(membre_m)) == {scene.d["d1"], scene.d["d2"]}


def test_un_membre_devenu_inactif_ne_relit_plus(scene):
    Membership.objects.filter(user=scene.M).update(fin=datetime.date(2021, 1, 1))
    assert not scene.user("M").has_perm(VOIR_PARCOURS, scene.d["d4"])
