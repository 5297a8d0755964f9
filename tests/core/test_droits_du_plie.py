"""Les droits d'un PLIE (`core.animer_plie`, `core.suivre_emploi_plie`) sont des permissions objet
sur le PLIE, jamais globales : la migration convertit les anciennes permissions globales, et une
permission objet accordée ouvre la file de ce PLIE seulement."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm

from parcours.core.enums import Role
from parcours.core.models import PLIE
from tests.factories import MembershipFactory, StructureFactory, membre
from tests.workflows.test_entree_recevabilite import prescrire, tache, url
from workflows import access as flux

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "parcours.core.migrations.0004_droits_plie_en_permissions_objet"
)


def perm(nom):
    app_label, codename = nom.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_la_migration_convertit_les_permissions_globales(monde, django_user_model):
    admin = monde.user(Role.ADMIN)
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(perm("core.animer_plie"), perm("core.change_plie"))
    cre = monde.user(Role.CRE, plie=2)
    groupe = Group.objects.create(name="CRE")
    groupe.permissions.add(perm("core.suivre_emploi_plie"), perm("referentiel.view_referentiel"))
    cre.groups.add(groupe)
    racine = django_user_model.objects.create_superuser("racine", "r@example.org", "x")
    racine.user_permissions.add(perm("core.animer_plie"))

    migration.convertir(apps, None)

    admin = django_user_model.objects.get(pk=admin.pk)
    cre = django_user_model.objects.get(pk=cre.pk)
    assert not admin.is_staff
    assert not admin.user_permissions.exists() and not groupe.permissions.exists()
    assert not admin.has_perm("core.animer_plie") and not cre.has_perm("core.suivre_emploi_plie")
    assert admin.has_perm("core.animer_plie", monde.plie1)
    assert not admin.has_perm("core.animer_plie", monde.plie2)
    assert cre.has_perm("core.suivre_emploi_plie", monde.plie2)
    assert not cre.has_perm("core.suivre_emploi_plie", monde.plie1)
    assert racine.user_permissions.filter(codename="animer_plie").exists()
    # Une seconde passe ne change rien.
    migration.convertir(apps, None)
    assert admin.has_perm("core.animer_plie", monde.plie1)


def test_une_permission_objet_ouvre_la_file_de_son_plie_seulement(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    admin = membre(Role.ADMIN, StructureFactory(plie=acteurs.agenais, nom="Porteur"))
    assert list(flux.taches_a_prendre(admin)) == []
    assign_perm("core.animer_plie", admin, acteurs.agenais)
    admin = type(admin).objects.get(pk=admin.pk)
    assert list(flux.taches_a_prendre(admin)) == [t]
    client.force_login(admin)
    assert client.post(url(t, "assign")).status_code == 302
    # Même permission sur l'autre PLIE (sans y être membre) : ni sa file, ni ses dossiers.
    voisin = membre(Role.ADMIN, StructureFactory(plie=acteurs.flandre, nom="Porteur F"))
    assign_perm("core.animer_plie", voisin, acteurs.flandre)
    assert list(flux.taches_a_prendre(voisin)) == []


def test_le_droit_d_animer_suit_l_adhesion(monde):
    animateur = monde.user(Role.ANIMATEUR)
    assert animateur.has_perm("core.animer_plie", monde.plie1)
    assert not animateur.has_perm("core.animer_plie", monde.plie2)
    assert not animateur.has_perm("core.animer_plie")
    MembershipFactory(user=animateur, structure=monde.structure("porteur", plie=2), role="cre")
    animateur = type(animateur).objects.get(pk=animateur.pk)
    assert animateur.has_perm("core.suivre_emploi_plie", PLIE.objects.get(pk=monde.plie2.pk))
