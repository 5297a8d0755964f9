"""La démo lue comme un nouvel utilisateur la lit.

- Un titre d'onglet par écran (templates/viewflow/base_page.html) : le titre de la barre, suivi de
  « — PLIE ». On parcourt la démo rôle par rôle : depuis l'accueil, les liens de l'application
  (deux niveaux) ; chaque écran a son titre, distinct de ceux des autres écrans, et aucun ne
  reste sur le titre du site (« PLIE — parcours »).
- L'historique des dossiers est daté de façon cohérente : la prescription d'abord, l'engagement
  entre l'admission et l'entrée, l'entrée en emploi au début du contrat, la suspension à son
  début (demo/management/commands/charger_demo.py)."""

import html as html_lib
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from demo.donnees import COMPTES
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.models import User
from parcours.dossier.chronologie import frise
from parcours.dossier.evenements import Rubrique
from tests.demo_du_module import demo_du_module

PAGES_PAR_COMPTE = 40
# Les pages qui téléchargent (PDF, CSV, XLSX) ou qui déconnectent ne sont pas des écrans.
EXCLUS = re.compile(r"(pdf|csv|xlsx|export|telecharger|modele|documents|deconnexion|logout)", re.I)

# Le même formulaire, hors tâche ou dans la tâche du flux : un seul écran.
MEMES_ECRANS = {"sortie:proposer:execute": "emploi:proposer_sortie"}


demo = demo_du_module()


def titre(contenu: str) -> str:
    trouve = re.search(r"<title>(.*?)</title>", contenu, re.S)
    return html_lib.unescape(" ".join(trouve.group(1).split())) if trouve else ""


def liens(contenu: str) -> list[str]:
    return [
        html_lib.unescape(h)
        for h in re.findall(r'<a [^>]*href="(/app/[^"#]*)"', contenu)
        if not EXCLUS.search(h)
    ]


def ecran(chemin: str) -> str:
    """L'écran d'une adresse : le nom de sa vue (deux dossiers différents sont le même écran)."""
    return resolve(urlsplit(chemin).path).view_name


def parcourir(client) -> dict[str, str]:
    """{chemin: titre} des écrans ouverts depuis l'accueil (largeur d'abord, deux niveaux)."""
    vus: dict[str, str] = {}
    a_voir = [(reverse("accueil:index"), 0)]
    while a_voir and len(vus) < PAGES_PAR_COMPTE:
        chemin, niveau = a_voir.pop(0)
        cle = urlsplit(chemin).path
        if cle in vus:
            continue
        # L'accueil peut conduire ailleurs (le financeur : son tableau de bord).
        reponse = client.get(chemin, follow=niveau == 0)
        if getattr(reponse, "redirect_chain", None):
            chemin = cle = urlsplit(reponse.redirect_chain[-1][0]).path
        if reponse.status_code != 200 or "text/html" not in reponse.get("Content-Type", ""):
            continue
        contenu = reponse.content.decode()
        vus[cle] = titre(contenu)
        if niveau < 2:
            a_voir.extend((lien, niveau + 1) for lien in liens(contenu))
    return vus


@pytest.mark.parametrize("compte", [c[0] for c in COMPTES])
def test_chaque_ecran_a_son_titre_d_onglet(demo, db, client, compte):
    client.force_login(User.objects.get(username=f"{compte}.agenais"))
    pages = parcourir(client)
    assert pages, compte
    sans_titre = {
        c: t for c, t in pages.items() if not t.endswith(" — PLIE") or t.startswith("PLIE")
    }
    assert not sans_titre, sans_titre
    # Deux écrans différents (deux vues) n'ont jamais le même titre d'onglet.
    ecrans_par_titre = defaultdict(set)
    for chemin, t in pages.items():
        ecrans_par_titre[t].add(MEMES_ECRANS.get(ecran(chemin), ecran(chemin)))
    doublons = {t: e for t, e in ecrans_par_titre.items() if len(e) > 1}
    assert not doublons, doublons


def _transition(parcours, nom):
    return next(t for t in parcours.transitions.all() if t.transition == nom)


def test_l_historique_des_dossiers_de_demo_est_chronologique(demo, db):
    dossiers = Parcours.objects.filter(date_entree__isnull=False).select_related("prescription")
    assert dossiers.count() >= 10
    for parcours in dossiers:
        evenements = frise(parcours, suivi=True)
        premier = evenements[0]
        assert premier.rubrique == Rubrique.PRESCRIPTION, (parcours.pk, premier.titre)
        assert timezone.localdate(premier.le) == parcours.date_prescription
        engager = _transition(parcours, "engager")
        assert timezone.localdate(engager.at) == parcours.date_entree
        admettre = _transition(parcours, "admettre")
        # Pièces, copie signée, questionnaire : entre l'admission et l'entrée.
        engagement = [
            e
            for e in evenements
            if e.titre.startswith(("Pièce d'entrée", "Copie signée", "Questionnaire FSE+"))
        ]
        assert engagement, parcours.pk
        assert all(admettre.at <= e.le <= engager.at for e in engagement), parcours.pk


def test_entree_en_emploi_et_suspension_a_la_date_du_service(demo, db):
    en_emploi = Parcours.objects.filter(statut=Statut.EN_EMPLOI, contrats__isnull=False).distinct()
    assert en_emploi.exists()
    for parcours in en_emploi:
        debut = min(c.debut for c in parcours.contrats.all())
        assert timezone.localdate(_transition(parcours, "entrer_en_emploi").at) >= debut
    suspendus = Parcours.objects.filter(statut=Statut.SUSPENDU)
    assert suspendus.exists()
    for parcours in suspendus:
        debut = parcours.suspensions.get(levee_le__isnull=True).debut
        assert timezone.localdate(_transition(parcours, "suspendre").at) >= debut
