"""Administration du PLIE : chaque URL × chaque rôle × l'autre PLIE.

Seul l'administrateur du PLIE (rôle `admin`) ouvre ces pages, pour son PLIE seulement ; un
objet d'un autre PLIE (structure, compte, adhésion) répond 404 même par l'URL de son PLIE ; un
anonyme va à la page de connexion.
"""

import pytest
from django.urls import reverse

from parcours.core.enums import Role
from parcours.core.models import Membership

pytestmark = pytest.mark.django_db

PAGES = [
    ("index", False),
    ("plie", False),
    ("structures", False),
    ("structure_creer", False),
    ("structure", "structure"),
    ("comptes", False),
    ("compte_creer", False),
    ("compte", "compte"),
    ("mot_de_passe", "compte"),
    ("adhesion_creer", "compte"),
    ("adhesion_terminer", "adhesion"),
    ("referentiel", False),
    ("reprise", False),
]


def objets(monde, plie):
    """Un objet de chaque sorte dans le PLIE `plie` (1 ou 2)."""
    referent = monde.user(Role.REFERENT, plie=plie)
    return {
        "structure": monde.structure("operateur", plie=plie),
        "compte": referent,
        "adhesion": Membership.objects.get(user=referent),
    }


def url(nom, plie, objet=None):
    if nom == "index":
        return reverse("administration:index")
    args = [plie.code] + ([objet.pk] if objet is not None else [])
    return reverse(f"administration:{nom}", args=args)


# Chaque test parcourt toutes les pages dans un seul monde (le construire domine le temps) et
# rapporte chaque page en défaut, pas seulement la première.
def test_l_administrateur_ouvre_chaque_page_de_son_plie(client, monde):
    client.force_login(monde.user(Role.ADMIN))
    defauts = []
    for nom, sorte in PAGES:
        objet = objets(monde, 1)[sorte] if sorte else None
        reponse = client.get(url(nom, monde.plie1, objet), follow=nom == "index")
        if reponse.status_code != 200 or monde.plie1.nom not in reponse.content.decode():
            defauts.append(f"{nom} : {reponse.status_code}")
    assert not defauts, defauts


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_aucun_autre_role_n_ouvre_l_administration(client, monde, role):
    client.force_login(monde.user(role))
    defauts = []
    for nom, sorte in PAGES:
        objet = objets(monde, 1)[sorte] if sorte else None
        statuts = [client.get(url(nom, monde.plie1, objet)).status_code]
        if nom not in ("index", "referentiel", "structures", "comptes", "plie"):
            statuts.append(client.post(url(nom, monde.plie1, objet), {}).status_code)
        if set(statuts) != {404}:
            defauts.append(f"{nom} : {statuts}")
    assert not defauts, defauts


def test_l_administrateur_d_un_autre_plie_recoit_404(client, monde):
    client.force_login(monde.user(Role.ADMIN, plie=2))
    defauts = []
    for nom, sorte in PAGES:
        if nom == "index":
            continue
        objet = objets(monde, 1)[sorte] if sorte else None
        # Les pages du PLIE 1, et les objets du PLIE 1 par l'URL de son propre PLIE.
        adresses = [url(nom, monde.plie1, objet)]
        if objet is not None:
            adresses.append(url(nom, monde.plie2, objet))
        for adresse in adresses:
            statuts = [client.get(adresse).status_code, client.post(adresse, {}).status_code]
            if statuts != [404, 404]:
                defauts.append(f"{adresse} : {statuts}")
    assert not defauts, defauts


def test_anonyme_va_a_la_connexion(client, monde):
    defauts = []
    for nom, sorte in PAGES:
        objet = objets(monde, 1)[sorte] if sorte else None
        reponse = client.get(url(nom, monde.plie1, objet))
        if reponse.status_code != 302 or not reponse["Location"].startswith(reverse("login")):
            defauts.append(f"{nom} : {reponse.status_code}")
    assert not defauts, defauts


def test_le_menu_n_affiche_l_administration_qu_a_l_administrateur(client, monde):
    client.force_login(monde.user(Role.ADMIN))
    assert reverse("administration:index") in client.get(reverse("accueil:index")).content.decode()
    client.force_login(monde.user(Role.DIRECTION))
    assert (
        reverse("administration:index") not in client.get(reverse("accueil:index")).content.decode()
    )


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_debloquer_est_reserve_a_l_administrateur(client, monde, role):
    """Action POST seule (405 en GET pour l'administrateur) : 404 pour tout autre rôle."""
    compte = monde.user(Role.REFERENT)
    client.force_login(monde.user(role))
    assert client.post(url("debloquer", monde.plie1, compte)).status_code == 404
