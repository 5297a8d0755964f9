"""Parcours navigateur d'un référent sur les données de démonstration.

Connexion (échec puis succès) → accueil et portefeuille → liste des participants limitée à sa
file → un participant d'un autre référent est invisible (liste, recherche, URL directe) → fiche
d'un de ses participants avec l'état du parcours et l'historique.
"""

import re
from urllib.parse import urlencode

import pytest
from django.db.models import Count
from playwright.sync_api import Page, expect

from demo.donnees import DEMO_PASSWORD
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.core.models import User
from parcours.participants.models import Participant
from tests.demo_du_module import demo_par_test

pytestmark = pytest.mark.e2e


def url_fiche(participant_pk):
    return f"/app/participants/{participant_pk}/"


def liens_listes(page: Page):
    return set(
        page.locator("#liste-participants tbody tr td:nth-child(2) a").evaluate_all(
            "liens => liens.map(a => a.getAttribute('href'))"
        )
    )


# La démo partagée (tests/demo_du_module.py) : chaque référent du PLIE y a une file (un parcours
# n'a de référent qu'à partir de l'admission) tenant sur une page de liste (25).
demo = demo_par_test()


def test_referent_ne_voit_que_sa_file_active(page: Page, demo):
    referent = User.objects.get(username="referent.agenais")
    autre_referent = User.objects.get(username="referent2.agenais")
    # Vérité de référence, lue en base sans passer par la politique d'accès de l'application.
    siens = Participant.objects.filter(parcours__referent=referent).distinct()
    attendus = {url_fiche(pk) for pk in siens.values_list("pk", flat=True)}
    autres = Participant.objects.filter(parcours__referent=autre_referent).exclude(
        parcours__referent=referent
    )
    assert 0 < len(attendus) <= 25, "la démo doit donner au référent une file sur une page"
    assert autres.exists(), "la démo doit donner des participants à l'autre référent"

    # 1. Un mauvais mot de passe : message générique, pas de connexion.
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(referent.username)
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    expect(page).to_have_url(re.compile(r"/connexion/$"))

    # 2. Le bon mot de passe mène à l'accueil, avec le portefeuille du référent.
    page.get_by_label("Identifiant").fill(referent.username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))
    expect(page.get_by_role("heading", name="Bonjour Élodie Martin")).to_be_visible()
    expect(page.get_by_role("heading", name="Mes tâches")).to_be_visible()
    file_active = Parcours.objects.filter(referent=referent, statut__in=STATUTS_FILE_ACTIVE).count()
    assert file_active > 0
    portefeuille = page.get_by_role("region", name=re.compile("^Mon portefeuille"))
    expect(portefeuille.get_by_role("heading")).to_have_text(
        f"Mon portefeuille — file active : {file_active}"
    )
    par_statut = dict(
        Parcours.objects.filter(referent=referent).values_list("statut").annotate(Count("id"))
    )
    expect(portefeuille.get_by_role("listitem")).to_have_text(
        [f"{Statut(s).label} : {par_statut[s]}" for s in Statut.values if s in par_statut]
    )

    # 3. La liste ne montre que ses participants, tous.
    portefeuille.get_by_role("link", name="Voir mes participants").click()
    expect(page).to_have_url(re.compile(r"/app/participants/$"))
    titre_liste = page.get_by_role("heading", level=2, name=re.compile("^Participants"))
    expect(titre_liste).to_have_text(f"Participants — {len(attendus)}")
    lignes = page.locator("#liste-participants tbody tr")
    expect(lignes).to_have_count(len(attendus))
    assert liens_listes(page) == attendus
    expect(lignes.locator("td:nth-child(8)")).to_have_text(["Élodie Martin"] * len(attendus))

    # 4. Le participant d'un autre référent : absent de la liste, introuvable, 404 en direct.
    noms_siens = set(siens.values_list("nom", flat=True))
    autre = next((p for p in autres.order_by("pk") if p.nom not in noms_siens), None)
    assert autre is not None, "il faut un participant de l'autre référent au nom distinct"
    assert url_fiche(autre.pk) not in liens_listes(page)

    # La recherche trouve bien un de ses participants (sinon l'échec suivant ne prouverait rien).
    sien = siens.order_by("pk").first()
    recherche = page.get_by_role("searchbox", name="Rechercher par nom")
    recherche.fill(f"{sien.nom} {sien.prenom}")
    recherche.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(urlencode({"q": f"{sien.nom} {sien.prenom}"}))))
    expect(titre_liste).to_have_text("Participants — 1")
    assert liens_listes(page) == {url_fiche(sien.pk)}

    recherche = page.get_by_role("searchbox", name="Rechercher par nom")
    recherche.fill(autre.nom)
    recherche.press("Enter")
    expect(page.get_by_text("Aucun participant ne correspond à ces critères.")).to_be_visible()
    expect(page.locator("#liste-participants")).to_have_count(0)

    reponse = page.goto(url_fiche(autre.pk))
    assert reponse is not None
    assert reponse.status == 404
    expect(
        page.get_by_text("Cette page n'existe pas ou ne vous est pas accessible")
    ).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(autre.nom.upper())

    # 5. La fiche d'un de ses participants : état du parcours et historique.
    parcours = (
        Parcours.objects.filter(referent=referent, statut=Statut.EN_ACCOMPAGNEMENT)
        .select_related("participant", "plie")
        .order_by("pk")
        .first()
    )
    assert parcours is not None
    transitions = list(parcours.transitions.order_by("-at", "-id"))
    assert len(transitions) >= 4
    page.goto("/app/participants/")
    page.locator(f'#liste-participants a[href="{url_fiche(parcours.participant_id)}"]').click()
    expect(page).to_have_url(re.compile(re.escape(url_fiche(parcours.participant_id)) + "$"))
    participant = parcours.participant
    expect(
        page.get_by_role(
            "heading", name=f"{participant.nom.upper()} {participant.prenom} ({participant.numero})"
        )
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Parcours "))).to_have_text(
        f"Parcours {parcours.plie.nom} — En accompagnement"
    )
    expect(page.get_by_text(re.compile(r"référent : Élodie Martin \("))).to_be_visible()
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
    historique = page.locator("section", has=page.get_by_role("heading", name="Historique"))
    lignes = historique.locator("table tbody tr")
    expect(lignes).to_have_count(len(transitions))
    expect(lignes.locator("td:nth-child(2)")).to_have_text([t.libelle for t in transitions])
    expect(lignes.locator("td:nth-child(4)")).to_have_text(
        [t.get_target_display() for t in transitions]
    )
    expect(lignes.first.locator("td:nth-child(4)")).to_have_text("En accompagnement")
