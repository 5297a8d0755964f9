"""La matrice d'accès : chaque rôle × chaque dossier cible × chaque chemin d'accès.

Une seule table d'attendus (`EXPECTED`), écrite à la main d'après la politique décrite dans
`parcours/acces/`, jamais recalculée à partir du code testé. Chemins vérifiés :
- liste : `Participant.objects.visible_to`, `Parcours.objects.visible_to`, les contrôles objet
  `user.has_perm(...)` et la page HTML de la liste ;
- fiche : 200 si visible, sinon 404 sans le nom de la personne ;
- recherche : la liste filtrée par `?q=<nom>`.

Les dossiers sont construits une fois pour le module (transaction englobante annulée à la fin) ;
chaque test tourne dans un point de sauvegarde annulé, comme d'habitude avec pytest-django.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import StatutSession, TypeCommission
from parcours.commissions.models import InscriptionSession, SessionCommission
from parcours.core.enums import Role
from parcours.core.models import Membership, User
from tests.conftest import Monde
from tests.factories import MembershipFactory, ParticipantFactory, UserFactory, parcours_en

pytestmark = pytest.mark.django_db

LISTE = reverse("participants:index")
VOIR_PARCOURS = "accompagnement.view_parcours"
VOIR_PARTICIPANT = "participants.view_participant"

ACC = Statut.EN_ACCOMPAGNEMENT
COM = Statut.EN_COMMISSION_ENTREE
SORTIE = Statut.SORTIE_PROPOSEE
STATUTS = (ACC, COM, SORTIE)

# Cible → (structure, PLIE) du dossier, vu depuis un utilisateur de la structure « a » du PLIE 1.
CIBLES = {"propre": ("a", 1), "autre_structure": ("b", 1), "autre_plie": ("a", 2)}

# Noms distincts, dont aucun n'est contenu dans un autre (la recherche procède par « contient »).
NOMS = {
    (ACC, "propre"): ("Aubertin", "Anouk"),
    (ACC, "autre_structure"): ("Barthélémy", "Bastien"),
    (ACC, "autre_plie"): ("Cazalis", "Capucine"),
    (COM, "propre"): ("Delmotte", "Damien"),
    (COM, "autre_structure"): ("Espinasse", "Elodie"),
    (COM, "autre_plie"): ("Fourcadier", "Fanny"),
    (SORTIE, "propre"): ("Garrigou", "Gaspard"),
    (SORTIE, "autre_structure"): ("Hébrardot", "Hortense"),
    (SORTIE, "autre_plie"): ("Iturbide", "Ines"),
}

OUI, NON = True, False
TOUT_LE_PLIE = {ACC: (OUI, OUI, NON), COM: (OUI, OUI, NON), SORTIE: (OUI, OUI, NON)}
RIEN = {ACC: (NON, NON, NON), COM: (NON, NON, NON), SORTIE: (NON, NON, NON)}

# L'unique table d'attendus : rôle → statut du dossier → visible ?
#                               (propre, autre_structure, autre_plie)
EXPECTED = {
    Role.ANIMATEUR: TOUT_LE_PLIE,
    Role.DIRECTION: TOUT_LE_PLIE,
    Role.ADMIN: TOUT_LE_PLIE,
    # Sa file active : les dossiers dont il est le référent (ceux en commission n'en ont pas).
    Role.REFERENT: {ACC: (OUI, NON, NON), COM: (NON, NON, NON), SORTIE: (OUI, NON, NON)},
    Role.REFERENT_ETAPE: RIEN,
    # Les prescriptions de sa structure, quel que soit leur état.
    Role.PRESCRIPTEUR: {ACC: (OUI, NON, NON), COM: (OUI, NON, NON), SORTIE: (OUI, NON, NON)},
    # Les dossiers de l'ordre du jour d'une session ouverte où il siège (voir `Scene`) : ni ceux
    # d'une session clôturée, ni ceux d'une session où il ne siège pas, ni le reste du PLIE.
    Role.COMMISSION: {ACC: (NON, NON, NON), COM: (OUI, NON, NON), SORTIE: (NON, OUI, NON)},
    Role.CRE: RIEN,
    Role.FACILITATEUR: RIEN,
    Role.FINANCEUR: RIEN,
    Role.DONNEUR_ORDRE: RIEN,
    # Hors des dossiers tirés d'un contrôle qui lui est ouvert : rien (tests/fse/test_controles*).
    Role.CONTROLEUR: RIEN,
}


def attendu(role, statut, cible) -> bool:
    return EXPECTED[role][statut][list(CIBLES).index(cible)]


# Le dossier typique de chaque rôle : en accompagnement (il a un référent) ; pour la commission,
# un dossier en commission d'entrée, plus les deux autres états pour voir la frontière.
STATUTS_DE_LA_MATRICE = {Role.COMMISSION: (COM, SORTIE, ACC)}
CHEMINS = ("liste", "fiche", "recherche")

CAS = [
    pytest.param(
        role,
        statut,
        cible,
        chemin,
        attendu(role, statut, cible),
        id=f"{role.value}-{statut.value}-{cible}-{chemin}",
    )
    for role in Role
    for statut in STATUTS_DE_LA_MATRICE.get(role, (ACC,))
    for cible in CIBLES
    for chemin in CHEMINS
]


# — La scène, partagée par tout le module —


class Scene:
    def __init__(self):
        self.monde = Monde()
        self.dossiers = {}
        for statut in STATUTS:
            for cible, (structure, plie) in CIBLES.items():
                nom, prenom = NOMS[statut, cible]
                self.dossiers[statut, cible] = parcours_en(
                    self.monde,
                    statut,
                    plie=plie,
                    structure=structure,
                    participant=ParticipantFactory(nom=nom, prenom=prenom),
                )
        # Tous les comptes sont créés ici : un compte créé dans un test serait annulé avec lui
        # mais resterait dans le cache de `Monde`.
        self.users = {role: self.monde.user(role) for role in Role}
        # Le membre de commission siège à une session ouverte (COM propre, SORTIE autre
        # structure) et à une session clôturée (COM autre structure) ; une autre session ouverte,
        # où il ne siège pas, porte SORTIE propre.
        membre = self.users[Role.COMMISSION]
        plie = self.monde.plie1
        self.session = sieger(membre, plie, [self.dossiers[COM, "propre"]])
        sieger(membre, plie, [self.dossiers[SORTIE, "autre_structure"]], session=self.session)
        sieger(membre, plie, [self.dossiers[COM, "autre_structure"]], cloturee=True)
        sieger(None, plie, [self.dossiers[SORTIE, "propre"]])

    def tous(self):
        return set(self.dossiers.values())

    def tous_ordonnes(self):
        return list(self.dossiers.values())

    def visibles_selon_la_table(self, role):
        return {
            parcours
            for (statut, cible), parcours in self.dossiers.items()
            if attendu(role, statut, cible)
        }

    def user(self, role):
        return frais(self.users[role])


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield Scene()
        transaction.set_rollback(True)


def sieger(user, plie, dossiers, session=None, cloturee=False):
    """`user` (s'il est donné) siège à une session mixte de `plie` qui porte `dossiers`."""
    if session is None:
        session = SessionCommission.objects.create(
            plie=plie,
            type=TypeCommission.MIXTE,
            date=timezone.now() + datetime.timedelta(days=1),
            **(
                {
                    "statut": StatutSession.CLOTUREE,
                    "cloturee_le": timezone.now(),
                    "proces_verbal": "pv.pdf",
                }
                if cloturee
                else {}
            ),
        )
    if user is not None:
        session.membres.add(user)
    for parcours in dossiers:
        objet = "sortie" if parcours.statut == SORTIE else "entree"
        InscriptionSession.objects.create(session=session, parcours=parcours, objet=objet, ordre=1)
    return session


def frais(user):
    """Une instance neuve : le périmètre est mis en cache sur l'objet utilisateur."""
    return User.objects.get(pk=user.pk)


def fiche(participant):
    return reverse("participants:detail", args=[participant.pk])


def pks_listes(response):
    return [p.pk for p in response.context["participants"]]


def nom_affiche(participant):
    return participant.nom.upper()


# — Vérifications par chemin —


def verifier_liste(client, user, parcours, visible):
    participant = parcours.participant
    assert (participant in acces.participants_visibles(user)) is visible
    assert (parcours in acces.parcours_visibles(user)) is visible
    assert user.has_perm(VOIR_PARCOURS, parcours) is visible
    assert user.has_perm(VOIR_PARTICIPANT, participant) is visible

    client.force_login(user)
    response = client.get(LISTE)
    assert response.status_code == 200
    contenu = response.content.decode()
    assert (participant.pk in pks_listes(response)) is visible
    assert (f'href="{fiche(participant)}"' in contenu) is visible
    assert (nom_affiche(participant) in contenu) is visible


def verifier_fiche(client, user, parcours, visible):
    participant = parcours.participant
    client.force_login(user)
    response = client.get(fiche(participant))
    contenu = response.content.decode()
    if visible:
        assert response.status_code == 200
        assert response.context["participant"] == participant
        assert list(response.context["parcours_list"]) == [parcours]
        assert nom_affiche(participant) in contenu
    else:
        assert response.status_code == 404
        assert participant.nom not in contenu
        assert nom_affiche(participant) not in contenu
        assert participant.prenom not in contenu


def verifier_recherche(client, user, parcours, visible):
    participant = parcours.participant
    client.force_login(user)
    response = client.get(LISTE, {"q": participant.nom})
    assert response.status_code == 200
    contenu = response.content.decode()
    if visible:
        assert pks_listes(response) == [participant.pk]
        assert not response.context["approchee"]
    else:
        # Rien d'exact dans le périmètre : la liste propose les noms proches qu'elle voit
        # (recherche approchée, docs/participants.md), jamais la personne cherchée.
        assert participant.pk not in pks_listes(response)
        assert response.context["approchee"] or "Aucun participant ne correspond" in contenu
    assert (nom_affiche(participant) in contenu) is visible


VERIFICATIONS = {
    "liste": verifier_liste,
    "fiche": verifier_fiche,
    "recherche": verifier_recherche,
}


def verifier_listes_exactes(user, attendus):
    participants = {p.participant for p in attendus}
    assert set(acces.parcours_visibles(user)) == attendus
    assert set(acces.participants_visibles(user)) == participants
    return participants


def verifier_perimetre(client, user, attendus, scene):
    """Le périmètre exact de `user` sur toute la scène.

    Listes exactes et contrôles objet sur chaque dossier ; côté pages, la liste exacte, puis la
    fiche et la recherche d'un dossier visible et d'un dossier invisible (le détail par cellule
    est couvert par `test_matrice`).
    """
    participants = verifier_listes_exactes(user, attendus)
    for parcours in scene.tous():
        visible = parcours in attendus
        assert user.has_perm(VOIR_PARCOURS, parcours) is visible, parcours
        assert user.has_perm(VOIR_PARTICIPANT, parcours.participant) is visible, parcours

    client.force_login(user)
    response = client.get(LISTE)
    assert response.status_code == 200
    assert set(pks_listes(response)) == {p.pk for p in participants}
    representants = [
        next((p for p in scene.tous_ordonnes() if (p in attendus) is visible), None)
        for visible in (True, False)
    ]
    for parcours in filter(None, representants):
        visible = parcours in attendus
        verifier_fiche(client, user, parcours, visible)
        verifier_recherche(client, user, parcours, visible)


# — La table elle-même —


def test_la_table_couvre_chaque_role_et_chaque_dossier():
    assert set(EXPECTED) == set(Role)
    for role, par_statut in EXPECTED.items():
        assert set(par_statut) == set(STATUTS), role
        assert all(len(ligne) == len(CIBLES) for ligne in par_statut.values()), role
    assert {(role, chemin) for role, _, _, chemin, _ in (c.values for c in CAS)} == {
        (role, chemin) for role in Role for chemin in CHEMINS
    }


def test_la_scene_est_conforme(scene):
    monde = scene.monde
    for (statut, cible), parcours in scene.dossiers.items():
        structure, plie = CIBLES[cible]
        assert parcours.statut == statut
        assert parcours.plie == monde.plie(plie)
        assert parcours.structure_prescriptrice == monde.structure("prescripteur", structure, plie)
        if statut == COM:
            assert parcours.referent is None
        else:
            assert parcours.referent == monde.user(Role.REFERENT, structure, plie)
    assert scene.dossiers[ACC, "propre"].referent == scene.users[Role.REFERENT]


# — La matrice —


@pytest.mark.parametrize(("role", "statut", "cible", "chemin", "visible"), CAS)
def test_matrice(client, scene, role, statut, cible, chemin, visible):
    VERIFICATIONS[chemin](client, scene.user(role), scene.dossiers[statut, cible], visible)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_querysets_et_controles_objet_concordent_sur_toute_la_scene(scene, role):
    """Toute la table (3 états × 3 cibles) : listes exactes, `has_perm` identique."""
    user = scene.user(role)
    attendus = scene.visibles_selon_la_table(role)
    assert set(acces.parcours_visibles(user)) == attendus
    assert set(acces.participants_visibles(user)) == {p.participant for p in attendus}
    for (statut, cible), parcours in scene.dossiers.items():
        visible = attendu(role, statut, cible)
        assert user.has_perm(VOIR_PARCOURS, parcours) is visible, (statut, cible)
        assert user.has_perm(VOIR_PARTICIPANT, parcours.participant) is visible, (statut, cible)


# — Droits explicites (django-guardian) —


@pytest.mark.parametrize("beneficiaire", ["utilisateur", "groupe"])
def test_droit_explicite_ouvre_un_seul_dossier(client, scene, beneficiaire):
    cre = scene.user(Role.CRE)
    partage = scene.dossiers[ACC, "propre"]
    autre = scene.dossiers[ACC, "autre_structure"]
    if beneficiaire == "groupe":
        groupe = Group.objects.create(name="interim-cre")
        cre.groups.add(groupe)
        assign_perm(VOIR_PARCOURS, groupe, partage)
    else:
        assign_perm(VOIR_PARCOURS, cre, partage)
    cre = frais(cre)

    for parcours, visible in ((partage, True), (autre, False)):
        verifier_liste(client, cre, parcours, visible)
        verifier_fiche(client, cre, parcours, visible)
        verifier_recherche(client, cre, parcours, visible)
    verifier_listes_exactes(cre, {partage})


@pytest.mark.parametrize("beneficiaire", ["utilisateur", "groupe"])
def test_retirer_le_droit_retire_l_acces(client, scene, beneficiaire):
    cre = scene.user(Role.CRE)
    partage = scene.dossiers[ACC, "propre"]
    groupe = Group.objects.create(name="interim-cre")
    cre.groups.add(groupe)
    titulaire = groupe if beneficiaire == "groupe" else cre
    assign_perm(VOIR_PARCOURS, titulaire, partage)
    verifier_liste(client, frais(cre), partage, True)

    remove_perm(VOIR_PARCOURS, titulaire, partage)
    cre = frais(cre)
    verifier_liste(client, cre, partage, False)
    verifier_fiche(client, cre, partage, False)
    verifier_recherche(client, cre, partage, False)
    verifier_listes_exactes(cre, set())


def test_quitter_le_groupe_retire_l_acces(client, scene):
    cre = scene.user(Role.CRE)
    partage = scene.dossiers[ACC, "propre"]
    groupe = Group.objects.create(name="interim-cre")
    cre.groups.add(groupe)
    assign_perm(VOIR_PARCOURS, groupe, partage)
    verifier_liste(client, frais(cre), partage, True)

    cre.groups.remove(groupe)
    cre = frais(cre)
    verifier_liste(client, cre, partage, False)
    verifier_fiche(client, cre, partage, False)
    verifier_listes_exactes(cre, set())


# — Adhésions dans le temps, comptes désactivés, super-utilisateur —

HIER = "hier"
AUJOURD_HUI = "aujourd_hui"
DEMAIN = "demain"


def _date(quand):
    decalage = {HIER: -1, AUJOURD_HUI: 0, DEMAIN: 1}[quand]
    return timezone.localdate() + datetime.timedelta(days=decalage)


def _adhesion(scene, role, debut, fin):
    type_structure = "prescripteur" if role == Role.PRESCRIPTEUR else "porteur"
    membership = MembershipFactory(
        role=role,
        structure=scene.monde.structure(type_structure, "a", 1),
        debut=_date(debut) if debut else datetime.date(2020, 1, 1),
        fin=_date(fin) if fin else None,
    )
    if role == Role.COMMISSION:  # il siège à la session de la scène : seule l'adhésion compte
        scene.session.membres.add(membership.user)
    return membership


@pytest.mark.parametrize(
    ("debut", "fin"),
    [
        pytest.param(None, HIER, id="terminee-hier"),
        pytest.param(DEMAIN, None, id="commence-demain"),
    ],
)
@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.PRESCRIPTEUR, Role.COMMISSION])
def test_adhesion_hors_periode_ne_donne_rien(client, scene, role, debut, fin):
    membership = _adhesion(scene, role, debut, fin)
    verifier_perimetre(client, frais(membership.user), set(), scene)


@pytest.mark.parametrize(
    ("debut", "fin"),
    [
        pytest.param(None, AUJOURD_HUI, id="terminee-ce-soir"),
        pytest.param(AUJOURD_HUI, None, id="commencee-ce-matin"),
    ],
)
@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.PRESCRIPTEUR, Role.COMMISSION])
def test_adhesion_du_jour_compte(scene, role, debut, fin):
    """Témoin : les bornes `debut` et `fin` sont incluses."""
    user = frais(_adhesion(scene, role, debut, fin).user)
    attendus = scene.visibles_selon_la_table(role)
    assert attendus
    assert set(acces.parcours_visibles(user)) == attendus
    assert set(acces.participants_visibles(user)) == {p.participant for p in attendus}
    (un_visible, *_) = attendus
    assert user.has_perm(VOIR_PARCOURS, un_visible)


def test_referent_dont_l_adhesion_est_terminee_perd_sa_file_active(client, scene):
    referent = scene.user(Role.REFERENT)
    assert scene.dossiers[ACC, "propre"].referent == referent
    Membership.objects.filter(user=referent).update(fin=_date(HIER))
    verifier_perimetre(client, frais(referent), set(), scene)


@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.REFERENT, Role.PRESCRIPTEUR])
def test_compte_desactive_ne_voit_rien(client, scene, role):
    user = scene.user(role)
    assign_perm(VOIR_PARCOURS, user, scene.dossiers[ACC, "autre_plie"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    user = frais(user)

    assert not acces.parcours_visibles(user).exists()
    assert not acces.participants_visibles(user).exists()
    for parcours in scene.tous():
        assert not user.has_perm(VOIR_PARCOURS, parcours), parcours
        assert not user.has_perm(VOIR_PARTICIPANT, parcours.participant), parcours

    # La session d'un compte désactivé est refusée : retour à la connexion, rien n'est montré.
    client.force_login(user)
    cible = scene.dossiers[ACC, "propre"].participant
    for url in (LISTE, fiche(cible), f"{LISTE}?q={cible.nom}"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
        assert nom_affiche(cible) not in response.content.decode()


def test_super_utilisateur_voit_tout(client, scene):
    admin = UserFactory(is_superuser=True, is_staff=True)
    verifier_perimetre(client, frais(admin), scene.tous(), scene)
    # Y compris une personne sans aucun parcours.
    isole = ParticipantFactory(nom="Jourdanet", prenom="Jules")
    assert isole in acces.participants_visibles(admin)
    client.force_login(admin)
    assert client.get(fiche(isole)).status_code == 200


def test_super_utilisateur_desactive_ne_voit_rien(scene):
    admin = frais(UserFactory(is_superuser=True, is_active=False))
    assert not acces.parcours_visibles(admin).exists()
    assert not acces.participants_visibles(admin).exists()
    assert not admin.has_perm(VOIR_PARCOURS, scene.dossiers[ACC, "propre"])


def test_anonyme_ne_voit_rien(client, scene):
    anonyme = AnonymousUser()
    assert not acces.parcours_visibles(anonyme).exists()
    assert not acces.participants_visibles(anonyme).exists()
    assert not anonyme.has_perm(VOIR_PARCOURS, scene.dossiers[ACC, "propre"])
    cible = scene.dossiers[ACC, "propre"].participant
    for url in (LISTE, fiche(cible)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# — Plusieurs adhésions : l'union des périmètres —


@pytest.mark.parametrize(
    ("role_1", "role_2"),
    [
        pytest.param(Role.REFERENT, Role.ANIMATEUR, id="referent-plie1+animateur-plie2"),
        pytest.param(Role.PRESCRIPTEUR, Role.COMMISSION, id="prescripteur-plie1+commission-plie2"),
    ],
)
def test_deux_adhesions_donnent_l_union(client, scene, role_1, role_2):
    user = scene.user(role_1)
    MembershipFactory(user=user, role=role_2, structure=scene.monde.structure("porteur", "a", 2))
    # Le rôle 2, tenu dans le PLIE 2, y voit ce qu'il verrait dans le PLIE 1 chez lui.
    du_role_2 = {
        scene.dossiers[statut, "autre_plie"]
        for statut in STATUTS
        if attendu(role_2, statut, "propre") or attendu(role_2, statut, "autre_structure")
    }
    if role_2 == Role.COMMISSION:  # ... à condition de siéger à une session qui les porte
        sieger(user, scene.monde.plie2, du_role_2)
    attendus = scene.visibles_selon_la_table(role_1) | du_role_2
    assert scene.visibles_selon_la_table(role_1) and du_role_2
    assert not scene.visibles_selon_la_table(role_1) & du_role_2
    verifier_perimetre(client, frais(user), attendus, scene)


# — 404 : ni 403, ni 500, ni fuite du nom —


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_fiche_hors_perimetre_repond_404_sans_le_nom(client, scene, role):
    user = scene.user(role)
    hors_perimetre = scene.dossiers[ACC, "autre_plie"].participant  # invisible pour tous
    client.force_login(user)
    response = client.get(fiche(hors_perimetre))
    assert response.status_code == 404
    contenu = response.content.decode()
    for fragment in (hors_perimetre.nom, nom_affiche(hors_perimetre), hors_perimetre.prenom):
        assert fragment not in contenu


@pytest.mark.parametrize("qui", ["animateur", "cre", "super-utilisateur"])
def test_identifiant_inconnu_repond_404(client, scene, qui):
    user = UserFactory(is_superuser=True) if qui == "super-utilisateur" else scene.user(Role(qui))
    inconnu = max(p.participant.pk for p in scene.tous()) + 10_000
    client.force_login(user)
    assert client.get(reverse("participants:detail", args=[inconnu])).status_code == 404
    assert client.get(f"{LISTE}{inconnu}/").status_code == 404
    assert client.get(f"{LISTE}pas-un-nombre/").status_code == 404


def test_fiche_ne_montre_que_les_parcours_visibles(client, scene):
    """Une personne suivie dans les deux PLIE : l'animateur du PLIE 1 ne voit que le sien."""
    monde = scene.monde
    personne = ParticipantFactory(nom="Kervella", prenom="Katell")
    chez_soi = parcours_en(monde, ACC, plie=1, structure="a", participant=personne)
    ailleurs = parcours_en(monde, SORTIE, plie=2, structure="a", participant=personne)
    animateur = scene.user(Role.ANIMATEUR)

    assert set(acces.parcours_visibles(animateur).filter(participant=personne)) == {chez_soi}
    assert animateur.has_perm(VOIR_PARCOURS, chez_soi)
    assert not animateur.has_perm(VOIR_PARCOURS, ailleurs)

    client.force_login(animateur)
    response = client.get(fiche(personne))
    assert response.status_code == 200
    assert list(response.context["parcours_list"]) == [chez_soi]
    assert f'id="parcours-{ailleurs.pk}"' not in response.content.decode()

    response = client.get(LISTE, {"q": personne.nom})
    (ligne,) = response.context["participants"]
    assert (ligne.pk, ligne.statut_courant, ligne.plie_courant) == (
        personne.pk,
        ACC,
        monde.plie1.nom,
    )
