"""Le téléchargement des documents : le même droit que la page qui montre l'objet, 404 pour les
autres (autre structure, autre PLIE, prescripteur pour le suivi), connexion exigée, en-têtes,
trace, envoi par le serveur web (X-Accel-Redirect, X-Sendfile)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.documents import TypeDocument
from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.documents import echantillons
from tests.documents.outils import telecharger

pytestmark = pytest.mark.django_db

T = TypeDocument
# Le suivi du parcours : ce que montre le dossier à ceux qui suivent le parcours.
SUIVI = {
    T.CONTRAT_ENGAGEMENT,
    T.CONTRAT_SIGNE,
    T.PIECE_ENTREE,
    T.PREUVE_ETAPE,
    T.EMARGEMENT_ENTRETIEN,
    T.JUSTIFICATIF_CONTRAT,
    T.JUSTIFICATIF_SORTIE,
}
TOUS = set(TypeDocument)
# (rôle, structure, PLIE) → les documents qu'il télécharge ; tous les autres répondent 404.
ATTENDU = {
    (Role.REFERENT, "a", 1): SUIVI | {T.CV, T.EMARGEMENT_EVENEMENT},
    (Role.REFERENT, "b", 1): {T.EMARGEMENT_EVENEMENT},
    (Role.PRESCRIPTEUR, "a", 1): {T.CV},
    (Role.PRESCRIPTEUR, "b", 1): set(),
    (Role.ANIMATEUR, "a", 1): TOUS,
    (Role.DIRECTION, "a", 1): TOUS,
    (Role.ADMIN, "a", 1): TOUS - {T.PROCES_VERBAL},
    (Role.CRE, "a", 1): {T.EMARGEMENT_EVENEMENT},
    (Role.COMMISSION, "a", 1): set(),
    (Role.FACILITATEUR, "a", 1): set(),
    (Role.FINANCEUR, "a", 1): set(),
    (Role.ANIMATEUR, "a", 2): set(),
    (Role.DIRECTION, "a", 2): set(),
    (Role.REFERENT, "a", 2): set(),
    (Role.PRESCRIPTEUR, "a", 2): set(),
    (Role.CRE, "a", 2): set(),
}


def traces(document, user=None):
    return Trace.objects.filter(
        type=TypeTrace.TELECHARGEMENT,
        objet_type=document.type.value,
        objet_id=str(document.objet.pk),
        **({"user": user} if user else {}),
    )


@pytest.mark.parametrize(
    ("role", "structure", "plie"), list(ATTENDU), ids=lambda v: str(v).replace("Role.", "")
)
def test_chaque_document_pour_chaque_role(client, monde, documents, role, structure, plie):
    user = monde.user(role, structure, plie)
    client.force_login(user)
    obtenus = {}
    for type_document, document in documents.items():
        reponse, contenu = telecharger(client, document.adresse)
        obtenus[type_document] = reponse.status_code
        if reponse.status_code == 200:
            assert contenu == document.contenu, type_document
            assert traces(document, user).count() == 1, type_document
        else:
            assert not traces(document).exists(), type_document
    attendus = {t: 200 if t in ATTENDU[role, structure, plie] else 404 for t in documents}
    assert obtenus == attendus


@pytest.mark.parametrize("type_document", list(TypeDocument))
def test_sans_connexion_la_page_de_connexion(client, documents, type_document):
    document = documents[type_document]
    reponse = client.get(document.adresse)
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))
    assert f"next={document.adresse}" in reponse.url
    assert not Trace.objects.filter(type=TypeTrace.TELECHARGEMENT).exists()


def test_en_tetes_et_trace(client, monde, dossier, documents):
    document = documents[T.PREUVE_ETAPE]
    referent = dossier.referent
    client.force_login(referent)
    reponse, contenu = telecharger(client, document.adresse)
    assert reponse.status_code == 200
    assert contenu == document.contenu
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="preuve-etape-{document.objet.pk}.pdf"'
    )
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Cache-Control"] == "private, no-store"
    assert reponse["Content-Security-Policy"] == "default-src 'none'; sandbox"
    trace = traces(document).get()
    assert (trace.user, trace.plie, trace.participant_id) == (
        referent,
        monde.plie1,
        dossier.participant_id,
    )
    assert trace.chemin == document.adresse
    assert trace.detail == "Preuve d'étape"


def test_trace_d_un_document_sans_personne(client, monde, documents):
    """Le procès-verbal et l'émargement d'un événement : le PLIE, pas de personne."""
    animateur = monde.user(Role.ANIMATEUR)
    client.force_login(animateur)
    for type_document in (T.PROCES_VERBAL, T.EMARGEMENT_EVENEMENT):
        telecharger(client, documents[type_document].adresse)
        trace = traces(documents[type_document]).get()
        assert (trace.user, trace.plie, trace.participant_id) == (animateur, monde.plie1, None)


def test_type_de_contenu_d_apres_le_fichier(client, dossier, documents):
    """Une image part en image, un ancien fichier d'un type inconnu en octets bruts."""
    preuve = documents[T.PREUVE_ETAPE].objet
    client.force_login(dossier.referent)
    preuve.fichier.save("scan.png", ContentFile(echantillons.PNG), save=True)
    reponse, contenu = telecharger(client, documents[T.PREUVE_ETAPE].adresse)
    assert reponse["Content-Type"] == "image/png"
    assert reponse["Content-Disposition"].endswith(f'filename="preuve-etape-{preuve.pk}.png"')
    assert contenu == echantillons.PNG
    cv = documents[T.CV].objet
    cv.cv.storage.save("prescriptions/agenais/1/cv/CV Dupont.doc", ContentFile(b"\xd0\xcf\x11"))
    cv.cv.name = "prescriptions/agenais/1/cv/CV Dupont.doc"
    cv.save()
    reponse, contenu = telecharger(client, documents[T.CV].adresse)
    assert reponse["Content-Type"] == "application/octet-stream"
    assert reponse["Content-Disposition"] == f'attachment; filename="cv-{cv.pk}.doc"'
    assert contenu == b"\xd0\xcf\x11"


def test_un_ancien_nom_de_stockage_reste_valable(client, dossier, documents):
    """Les fichiers déposés avant les noms aléatoires gardent leur nom : ils se téléchargent,
    sous un nom propre (sans le nom de la personne)."""
    entretien = documents[T.EMARGEMENT_ENTRETIEN].objet
    ancien = f"suivi/agenais-test/{dossier.pk}/emargements/émargement Alex Nom.pdf"
    entretien.emargement.storage.save(ancien, ContentFile(echantillons.PDF))
    entretien.emargement.name = ancien
    entretien.save()
    client.force_login(dossier.referent)
    reponse, contenu = telecharger(client, documents[T.EMARGEMENT_ENTRETIEN].adresse)
    assert reponse.status_code == 200
    assert contenu == echantillons.PDF
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="emargement-entretien-{entretien.pk}.pdf"'
    )


def test_membre_de_la_commission_qui_siege_lit_le_proces_verbal(client, monde, documents):
    membre = monde.user(Role.COMMISSION)
    client.force_login(membre)
    document = documents[T.PROCES_VERBAL]
    assert telecharger(client, document.adresse)[0].status_code == 404
    document.objet.membres.add(membre)
    assert telecharger(client, document.adresse)[0].status_code == 200


def test_le_cre_lit_les_justificatifs_de_ceux_qu_il_suit_dans_l_emploi(client, monde, documents):
    """Le CRE voit le suivi des parcours en emploi de son PLIE (acces.peut_voir_emploi)."""
    cre = monde.user(Role.CRE)
    client.force_login(cre)
    document = documents[T.JUSTIFICATIF_CONTRAT]
    assert telecharger(client, document.adresse)[0].status_code == 404
    Parcours.objects.filter(pk=document.objet.parcours_id).update(statut=Statut.EN_EMPLOI)
    assert telecharger(client, document.adresse)[0].status_code == 200


@pytest.mark.parametrize(
    "adresse",
    [
        "/app/documents/inconnu/1/",
        "/app/documents/preuve-etape/999999/",
        "/app/documents/PREUVE-ETAPE/1/",
    ],
)
def test_adresse_inconnue_404(client, monde, adresse):
    client.force_login(monde.user(Role.ANIMATEUR))
    assert client.get(adresse).status_code == 404


def test_objet_sans_fichier_ou_fichier_disparu_404(client, monde, documents):
    client.force_login(monde.user(Role.ANIMATEUR))
    session = documents[T.PROCES_VERBAL].objet
    session.proces_verbal.storage.delete(session.proces_verbal.name)
    assert client.get(documents[T.PROCES_VERBAL].adresse).status_code == 404
    evenement = documents[T.EMARGEMENT_EVENEMENT].objet
    evenement.feuille_emargement = ""
    evenement.save()
    assert client.get(documents[T.EMARGEMENT_EVENEMENT].adresse).status_code == 404
    assert not Trace.objects.filter(type=TypeTrace.TELECHARGEMENT).exists()


def test_seule_la_lecture_est_permise(client, monde, documents):
    client.force_login(monde.user(Role.ANIMATEUR))
    assert client.post(documents[T.CV].adresse).status_code == 405


def test_x_accel_redirect(client, settings, dossier, documents):
    """Derrière nginx : la vue décide et trace, nginx envoie le fichier (corps vide)."""
    settings.PLIE_DOCUMENTS_X_ACCEL = "/protege/"
    document = documents[T.CONTRAT_SIGNE]
    client.force_login(dossier.referent)
    reponse = client.get(document.adresse)
    assert reponse.status_code == 200
    assert not reponse.streaming and reponse.content == b""
    assert reponse["X-Accel-Redirect"] == "/protege/" + document.objet.copie_signee.name
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment; filename=")
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Cache-Control"] == "private, no-store"
    assert traces(document, dossier.referent).count() == 1
    # Le refus reste celui de la vue : rien n'est confié à nginx.
    client.force_login(dossier.prescripteur)
    reponse = client.get(document.adresse)
    assert reponse.status_code == 404 and "X-Accel-Redirect" not in reponse


def test_x_accel_redirect_encode_un_ancien_nom(client, settings, dossier, documents):
    settings.PLIE_DOCUMENTS_X_ACCEL = "/protege"
    preuve = documents[T.PREUVE_ETAPE].objet
    preuve.fichier.name = "suivi/agenais-test/1/etapes/2/attestation-Émile Dupont.pdf"
    preuve.save()
    client.force_login(dossier.referent)
    reponse = client.get(documents[T.PREUVE_ETAPE].adresse)
    assert reponse["X-Accel-Redirect"] == (
        "/protege/suivi/agenais-test/1/etapes/2/attestation-%C3%89mile%20Dupont.pdf"
    )


def test_x_sendfile(client, settings, dossier, documents):
    settings.PLIE_DOCUMENTS_X_SENDFILE = True
    document = documents[T.PIECE_ENTREE]
    client.force_login(dossier.referent)
    reponse = client.get(document.adresse)
    assert reponse.status_code == 200 and reponse.content == b""
    assert reponse["X-Sendfile"] == str(settings.MEDIA_ROOT / document.objet.fichier.name)
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert traces(document).count() == 1
