"""Le contrôle de service fait (docs/controle.md) : tirage reproductible par sa graine,
désignation par numéros, mauvaise saisie, dossier PDF réel et ZIP lus, journal."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.models import ParticipationFse
from parcours.core.enums import Role
from parcours.fse.enums import MotifFinParticipation
from parcours.reporting import controles
from parcours.reporting.models import ModeControle
from parcours.reporting.periode import periode
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.pdf import texte_pdf
from tests.rgpd.test_conservation import avec_documents

pytestmark = pytest.mark.django_db


def _periode():
    aujourdhui = timezone.localdate()
    return periode(aujourdhui - datetime.timedelta(days=30), aujourdhui)


def _engages(operations, n):
    return [operations.engage() for _ in range(n)]


def test_meme_graine_meme_echantillon_et_graine_enregistree(operations, monde):
    _engages(operations, 6)
    direction = monde.user(Role.DIRECTION)
    un = controles.tirer(operations.a, _periode(), 3, par=direction, motif="CSF 2025-1", graine=42)
    deux = controles.tirer(
        operations.a, _periode(), 3, par=direction, motif="CSF 2025-2", graine=42
    )
    assert un.graine == 42 and un.mode == ModeControle.TIRAGE and un.population == 6
    ids = sorted(un.participations.values_list("pk", flat=True))
    assert len(ids) == 3
    assert ids == sorted(deux.participations.values_list("pk", flat=True))
    # La graine suffit à refaire le tirage depuis la population ordonnée.
    population = list(controles.population(operations.a, _periode()).values_list("pk", flat=True))
    assert controles.echantillon(42, population, 3) == ids
    # Sans graine donnée, une graine est tirée et gardée ; elle refait le même échantillon.
    trois = controles.tirer(operations.a, _periode(), 3, par=direction, motif="CSF")
    assert trois.graine is not None
    assert controles.echantillon(trois.graine, population, 3) == sorted(
        trois.participations.values_list("pk", flat=True)
    )
    # Des graines différentes tirent (sur cette population) des échantillons différents.
    assert controles.echantillon(1, population, 3) != controles.echantillon(2, population, 3)


def test_le_tirage_est_trace_et_ne_prend_que_la_periode(operations, monde):
    avant = operations.engage()
    ParticipationFse.objects.filter(parcours=avant).update(
        date_entree=datetime.date(2020, 1, 1),
        date_sortie=datetime.date(2020, 6, 1),
        motif_fin=MotifFinParticipation.SORTIE,
    )
    dedans = operations.engage()
    direction = monde.user(Role.DIRECTION)
    controle = controles.tirer(operations.a, _periode(), 1, par=direction, motif="CSF", graine=7)
    assert list(controle.participations.values_list("parcours", flat=True)) == [dedans.pk]
    trace = Trace.objects.get(type=TypeTrace.CONTROLE)
    assert trace.user == direction and trace.plie_id == monde.plie1.pk
    assert "Tirage de 1 participant(s) sur 1, graine 7" in trace.detail


@pytest.mark.parametrize(
    ("taille", "message"),
    [(0, "va de 1 à 2"), (3, "va de 1 à 2"), (None, "va de 1 à 2")],
)
def test_taille_hors_bornes_message_clair(operations, monde, taille, message):
    _engages(operations, 2)
    with pytest.raises(ValidationError) as exc:
        controles.tirer(operations.a, _periode(), taille, par=monde.user(Role.DIRECTION), motif="x")
    assert message in str(exc.value)


def test_designer_par_numeros_et_refus_des_absents(operations, monde):
    a, b = _engages(operations, 2)
    voisin = operations.engage(plie=2)
    direction = monde.user(Role.DIRECTION)
    texte = f"{a.participant.numero}, {b.participant.pk}"
    controle = controles.designer(operations.a, _periode(), texte, par=direction, motif="Audit")
    assert controle.mode == ModeControle.DESIGNATION and controle.graine is None
    assert set(controle.participations.values_list("parcours", flat=True)) == {a.pk, b.pk}
    with pytest.raises(ValidationError) as exc:
        controles.designer(
            operations.a, _periode(), voisin.participant.numero, par=direction, motif="x"
        )
    assert voisin.participant.numero in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        controles.designer(operations.a, _periode(), "P00x12", par=direction, motif="x")
    assert "illisible" in str(exc.value)


def test_ecran_mauvaise_saisie_reaffiche_sans_rien_perdre(client, operations, monde):
    _engages(operations, 2)
    client.force_login(monde.user(Role.DIRECTION))
    url = reverse("fse:controle_creer", args=[operations.a.pk])
    aujourdhui = timezone.localdate()
    reponse = client.post(
        url, {"du": f"{aujourdhui}", "au": "2000-01-01", "motif": "Mon motif", "taille": "1"}
    )
    assert reponse.status_code == 200
    assert "La période est inversée" in reponse.content.decode()
    assert reponse.context["form"]["motif"].value() == "Mon motif"
    reponse = client.post(url, {"du": f"{aujourdhui}", "au": f"{aujourdhui}", "motif": "M"})
    assert "Indiquez le nombre de participants" in reponse.content.decode()


def _controle_documente(operations, monde):
    parcours = operations.engage(nom="Lefebvre", prenom="Odile")
    avec_documents(parcours)
    operations.engage()
    direction = monde.user(Role.DIRECTION)
    controle = controles.designer(
        operations.a, _periode(), parcours.participant.numero, par=direction, motif="CSF 2025"
    )
    return controle, parcours, direction


def _zip(reponse) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(reponse.streaming_content)))


def test_zip_du_dossier_pdf_lu_et_documents_presents(client, operations, monde):
    controle, parcours, direction = _controle_documente(operations, monde)
    participation = controle.participations.get()
    client.force_login(direction)
    url = reverse("fse:controle_dossier_zip", args=[controle.pk, participation.pk])
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/zip"
    archive = _zip(reponse)
    numero = parcours.participant.numero
    noms = archive.namelist()
    assert f"{numero}/dossier.pdf" in noms
    documents = sorted(n for n in noms if n.startswith(f"{numero}/documents/"))
    # CV, contrat d'engagement (généré, signé), pièces d'entrée, preuve, émargement, contrat.
    for attendu in ("CV", "Preuve", "émargement", "Justificatif de contrat", "Pièce"):
        assert any(attendu in n for n in documents), (attendu, documents)
    assert archive.read(next(n for n in documents if "émargement" in n)).startswith(b"%PDF")
    texte = texte_pdf(archive.read(f"{numero}/dossier.pdf"))
    for attendu in (
        "Cofinancé par l'Union européenne",
        "LEFEBVRE",
        f"Contrôle de service fait n° {controle.pk}",
        "Éligibilité et son explication",
        "Prescription",
        "Changements d'état",
        "Contrat d'engagement réciproque",
        "Questionnaires FSE+",
        "Étapes",
        "Preuves d'étape",
        "Entretiens et contacts",
        "Contrats de travail",
        "Boulangerie Martin",
    ):
        assert attendu in texte, attendu
    trace = Trace.objects.filter(type=TypeTrace.CONTROLE).latest("at")
    assert trace.participant_id == parcours.participant_id and trace.user == direction
    assert "Téléchargement du ZIP du dossier" in trace.detail


def test_zip_de_l_echantillon_entier(client, operations, monde):
    _engages(operations, 3)
    direction = monde.user(Role.DIRECTION)
    controle = controles.tirer(operations.a, _periode(), 2, par=direction, motif="x", graine=3)
    client.force_login(direction)
    archive = _zip(client.get(reverse("fse:controle_zip", args=[controle.pk])))
    numeros = {
        p.parcours.participant.numero
        for p in controle.participations.select_related("parcours__participant")
    }
    assert {n.split("/")[0] for n in archive.namelist()} == numeros
    assert {f"{n}/dossier.pdf" for n in numeros} <= set(archive.namelist())
    assert "de l'échantillon (2 dossier(s)" in Trace.objects.latest("at").detail


def test_un_document_perdu_du_stockage_est_signale_dans_le_zip(client, operations, monde):
    """Pas d'erreur : le ZIP se fait, et `documents-manquants.txt` dit ce qui manque."""
    controle, parcours, direction = _controle_documente(operations, monde)
    entretien = parcours.entretiens.exclude(emargement="").get()
    entretien.emargement.storage.delete(entretien.emargement.name)
    client.force_login(direction)
    participation = controle.participations.get()
    reponse = client.get(reverse("fse:controle_dossier_zip", args=[controle.pk, participation.pk]))
    assert reponse.status_code == 200
    archive = _zip(reponse)
    numero = parcours.participant.numero
    manquants = archive.read(f"{numero}/documents-manquants.txt").decode()
    assert "Feuille d'émargement" in manquants and "02/01/2020" in manquants
    assert not any("émargement" in n for n in archive.namelist() if "/documents/" in n)
    assert any("Preuve" in n for n in archive.namelist())
