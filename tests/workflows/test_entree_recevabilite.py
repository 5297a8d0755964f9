"""Le flux d'entrée : prescription → file de l'animation → recevable / incomplète / irrecevable."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.courriels.models import Courriel
from parcours.participants.models import Participant
from tests.documents import echantillons
from tests.documents.echantillons import nom_aleatoire
from tests.workflows.conftest import donnees_prescription
from workflows import access as flux
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db

PRESCRIRE = reverse("participants:prescrire")
ACCUEIL = reverse("accueil:index")


def prescrire(client, user, **surcharges):
    client.force_login(user)
    response = client.post(PRESCRIRE, donnees_prescription(**surcharges))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Parcours.objects.order_by("-id").first()


def tache(parcours, nom):
    process = EntreeFlow.process_class.objects.get(
        artifact_object_id=parcours.pk, flow_class=EntreeFlow
    )
    return process.task_set.filter(flow_task=getattr(EntreeFlow, nom)).order_by("-id").first()


def url(t, action):
    return t.flow_task.reverse(action, args=[t.process_id, t.pk])


def prendre_et_decider(client, animateur, parcours, **decision):
    t = tache(parcours, "verifier_recevabilite")
    client.force_login(animateur)
    response = client.post(url(t, "assign"), {"_continue": "1"})
    assert response.status_code == 302
    return client.post(url(t, "execute"), decision)


def test_prescription_cree_le_dossier_et_une_tache_dans_la_file_de_l_animation(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    assert parcours.statut == Statut.PRESCRIT
    assert parcours.prescription.eligible is True
    t = tache(parcours, "verifier_recevabilite")
    assert (t.status, t.owner, t.owner_permission) == (STATUS.NEW, None, "core.animer_plie")
    assert t.owner_permission_obj == acteurs.agenais
    assert list(flux.taches_a_prendre(acteurs.animateur)) == [t]
    for etranger in [*acteurs.etrangers().values(), acteurs.prescripteur]:
        assert list(flux.taches_a_prendre(etranger)) == []
    page = client.get(ACCUEIL)  # le prescripteur : pas de file
    assert "À prendre" not in page.content.decode()


def test_l_animateur_voit_la_tache_a_prendre_sur_son_accueil(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    client.force_login(acteurs.animateur)
    page = client.get(ACCUEIL).content.decode()
    assert "À prendre (1)" in page
    assert "Vérifier la recevabilité" in page
    assert escape(url(tache(parcours, "verifier_recevabilite"), "assign")) in page


def test_recevable(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    client.force_login(acteurs.animateur)
    client.post(url(t, "assign"), {"_continue": "1"})
    page = client.get(url(t, "execute")).content.decode()
    assert "Éligible selon le référentiel du PLIE" in page
    assert "Agen" in page
    response = client.post(url(t, "execute"), {"decision": "recevable"})
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.RECEVABLE
    ligne = parcours.transitions.get()
    assert (ligne.transition, ligne.par) == ("declarer_recevable", acteurs.animateur)
    t.refresh_from_db()
    assert t.status == STATUS.DONE
    assert tache(parcours, "recevable").status == STATUS.DONE
    assert mail.outbox == []


def test_incomplete_puis_completee(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    response = prendre_et_decider(
        client, acteurs.animateur, parcours, decision="incomplet", motif="Joindre l'attestation RSA"
    )
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.INCOMPLET
    (courriel,) = mail.outbox
    assert (
        courriel.to == [acteurs.prescripteur.email] and "Joindre l'attestation RSA" in courriel.body
    )
    assert Courriel.objects.get(parcours=parcours).sujet.startswith("Prescription à compléter")

    completer = tache(parcours, "completer")
    assert (completer.owner, completer.status) == (acteurs.prescripteur, STATUS.ASSIGNED)
    client.force_login(acteurs.prescripteur)
    page = client.get(ACCUEIL).content.decode()
    assert "Compléter la prescription" in page
    assert (
        escape("Joindre l'attestation RSA")
        in client.get(url(completer, "execute")).content.decode()
    )
    donnees = {
        k.replace("situation-", ""): v
        for k, v in donnees_prescription().items()
        if k.startswith("situation-")
    }
    donnees["statut_ass"] = "on"
    response = client.post(url(completer, "execute"), donnees)
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.PRESCRIT
    assert sorted(s.code for s in parcours.prescription.statuts.all()) == ["ass", "rsa"]
    # Retour dans la file de l'animation.
    assert tache(parcours, "verifier_recevabilite").status == STATUS.NEW


def test_irrecevable_informe_le_prescripteur(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    prendre_et_decider(
        client,
        acteurs.animateur,
        parcours,
        decision="irrecevable",
        motif="Suivi par la Mission locale",
    )
    parcours.refresh_from_db()
    assert parcours.statut == Statut.IRRECEVABLE
    (courriel,) = mail.outbox
    assert "Suivi par la Mission locale" in courriel.body
    assert tache(parcours, "irrecevable").status == STATUS.DONE


@pytest.mark.parametrize("decision", ["incomplet", "irrecevable"])
def test_motif_obligatoire_rien_ne_change(client, acteurs, decision):
    parcours = prescrire(client, acteurs.prescripteur)
    response = prendre_et_decider(client, acteurs.animateur, parcours, decision=decision, motif="")
    assert response.status_code == 200
    assert "Indiquez le motif" in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.PRESCRIT
    assert tache(parcours, "verifier_recevabilite").status == STATUS.ASSIGNED


def test_non_eligible_recevable_seulement_avec_derogation(client, acteurs):
    # Hors du territoire : non éligible.
    parcours = prescrire(client, acteurs.prescripteur, **{"identite-commune": "hors"})
    assert parcours.prescription.eligible is False
    response = prendre_et_decider(client, acteurs.animateur, parcours, decision="recevable")
    assert response.status_code == 200
    assert escape("n'est pas éligible selon le référentiel") in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.PRESCRIT
    assert parcours.prescription.derogation_par is None

    t = tache(parcours, "verifier_recevabilite")
    response = client.post(
        url(t, "execute"), {"decision": "recevable", "derogation": "on", "derogation_motif": ""}
    )
    assert "Une dérogation doit être motivée" in response.content.decode()


def test_hors_territoire_derogation_ne_suffit_pas_sans_territoire(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur, **{"identite-commune": "hors"})
    response = prendre_et_decider(
        client,
        acteurs.animateur,
        parcours,
        decision="recevable",
        derogation="on",
        derogation_motif="Déménagement prévu",
    )
    assert response.status_code == 200
    assert "aucun territoire" in response.content.decode()
    parcours.refresh_from_db()
    # Tout ou rien : la dérogation n'est pas gardée si la décision échoue.
    assert parcours.prescription.derogation_par is None


def test_derogation_pour_une_personne_non_eligible_du_territoire(client, acteurs):
    # Suivie par la Mission locale à 22 ans : exclue par le référentiel de l'Agenais.
    parcours = prescrire(
        client,
        acteurs.prescripteur,
        **{"identite-date_naissance": "2003-05-17", "situation-suivi_mission_locale": "on"},
    )
    assert parcours.prescription.eligible is False
    response = prendre_et_decider(
        client,
        acteurs.animateur,
        parcours,
        decision="recevable",
        derogation="on",
        derogation_motif="Accord de la Mission locale pour un relais",
    )
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.RECEVABLE
    assert parcours.prescription.derogation_par == acteurs.animateur


@pytest.mark.parametrize("action", ["execute", "assign", "detail", "index"])
def test_tache_d_un_autre_perimetre_repond_404(client, acteurs, action):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    for etranger in acteurs.etrangers().values():
        client.force_login(etranger)
        assert client.get(url(t, action)).status_code == 404, etranger
        assert (
            client.post(url(t, action), {"_continue": "1", "decision": "recevable"}).status_code
            == 404
        )
    parcours.refresh_from_db()
    assert parcours.statut == Statut.PRESCRIT


def test_processus_d_un_autre_perimetre_repond_404(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    process = tache(parcours, "verifier_recevabilite").process
    detail = reverse("entree:process_detail", args=[process.pk])
    for etranger in acteurs.etrangers().values():
        client.force_login(etranger)
        assert client.get(detail).status_code == 404
    client.logout()
    response = client.get(detail)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_listes_viewflow_non_filtrees_absentes(client, acteurs):
    client.force_login(acteurs.animateur)
    for chemin in ("inbox/", "queue/", "archive/", "flows/", "tasks/", "chart/"):
        assert client.get(f"/app/entree/{chemin}").status_code == 404


def test_prescripteur_ne_peut_pas_prendre_la_tache_d_animation(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    t = tache(parcours, "verifier_recevabilite")
    response = client.post(url(t, "assign"), {"_continue": "1"})
    assert response.status_code == 403
    t.refresh_from_db()
    assert t.owner is None


def test_tache_assignee_a_un_autre_animateur(client, acteurs):
    from parcours.core.enums import Role
    from tests.factories import membre

    collegue = membre(Role.ANIMATEUR, acteurs.animateur.memberships.get().structure)
    parcours = prescrire(client, acteurs.prescripteur)
    prendre_et_decider(client, acteurs.animateur, parcours)  # prise sans décision
    t = tache(parcours, "verifier_recevabilite")
    client.force_login(collegue)
    assert client.post(url(t, "execute"), {"decision": "recevable"}).status_code == 403
    assert list(flux.taches_a_prendre(collegue)) == []


def test_accueil_en_nombre_de_requetes_constant(client, acteurs, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def compter():
        client.force_login(acteurs.animateur)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(ACCUEIL).status_code == 200
        return len(ctx.captured_queries)

    prescrire(client, acteurs.prescripteur)
    une = compter()
    for i in range(5):
        prescrire(
            client,
            acteurs.prescripteur,
            **{
                "identite-nom": f"Personne{i}",
                "identite-date_naissance": f"19{70 + i}-01-0{i + 1}",
            },
        )
    assert compter() == une


class TestFormulaireDePrescription:
    def test_page_affiche_les_communes_du_plie(self, client, acteurs):
        client.force_login(acteurs.prescripteur)
        page = client.get(PRESCRIRE).content.decode()
        assert "Agen (47001)" in page
        assert (
            "Prescription vers le PLIE de l&#x27;Agenais" in page
            or "Prescription vers le PLIE de l'Agenais" in page
        )

    @pytest.mark.parametrize(
        ("surcharges", "message"),
        [
            (
                {"identite-date_naissance": "2099-01-01"},
                "La date de naissance ne peut pas être dans le futur",
            ),
            ({"situation-sans_emploi_depuis": "2099-01-01"}, "ne peut pas être dans le futur"),
            (
                {"situation-statut_rsa_depuis": "2099-01-01"},
                "La date de début du statut ne peut pas être dans le futur",
            ),
            ({"identite-nom": ""}, "Ce champ est obligatoire"),
            (
                {"situation-statut_rsa": None},
                "Cochez « Allocataire du RSA (socle) » ou effacez sa date",
            ),
        ],
    )
    def test_erreurs_reaffichees_sans_rien_perdre(self, client, acteurs, surcharges, message):
        client.force_login(acteurs.prescripteur)
        response = client.post(PRESCRIRE, donnees_prescription(**surcharges))
        page = response.content.decode()
        assert response.status_code == 200
        assert escape(message) in page
        assert 'value="0612345678"' in page  # la saisie est conservée
        assert not Participant.objects.exists()

    @pytest.mark.parametrize(
        ("nom", "contenu", "message"),
        [
            ("cv.exe", b"MZ", "CV : type de fichier non accepté pour « cv.exe » (.exe)"),
            (
                "cv.pdf",
                b"x" * (5 * 1024 * 1024 + 1),
                "CV : le fichier « cv.pdf » dépasse la taille maximale de 5,0 Mo",
            ),
            ("cv.pdf", echantillons.HTML, "CV : le contenu de « cv.pdf » n'est pas un fichier PDF"),
            (
                "cv.png",
                echantillons.PNG_SVG,
                "CV : « cv.png » contient du code HTML, SVG ou script",
            ),
            ("cv.docx", echantillons.bombe_docx(), "CV : « cv.docx » se décompresse en un volume"),
        ],
    )
    def test_cv_type_et_taille(self, client, acteurs, nom, contenu, message):
        client.force_login(acteurs.prescripteur)
        donnees = donnees_prescription()
        donnees["identite-cv"] = SimpleUploadedFile(nom, contenu)
        response = client.post(PRESCRIRE, donnees)
        assert response.status_code == 200
        assert escape(message) in response.content.decode()
        assert not Participant.objects.exists()

    def test_cv_joint(self, client, acteurs):
        donnees = {"identite-cv": SimpleUploadedFile("cv-eloise.pdf", b"%PDF-1.4 test")}
        parcours = prescrire(client, acteurs.prescripteur, **donnees)
        assert nom_aleatoire("cv").fullmatch(parcours.prescription.cv.name)

    def test_doublon_montre_puis_rattachement(self, client, acteurs):
        premiere = prescrire(client, acteurs.prescripteur)
        premiere.annuler(par=acteurs.prescripteur, motif="Erreur")
        premiere.save()
        response = client.post(
            PRESCRIRE,
            donnees_prescription(**{"identite-nom": "LEFEBVRE", "identite-prenom": "eloise"}),
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Personne déjà connue" in page
        assert f'value="{premiere.participant.pk}"' in page
        response = client.post(
            PRESCRIRE,
            donnees_prescription(
                **{"identite-nom": "LEFEBVRE", "doublon-rattacher_a": str(premiere.participant.pk)}
            ),
        )
        assert response.status_code == 302
        assert Participant.objects.count() == 1
        assert Parcours.objects.filter(participant=premiere.participant).count() == 2

    def test_doublon_hors_perimetre_sans_identite(self, client, acteurs):
        prescrire(client, acteurs.prescripteur)
        client.force_login(acteurs.prescripteur_b)
        response = client.post(PRESCRIRE, donnees_prescription(**{"identite-prenom": "Eloise"}))
        page = response.content.decode()
        assert "1 personne correspondante suivie hors de votre périmètre" in page
        assert (
            "Lefèvre" not in page.split("Personne déjà connue")[1].split("Identité et contact")[0]
        )
        response = client.post(
            PRESCRIRE, donnees_prescription(**{"doublon-nouvelle_personne": "on"})
        )
        assert response.status_code == 302
        assert Participant.objects.count() == 2

    @pytest.mark.parametrize("role", ["referent", "animateur_flandre"])
    def test_qui_ne_prescrit_pas_dans_un_plie(self, client, acteurs, role):
        client.force_login(getattr(acteurs, role))
        if role == "referent":
            assert client.get(PRESCRIRE).status_code == 404
        else:
            # L'animateur de Flandre Lys prescrit (auto-prescription) seulement en Flandre Lys.
            page = client.get(PRESCRIRE + "?plie=agenais").content.decode()
            assert "Prescription vers le PLIE de Flandre Lys" in page


def test_courriel_visible_dans_le_dossier(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    prendre_et_decider(
        client, acteurs.animateur, parcours, decision="irrecevable", motif="Hors critères"
    )
    for user in (acteurs.animateur, acteurs.prescripteur):
        client.force_login(user)
        page = client.get(
            reverse("participants:detail", args=[parcours.participant_id])
        ).content.decode()
        assert "Courriels envoyés" in page
        assert "Prescription irrecevable" in page
        assert "Hors critères" in page
