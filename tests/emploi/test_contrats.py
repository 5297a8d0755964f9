"""Contrats : enregistrer, corriger, terminer ; refus en français, rien d'écrit ; entrée en emploi
au premier contrat ; qualification de la sortie calculée par le moteur."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.emploi import services
from parcours.emploi.models import Contrat
from tests.emploi.fabrique_emploi import cdi, il_y_a, referentiel
from tests.factories import parcours_en


@pytest.fixture
def monde_emploi(monde):
    referentiel(monde.plie1)
    referentiel(monde.plie2)
    return monde


def test_premier_contrat_fait_entrer_en_emploi(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    contrat = services.enregistrer_contrat(parcours, par=referent, **cdi(periode_essai_jours=60))
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_EMPLOI
    derniere = parcours.transitions.last()
    assert (derniere.transition, derniere.par) == ("entrer_en_emploi", referent)
    assert contrat.created_by == referent
    assert contrat.fin_periode_essai == contrat.debut + datetime.timedelta(days=59)
    # Un second contrat ne refait pas la transition.
    services.enregistrer_contrat(parcours, par=referent, **cdi("Mairie", type="cdd"))
    assert parcours.transitions.filter(transition="entrer_en_emploi").count() == 1


@pytest.mark.parametrize(
    ("donnees", "champ", "message"),
    [
        ({"fin": il_y_a(years=1)}, "fin", "précède le début"),
        ({"type": "stage"}, "type", "Type de contrat inconnu"),
        ({"employeur": "  "}, "employeur", "Indiquez l'employeur"),
        ({"debut": None}, "debut", "date de début"),
        ({"heures_hebdo": "60"}, "heures_hebdo", "entre 0 et 48"),
        ({"heures": "-3"}, "heures", "négatives"),
        ({"periode_essai_jours": "0"}, "periode_essai_jours", "entre 1 et 366"),
    ],
)
def test_donnees_invalides_refusees_sans_rien_ecrire(monde_emploi, donnees, champ, message):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    with pytest.raises(services.ContratInvalide) as exc:
        services.enregistrer_contrat(parcours, par=parcours.referent, **{**cdi(), **donnees})
    assert message in " ".join(exc.value.message_dict[champ])
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    assert not Contrat.objects.exists()


def test_chevauchement_chez_le_meme_employeur_refuse(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    services.enregistrer_contrat(parcours, par=referent, **cdi(debut=il_y_a(months=2)))
    with pytest.raises(services.ContratInvalide, match="chevauche un contrat déjà enregistré"):
        services.enregistrer_contrat(
            parcours, par=referent, **cdi("BOULANGERIE MARTIN", debut=il_y_a(months=1))
        )
    # Un autre employeur au même moment : deux emplois à temps partiel, accepté.
    services.enregistrer_contrat(parcours, par=referent, **cdi("Mairie", debut=il_y_a(months=1)))
    assert parcours.contrats.count() == 2


def test_la_base_refuse_aussi_le_chevauchement(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    premier = services.enregistrer_contrat(
        parcours, par=referent, **cdi(debut=il_y_a(months=2), fin=il_y_a(days=1))
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contrat.objects.create(
            parcours=parcours,
            type="cdd",
            employeur="boulangerie martin",
            debut=premier.debut,
            created_by=referent,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Contrat.objects.filter(pk=premier.pk).update(fin=premier.debut - datetime.timedelta(1))


def test_missions_d_interim_successives_dans_la_meme_agence(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    for debut, fin in ((il_y_a(months=3), il_y_a(months=2)), (il_y_a(months=2, days=-1), None)):
        services.enregistrer_contrat(
            parcours,
            par=referent,
            type="interim",
            employeur="Adecco Agen",
            client="Garonne BTP",
            debut=debut,
            fin=fin,
            heures="140" if fin else None,
            heures_hebdo="35",
        )
    assert parcours.contrats.count() == 2


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("contrat.exe", PDF_MINIMAL, "type de fichier non accepté"),
        ("contrat.pdf", b"pas un pdf", "n'est pas un fichier PDF valide"),
        ("contrat.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "taille maximale"),
    ],
)
def test_justificatif_refuse(monde_emploi, nom, contenu, message):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    with pytest.raises(services.ContratInvalide) as exc:
        services.enregistrer_contrat(
            parcours, par=parcours.referent, justificatif=ContentFile(contenu, name=nom), **cdi()
        )
    assert message in " ".join(exc.value.message_dict["justificatif"])
    assert not Contrat.objects.exists()


def test_justificatif_accepte(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    contrat = services.enregistrer_contrat(
        parcours,
        par=parcours.referent,
        justificatif=ContentFile(PDF_MINIMAL, name="contrat.pdf"),
        **cdi(),
    )
    assert contrat.justificatif.name.endswith(".pdf")
    with contrat.justificatif.open("rb") as fichier:
        assert fichier.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "statut", [Statut.PRESCRIT, Statut.ADMIS, Statut.SORTI, Statut.REFUSE, Statut.RECEVABLE]
)
def test_etat_qui_ne_permet_pas_de_contrat(monde_emploi, statut):
    parcours = parcours_en(monde_emploi, statut)
    par = monde_emploi.user(Role.ANIMATEUR)
    with pytest.raises(services.ContratInvalide, match="on n'y enregistre de contrat que"):
        services.enregistrer_contrat(parcours, par=par, **cdi())
    parcours.refresh_from_db()
    assert parcours.statut == statut
    assert not Contrat.objects.exists()


@pytest.mark.parametrize(
    ("role", "structure", "plie", "autorise"),
    [
        (Role.REFERENT, "a", 1, True),
        (Role.ANIMATEUR, "b", 1, True),
        (Role.CRE, "a", 1, True),  # le parcours est en emploi : dans le périmètre des CRE
        (Role.REFERENT, "b", 1, False),  # pas son parcours
        (Role.PRESCRIPTEUR, "a", 1, False),
        (Role.COMMISSION, "a", 1, False),
        (Role.ANIMATEUR, "a", 2, False),
        (Role.CRE, "a", 2, False),
    ],
)
def test_qui_enregistre_un_contrat(monde_emploi, role, structure, plie, autorise):
    parcours = parcours_en(monde_emploi, Statut.EN_EMPLOI)
    par = monde_emploi.user(role, structure, plie)
    if autorise:
        services.enregistrer_contrat(parcours, par=par, **cdi())
        assert parcours.contrats.count() == 1
    else:
        with pytest.raises(services.ContratNonAutorise):
            services.enregistrer_contrat(parcours, par=par, **cdi())
        assert not Contrat.objects.exists()


def test_cre_ne_voit_pas_un_parcours_en_accompagnement(monde_emploi):
    """Avant l'emploi, le parcours n'est pas dans le périmètre du CRE (il y entre au contrat)."""
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    with pytest.raises(services.ContratNonAutorise):
        services.enregistrer_contrat(parcours, par=monde_emploi.user(Role.CRE), **cdi())


def test_modifier_avec_une_version_perimee_ne_change_rien(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    contrat = services.enregistrer_contrat(parcours, par=referent, **cdi())
    lu = contrat.version
    services.modifier_contrat(contrat, par=referent, version=lu, heures_hebdo="28")
    with pytest.raises(services.ContratInvalide, match="vient d'être modifié"):
        services.modifier_contrat(contrat, par=referent, version=lu, heures_hebdo="20")
    contrat.refresh_from_db()
    assert contrat.heures_hebdo == 28
    assert contrat.version == lu + 1
    assert contrat.updated_by == referent


def test_modifier_refuse_dates_inversees_et_chevauchement(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    a = services.enregistrer_contrat(
        parcours, par=referent, **cdi(debut=il_y_a(months=6), fin=il_y_a(months=4))
    )
    services.enregistrer_contrat(parcours, par=referent, **cdi(debut=il_y_a(months=3)))
    with pytest.raises(services.ContratInvalide, match="précède le début"):
        services.modifier_contrat(a, par=referent, fin=il_y_a(months=7))
    with pytest.raises(services.ContratInvalide, match="chevauche"):
        services.modifier_contrat(a, par=referent, fin=il_y_a(months=2))
    a.refresh_from_db()
    assert a.fin == il_y_a(months=4)


def test_terminer_un_contrat(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    contrat = services.enregistrer_contrat(parcours, par=referent, **cdi(debut=il_y_a(months=2)))
    with pytest.raises(services.ContratInvalide, match="précède le début"):
        services.terminer_contrat(contrat, par=referent, fin=il_y_a(months=3))
    services.terminer_contrat(contrat, par=referent, fin=il_y_a(days=1), motif="Démission")
    contrat.refresh_from_db()
    assert (contrat.fin, contrat.motif_fin) == (il_y_a(days=1), "Démission")


# — Qualification —


def test_qualification_cdi_six_mois(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(parcours, par=parcours.referent, **cdi(debut=il_y_a(months=2)))
    q = services.qualification_du_parcours(parcours)
    assert not q.qualifie
    assert q.regle == "cdi-cdd-6-mois"
    assert q.previsionnel_le is not None
    assert il_y_a(months=2) + datetime.timedelta(days=170) <= q.previsionnel_le
    assert q.previsionnel_le <= il_y_a(months=-5)
    assert "Boulangerie Martin" in q.explication
    # Sept mois plus tard, la règle est remplie à la date prévue.
    plus_tard = services.qualification_du_parcours(parcours, q.previsionnel_le)
    assert plus_tard.qualifie
    assert plus_tard.atteint_le == q.previsionnel_le


def test_qualification_interim_heures(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    for mois in (8, 5):
        services.enregistrer_contrat(
            parcours,
            par=referent,
            type="interim",
            employeur="Adecco Agen",
            debut=il_y_a(months=mois),
            fin=il_y_a(months=mois - 3, days=1),
            heures="460",
        )
    q = services.qualification_du_parcours(parcours)
    assert q.qualifie
    assert q.regle == "interim-900h"
    assert q.atteint_le <= il_y_a(months=2)


def test_qualification_sans_referentiel(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    q = services.qualification_du_parcours(parcours)
    assert not q.qualifie
    assert "Aucun référentiel en vigueur" in q.explication


def test_situation_du_parcours_age_et_accord(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(
        parcours, par=parcours.referent, **cdi(heures_hebdo="15", temps_partiel_choisi=True)
    )
    avant = services.situation_du_parcours(parcours, datetime.date(2026, 5, 16))
    assert avant.age == 45  # né le 17/05/1980 (fabrique)
    # Le contrat commence après cette date : il est lu quand même (le moteur en tire la
    # prévision, comme la commande evaluer_sortie), avec l'accord qu'il porte.
    assert [c.employeur for c in avant.contrats] == ["Boulangerie Martin"]
    assert avant.accord_temps_partiel is True
    situation = services.situation_du_parcours(parcours)
    assert situation.accord_temps_partiel is True
    assert [c.employeur for c in situation.contrats] == ["Boulangerie Martin"]


def test_rupture_retour_en_accompagnement(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    contrat = services.enregistrer_contrat(parcours, par=referent, **cdi(debut=il_y_a(months=2)))
    with pytest.raises(services.ContratInvalide, match="motif de la rupture"):
        services.terminer_contrat(contrat, par=referent, fin=il_y_a(days=1), rompre=True)
    contrat.refresh_from_db()
    assert contrat.fin is None  # rien n'a changé
    services.terminer_contrat(
        contrat, par=referent, fin=il_y_a(days=1), motif="Fin de période d'essai", rompre=True
    )
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    assert parcours.transitions.last().transition == "rompre_emploi"
    assert "Fin de période d'essai" in parcours.transitions.last().motif


def test_pas_de_rupture_si_un_autre_contrat_court(monde_emploi):
    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    a = services.enregistrer_contrat(parcours, par=referent, **cdi(debut=il_y_a(months=2)))
    services.enregistrer_contrat(parcours, par=referent, **cdi("Mairie", debut=il_y_a(months=1)))
    with pytest.raises(services.ContratInvalide, match="Un autre contrat court encore"):
        services.terminer_contrat(a, par=referent, fin=il_y_a(days=1), motif="x", rompre=True)
    a.refresh_from_db()
    parcours.refresh_from_db()
    assert a.fin is None
    assert parcours.statut == Statut.EN_EMPLOI


def test_formation_qualifiante_sans_taches_du_cre(monde_emploi):
    from workflows.emploi.flows import SortieFlow, SuiviContratFlow

    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    services.enregistrer_contrat(
        parcours,
        par=parcours.referent,
        type="formation_qualifiante",
        employeur="AFPA Agen",
        debut=il_y_a(days=3),
    )
    assert not SuiviContratFlow.process_class.objects.filter(
        flow_class=SuiviContratFlow, artifact_object_id=parcours.pk
    ).exists()
    assert SortieFlow.process_class.objects.filter(
        flow_class=SortieFlow, artifact_object_id=parcours.pk
    ).exists()


def test_ecran_du_contrat_corriger_et_terminer(client, monde_emploi):
    from django.urls import reverse
    from django.utils.html import escape

    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    contrat = services.enregistrer_contrat(parcours, par=referent, **cdi(debut=il_y_a(months=2)))
    url = reverse("emploi:contrat", args=[parcours.pk, contrat.pk])
    client.force_login(referent)
    assert "Terminer le contrat" in client.get(url).content.decode()
    base = {
        "type": "cdi",
        "employeur": "Boulangerie Martin",
        "debut": contrat.debut.isoformat(),
        "heures_hebdo": "30",
    }
    # Correction avec une version périmée : réaffichée avec l'explication, rien n'est écrit.
    response = client.post(url, {**base, "version": contrat.version - 1})
    assert response.status_code == 200
    assert escape("vient d'être modifié") in response.content.decode()
    contrat.refresh_from_db()
    assert contrat.heures_hebdo == 35
    response = client.post(url, {**base, "version": contrat.version})
    assert response.status_code == 302
    contrat.refresh_from_db()
    assert contrat.heures_hebdo == 30
    # Fin avec rupture : retour en accompagnement.
    response = client.post(
        url,
        {
            "action": "terminer",
            "fin": il_y_a(days=1).isoformat(),
            "motif": "Rupture pendant l'essai",
            "rompre": "on",
            "version": contrat.version,
        },
    )
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    # Un contrat d'un autre parcours, par cette adresse : 404.
    autre = parcours_en(monde_emploi, Statut.EN_EMPLOI, structure="b")
    assert client.get(reverse("emploi:contrat", args=[autre.pk, contrat.pk])).status_code == 404


def test_contrat_chez_une_entreprise_du_reseau(monde_emploi):
    from parcours.entreprises.services import creer_entreprise

    parcours = parcours_en(monde_emploi, Statut.EN_ACCOMPAGNEMENT)
    # SIRET valides (clé de Luhn) : celui de La Poste et un établissement fictif.
    ici = creer_entreprise(
        monde_emploi.plie1,
        par=monde_emploi.user(Role.ANIMATEUR),
        raison_sociale="Garonne BTP",
        siret="35600000000048",
    )
    ailleurs = creer_entreprise(
        monde_emploi.plie2,
        par=monde_emploi.user(Role.ANIMATEUR, "a", 2),
        raison_sociale="Lys Industrie",
        siret="35600000000048",
    )
    with pytest.raises(services.ContratInvalide, match="relève d'un autre PLIE"):
        services.enregistrer_contrat(
            parcours, par=parcours.referent, **cdi(employeur="", entreprise=ailleurs)
        )
    contrat = services.enregistrer_contrat(
        parcours, par=parcours.referent, **cdi(employeur="", entreprise=ici)
    )
    assert (contrat.entreprise, contrat.employeur) == (ici, "Garonne BTP")
    assert list(ici.contrats.all()) == [contrat]
