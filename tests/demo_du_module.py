"""La démo complète de `make run` (comptes, dossiers, flux, suivi, minuteries), chargée une fois
pour un module de tests dans une transaction annulée à la fin, documents dans un dossier jetable.

Usage, dans un module : `demo = demo_du_module(participants=24)` (une fixture de module)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def charger_la_demo(participants: int) -> None:
    sortie = io.StringIO()
    call_command("charger_demo", participants=participants, stdout=sortie)
    call_command("demo_flux", stdout=sortie)
    call_command("demo_suivi", stdout=sortie)
    # La première passe du répartiteur de make run : les minuteurs échus ouvrent leurs tâches.
    call_command("workflow_timers", stdout=sortie)


def demo_du_module(participants: int):
    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker, tmp_path_factory):
        media = tmp_path_factory.mktemp("media-demo")
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            charger_la_demo(participants)
            yield
            transaction.set_rollback(True)

    return demo
