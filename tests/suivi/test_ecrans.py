import datetime
import html

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from parcours import acces
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import CanalContact, Statut
from parcours.accompagnement.models import ChangementReferent, Delegation, Entretien, Etape
from parcours.core.enums import Role
from tests.factories import membre, parcours_en
from tests.suivi.conftest import pdf

PAGES_DOSSIER = ["etapes", "entretiens", "entretien_nouveau", "suspension"]
AUJOURD_HUI = timezone.localdate


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def url(nom, dossier, **kwargs):
    return reverse(f"suivi:{nom}", kwargs={"pk": dossier.pk, **kwargs})


def _etape(dossier, par, **kwargs):
    donnees = {"type_code": "bilan-competences", "date_debut": datetime.date(2024, 3, 1)}
    return suivi.ajouter_etape(dossier, par, **{**donnees, **kwargs})


# — Accès —


@pytest.mark.parametrize("page", PAGES_DOSSIER)
@pytest.mark.parametrize(
    "role, structure, plie",
    [
        (Role.REFERENT, "a", 1),
        (Role.ANIMATEUR, "a", 1),
        (Role.ANIMATEUR, "b", 1),
    ],
)
def test_pages_du_dossier_ouvertes_a_qui_tient_le_suivi(
    client, monde, dossier, page, role, structure, plie
):
    client.force_login(monde.user(role, structure, plie))
    assert client.get(url(page, dossier)).status_code == 200


@pytest.mark.parametrize("page", [*PAGES_DOSSIER, "referent"])
@pytest.mark.parametrize(
    "role, structure, plie",
    [
        (Role.REFERENT, "b", 1),  # référent d'une autre structure
        (Role.PRESCRIPTEUR, "a", 1),  # voit sa prescription, pas le suivi
        (Role.CRE, "a", 1),
        (Role.ANIMATEUR, "a", 2),  # autre PLIE
        (Role.REFERENT, "a", 2),
    ],
)
def test_pages_du_dossier_404_hors_perimetre(client, monde, dossier, page, role, structure, plie):
    client.force_login(monde.user(role, structure, plie))
    assert client.get(url(page, dossier)).status_code == 404


def test_page_d_une_etape_404_hors_perimetre(client, monde, dossier, referent):
    etape = _etape(dossier, referent)
    client.force_login(monde.user(Role.REFERENT, "b"))
    assert client.get(url("etape", dossier, etape_pk=etape.pk)).status_code == 404
    # Une étape d'un autre dossier sous l'adresse de celui-ci : 404 aussi.
    autre = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    client.force_login(referent)
    assert client.get(url("etape", autre, etape_pk=etape.pk)).status_code == 404


def test_direction_lit_sans_pouvoir_agir(client, monde, dossier):
    client.force_login(monde.user(Role.DIRECTION))
    page = client.get(url("etapes", dossier))
    assert page.status_code == 200 and not page.context["peut_agir"]
    assert "Ajouter une étape" not in texte(page)
    assert client.post(url("etapes", dossier), {}).status_code == 404
    assert client.get(url("entretien_nouveau", dossier)).status_code == 404


def test_changer_de_referent_reserve_a_l_animation(client, monde, dossier, referent):
    client.force_login(referent)
    assert client.get(url("referent", dossier)).status_code == 404
    client.force_login(monde.user(Role.ANIMATEUR))
    assert client.get(url("referent", dossier)).status_code == 200


@pytest.mark.parametrize("page", [*PAGES_DOSSIER, "referent"])
def test_sans_connexion_vers_la_connexion(client, dossier, page):
    reponse = client.get(url(page, dossier))
    assert reponse.status_code == 302
    assert reponse.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    "role, structure, plie, attendu",
    [
        (Role.ANIMATEUR, "a", 1, 200),
        (Role.DIRECTION, "a", 1, 200),
        (Role.REFERENT, "a", 1, 404),
        (Role.PRESCRIPTEUR, "a", 1, 404),
    ],
)
def test_page_portefeuilles(client, monde, catalogue, role, structure, plie, attendu):
    client.force_login(monde.user(role, structure, plie))
    assert client.get(reverse("suivi:portefeuilles")).status_code == attendu


def test_portefeuilles_d_un_autre_plie(client, monde, catalogue):
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    reponse = client.get(reverse("suivi:portefeuilles"), {"plie": monde.plie1.pk})
    assert reponse.status_code == 404


# — Étapes —


def test_ajouter_une_etape_puis_sa_preuve(client, dossier, referent):
    client.force_login(referent)
    reponse = client.post(
        url("etapes", dossier),
        {
            "type_code": "bilan-competences",
            "intitule": "Bilan CIBC",
            "prestataire": "CIBC Agen",
            "date_debut": "2024-03-01",
            "statut": "en_cours",
        },
        follow=True,
    )
    etape = Etape.objects.get(parcours=dossier)
    contenu = texte(reponse)
    assert "Étape « Bilan CIBC » ajoutée." in contenu
    # La preuve manquante se voit sur la liste des étapes.
    assert "Preuve manquante : Attestation, Compte rendu ou Courriel" in contenu

    page = url("etape", dossier, etape_pk=etape.pk)
    reponse = client.post(
        page,
        {"section": "preuve", "type_preuve": "attestation", "fichier": pdf("attestation.pdf")},
        follow=True,
    )
    assert "Preuve « Attestation » déposée." in texte(reponse)
    assert "Preuve manquante" not in client.get(url("etapes", dossier)).content.decode()


def test_erreurs_d_etape_reaffichees(client, dossier, referent):
    client.force_login(referent)
    reponse = client.post(
        url("etapes", dossier),
        {
            "type_code": "bilan-competences",
            "date_debut": "2024-03-01",
            "date_fin": "2024-02-01",
            "statut": "prevue",
            "prestataire": "CIBC",
        },
    )
    assert reponse.status_code == 200
    form = reponse.context["form"]
    assert "ne peut pas précéder la date de début" in form.errors["date_fin"][0]
    assert form["prestataire"].value() == "CIBC"
    assert not Etape.objects.exists()


def test_preuve_trop_lourde_refusee(client, dossier, referent):
    from parcours.core.fichiers import TAILLE_MAX_DOCUMENT as TAILLE_MAX_FICHIER

    etape = _etape(dossier, referent, statut="en_cours")
    client.force_login(referent)
    reponse = client.post(
        url("etape", dossier, etape_pk=etape.pk),
        {
            "section": "preuve",
            "type_preuve": "attestation",
            "fichier": pdf("gros.pdf", b"%PDF-" + b"0" * TAILLE_MAX_FICHIER),
        },
    )
    assert reponse.status_code == 200
    assert "taille maximale" in reponse.context["forms"]["preuve"].errors["fichier"][0]
    assert not etape.preuves.exists()


def test_modification_concurrente_signalee(client, dossier, referent):
    etape = _etape(dossier, referent)
    client.force_login(referent)
    page = url("etape", dossier, etape_pk=etape.pk)
    donnees = {
        "section": "modifier",
        "version": etape.version,
        "type_code": "bilan-competences",
        "date_debut": "2024-03-01",
        "statut": "prevue",
        "prestataire": "Premier",
    }
    assert client.post(page, donnees).status_code == 302
    reponse = client.post(page, {**donnees, "prestataire": "Second"})
    assert reponse.status_code == 200
    assert "vient d'être modifiée" in reponse.context["forms"]["modifier"].non_field_errors()[0]
    etape.refresh_from_db()
    assert etape.prestataire == "Premier"


# — Entretiens —


def test_enregistrer_un_entretien_physique_avec_emargement(client, dossier, referent):
    client.force_login(referent)
    reponse = client.post(
        url("entretien_nouveau", dossier),
        {
            "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "canal": CanalContact.PHYSIQUE_INDIVIDUEL,
            "presence": "present",
            "note": "Point sur la recherche d'emploi.",
            "emargement": pdf("emargement.pdf"),
        },
        follow=True,
    )
    entretien = Entretien.objects.get(parcours=dossier)
    assert entretien.emargement and entretien.auteur == referent
    assert "enregistré" in texte(reponse)


def test_entretien_futur_refuse(client, dossier, referent):
    client.force_login(referent)
    demain = timezone.localtime() + datetime.timedelta(days=1)
    reponse = client.post(
        url("entretien_nouveau", dossier),
        {
            "date": demain.strftime("%Y-%m-%dT%H:%M"),
            "canal": CanalContact.TELEPHONE,
            "presence": "present",
        },
    )
    assert reponse.status_code == 200
    assert "date est future" in reponse.context["form"].errors["date"][0]
    assert not Entretien.objects.exists()


def test_absence_injustifiee_par_l_ecran(client, dossier, referent):
    client.force_login(referent)
    reponse = client.post(
        url("entretien_nouveau", dossier),
        {
            "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "canal": CanalContact.PHYSIQUE_INDIVIDUEL,
            "presence": "absent_injustifie",
        },
        follow=True,
    )
    assert "Les relances prévues sont dans la boîte de tâches" in texte(reponse)
    accueil = client.get(reverse("accueil:index"))
    titres = [t.flow_task.task_title for t in accueil.context["taches"]]
    assert titres.count("Relancer après une absence") == 2


# — Suspension —


def test_suspendre_renouveler_lever_par_l_ecran(client, dossier, referent):
    client.force_login(referent)
    page = url("suspension", dossier)
    reponse = client.post(
        page,
        {"section": "suspendre", "motif": "sante", "debut": AUJOURD_HUI().isoformat()},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.SUSPENDU
    assert "Parcours suspendu jusqu'au" in texte(reponse)
    client.post(page, {"section": "renouveler", "motif": "Soins"})
    assert dossier.suspensions.get().renouvellements == 1
    reponse = client.post(
        page, {"section": "lever", "le": AUJOURD_HUI().isoformat(), "motif": ""}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_ACCOMPAGNEMENT
    assert "Suspension levée" in texte(reponse)


def test_suspension_motif_autre_sans_precision(client, dossier, referent):
    client.force_login(referent)
    reponse = client.post(
        url("suspension", dossier),
        {"section": "suspendre", "motif": "autre", "debut": AUJOURD_HUI().isoformat()},
    )
    assert reponse.status_code == 200
    assert reponse.context["forms"]["suspendre"].errors["precision"]
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_ACCOMPAGNEMENT


# — Référent et portefeuilles —


def test_changer_de_referent_par_l_ecran(client, monde, dossier, animateur):
    collegue = membre(Role.REFERENT, monde.structure("operateur", "b", 1))
    client.force_login(animateur)
    reponse = client.post(
        url("referent", dossier), {"nouveau": collegue.pk, "motif": "Départ"}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.referent == collegue
    assert dossier.structure_referente == monde.structure("operateur", "b", 1)
    assert "Dossier confié à" in texte(reponse)
    assert ChangementReferent.objects.get().motif == "Départ"


def test_confier_un_portefeuille_et_organiser_un_interim(client, monde, catalogue, animateur):
    referent = monde.user(Role.REFERENT)
    dossiers = [parcours_en(monde, Statut.EN_ACCOMPAGNEMENT) for _ in range(2)]
    suppleant = monde.user(Role.REFERENT, "b")
    client.force_login(animateur)
    page = reverse("suivi:portefeuilles")
    reponse = client.post(
        page,
        {
            "section": "delegation",
            "plie": monde.plie1.pk,
            "titulaire": referent.pk,
            "suppleant": suppleant.pk,
            "debut": AUJOURD_HUI().isoformat(),
            "fin": (AUJOURD_HUI() + datetime.timedelta(days=14)).isoformat(),
            "motif": "Congé",
        },
        follow=True,
    )
    assert "Intérim de" in texte(reponse)
    delegation = Delegation.objects.get()
    assert all(acces.peut_voir(suppleant, d) for d in dossiers)

    reponse = client.post(reverse("suivi:lever_delegation", args=[delegation.pk]), follow=True)
    assert "levé" in texte(reponse)
    suppleant = type(suppleant).objects.get(pk=suppleant.pk)
    assert not any(acces.peut_voir(suppleant, d) for d in dossiers)

    collegue = membre(Role.REFERENT, monde.structure("operateur", "a", 1))
    reponse = client.post(
        page,
        {
            "section": "portefeuille",
            "plie": monde.plie1.pk,
            "ancien": referent.pk,
            "nouveau": collegue.pk,
            "motif": "Départ du référent",
        },
        follow=True,
    )
    assert "2 dossier(s)" in texte(reponse)
    assert ChangementReferent.objects.filter(en_masse=True, nouveau=collegue).count() == 2


def test_lever_l_interim_d_un_autre_plie(client, monde, catalogue, animateur):
    referent, suppleant = monde.user(Role.REFERENT), monde.user(Role.REFERENT, "b")
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    delegation = suivi.deleguer_portefeuille(
        referent,
        suppleant,
        animateur,
        plie=monde.plie1,
        debut=AUJOURD_HUI(),
        fin=AUJOURD_HUI(),
        motif="Congé",
    )
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    assert client.post(reverse("suivi:lever_delegation", args=[delegation.pk])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.levee_le is None


# — Nombre de requêtes constant —


def _remplir(dossier, par, n):
    for i in range(n):
        etape = _etape(dossier, par, statut="en_cours", intitule=f"Étape {i}")
        suivi.deposer_preuve(etape, par, type_preuve="attestation", fichier=pdf())
        suivi.enregistrer_entretien(
            dossier,
            par,
            date=timezone.now() - datetime.timedelta(days=i + 1),
            canal=CanalContact.TELEPHONE,
            note=f"Appel {i}",
        )


@pytest.mark.parametrize("page", ["etapes", "entretiens", "suspension"])
def test_requetes_constantes(client, dossier, referent, django_assert_max_num_queries, page):
    client.force_login(referent)
    _remplir(dossier, referent, 1)
    with django_assert_max_num_queries(30) as peu:
        client.get(url(page, dossier))
    _remplir(dossier, referent, 6)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        assert client.get(url(page, dossier)).status_code == 200


def test_requetes_constantes_portefeuilles(
    client, monde, catalogue, animateur, django_assert_max_num_queries
):
    client.force_login(animateur)
    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    with django_assert_max_num_queries(30) as peu:
        client.get(reverse("suivi:portefeuilles"))
    for cle in ("b", "a", "b"):
        parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure=cle)
        membre(Role.REFERENT, monde.structure("operateur", cle, 1))
    with django_assert_max_num_queries(len(peu.captured_queries)):
        assert client.get(reverse("suivi:portefeuilles")).status_code == 200


def test_parcours_suspendu_sans_suspension_enregistree(client, monde, catalogue, referent):
    """Un dossier suspendu par la seule transition (données anciennes) se reprend aussi."""
    dossier = parcours_en(monde, Statut.SUSPENDU)
    client.force_login(referent)
    page = client.get(url("suspension", dossier))
    assert page.status_code == 200 and page.context["en_cours"] is None
    assert "Reprendre l'accompagnement" in texte(page)
    client.post(url("suspension", dossier), {"section": "lever", "le": AUJOURD_HUI().isoformat()})
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_ACCOMPAGNEMENT


def test_direction_voit_la_suspension_sans_formulaire(client, monde, dossier, referent):
    suivi.suspendre_parcours(dossier, referent, motif="sante")
    client.force_login(monde.user(Role.DIRECTION))
    page = client.get(url("suspension", dossier))
    assert page.status_code == 200 and "Suspendu depuis le" in texte(page)
    assert "Renouveler la suspension" not in texte(page)


def test_filtre_des_taches_par_type_couvre_les_relances_apres_absence(client, dossier, referent):
    """Le filtre « type » des boîtes liste les tâches de tous les flux, pas seulement l'entrée."""
    client.force_login(referent)
    client.post(
        url("entretien_nouveau", dossier),
        {
            "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "canal": CanalContact.PHYSIQUE_INDIVIDUEL,
            "presence": "absent_injustifie",
        },
    )
    accueil = reverse("accueil:index")
    types = dict(client.get(accueil).context["filtres"]["types"])
    (cle,) = [c for c in types if c.startswith("SuiviAbsenceFlow.")]
    assert len(client.get(accueil, {"type": cle}).context["taches"]) == 2
    assert client.get(accueil, {"type": "EntreeFlow.premier_entretien"}).context["taches"] == []
