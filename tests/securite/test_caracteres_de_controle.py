"""Caractères de contrôle : refusés dans les noms et textes d'une ligne, au formulaire, au modèle
et dans les services sans formulaire ; l'objet des courriels est composé de texte assaini."""

import importlib
import pkgutil
import sys
import unicodedata

import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import escape

import parcours
import workflows
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.services import prescrire
from parcours.clauses.models import CandidatExterne, DonneurOrdre, Operation
from parcours.core.enums import Role
from parcours.core.errors import DonneesTransitionInvalides
from parcours.core.validators import (
    CATEGORIES_INTERDITES,
    INTERDITS,
    TexteControle,
    caracteres_interdits,
    sur_une_ligne,
    texte_sur_plusieurs_lignes,
    texte_sur_une_ligne,
)
from parcours.courriels.models import Courriel
from parcours.entreprises.models import Entreprise
from parcours.participants.models import Participant
from tests.clauses.factories import DonneurOrdreFactory
from tests.workflows.conftest import donnees_prescription
from tests.workflows.test_entree_recevabilite import prendre_et_decider
from workflows.formulaires import SaisieControleeMixin

pytestmark = pytest.mark.django_db

HOSTILES_UNE_LIGNE = [
    "Dupont\nBcc: x@example.com",
    "A\rB",
    "A\tB",
    "A\x00B",
    "A\x1b[31m",
    "A\u2028B",
]


@pytest.mark.parametrize("valeur", HOSTILES_UNE_LIGNE)
def test_une_ligne_refuse_les_caracteres_de_controle(valeur):
    with pytest.raises(ValidationError):
        texte_sur_une_ligne(valeur)


@pytest.mark.parametrize("valeur", ["Lefèvre-Ñúñez d'Arc", "=1+1", "<b>x</b>", "", "  ok  "])
def test_une_ligne_accepte_le_texte_ordinaire(valeur):
    texte_sur_une_ligne(valeur)


def test_plusieurs_lignes_garde_sauts_de_ligne_et_tabulations():
    texte_sur_plusieurs_lignes("Premier point\r\n\t- second point\n")
    for valeur in ("A\x00B", "A\x1b[31m", "A\x07"):
        with pytest.raises(ValidationError):
            texte_sur_plusieurs_lignes(valeur)


def test_le_message_du_formulaire_nomme_le_champ():
    with pytest.raises(ValidationError) as exc:
        TexteControle(champ="Nom")("A\nB")
    assert exc.value.messages == [
        "« Nom » tient sur une ligne : ni saut de ligne, ni tabulation, ni caractère de contrôle."
    ]


def test_sur_une_ligne():
    texte = "Prescription — DUPONT\n\rJean\x00 \u2028 "
    assert sur_une_ligne(texte) == "Prescription — DUPONT Jean"


def test_l_expression_couvre_exactement_les_categories_interdites():
    """L'expression rationnelle des caractères interdits contre les catégories Unicode de Python,
    sur chaque point de code : elle n'en oublie ni n'en ajoute aucun."""
    tous = "".join(map(chr, range(sys.maxunicode + 1)))
    attendus = [c for c in tous if unicodedata.category(c) in CATEGORIES_INTERDITES]
    assert INTERDITS.findall(tous) == attendus
    assert len(attendus) == 67  # 65 contrôles (Cc), U+2028 (Zl), U+2029 (Zp)


def test_les_caracteres_interdits_gardent_les_autorises_et_l_ordre():
    assert caracteres_interdits("a\tb\x00c\n\u2029") == ["\t", "\x00", "\n", "\u2029"]
    assert caracteres_interdits("a\tb\x00c\n", frozenset("\n\r\t")) == ["\x00"]
    assert caracteres_interdits("x" * 100_000) == []


# — Chaque modèle et chaque formulaire —

# Champs de texte sans validateur, volontairement : comptes (admin de l'instance) et journal des
# accès (écrit par le code, jamais saisi).
# Écrits par le code seul (jamais saisis) : comptes de l'instance, traces, passes périodiques,
# trigrammes de recherche (tenus par un déclencheur PostgreSQL), provenances de la reprise (les
# fichiers repris sont refusés dès la lecture s'ils portent un caractère de contrôle).
SANS_VALIDATEUR = {
    "core.User",
    "tracabilite.Trace",
    "core.PassePeriodique",
    "participants.Trigramme",
    "reprise.Provenance",
    "reprise.ProvenanceClause",
}


def _champs_de_texte():
    for modele in apps.get_models():
        if not modele.__module__.startswith("parcours."):
            continue
        if modele._meta.label in SANS_VALIDATEUR:
            continue
        for champ in modele._meta.concrete_fields:
            if not isinstance(champ, models.CharField | models.TextField) or champ.choices:
                continue
            if not champ.editable or isinstance(champ, models.EmailField | models.SlugField):
                continue
            yield modele, champ


def test_chaque_champ_de_texte_des_modeles_refuse_les_caracteres_de_controle():
    manquants = []
    for modele, champ in _champs_de_texte():
        attendu = (
            texte_sur_plusieurs_lignes
            if isinstance(champ, models.TextField)
            else texte_sur_une_ligne
        )
        if attendu not in champ.validators:
            manquants.append(f"{modele._meta.label}.{champ.name}")
    assert manquants == []
    assert len(list(_champs_de_texte())) > 80


def _classes_de_formulaire():
    for paquet in (parcours, workflows):
        for module in pkgutil.walk_packages(paquet.__path__, paquet.__name__ + "."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    from workflows.entree.forms import questionnaire_form_class

    questionnaire_form_class()  # classe construite à la demande

    def sous_classes(classe):
        for sous in classe.__subclasses__():
            yield sous
            yield from sous_classes(sous)

    return {
        c
        for c in sous_classes(forms.BaseForm)
        if c.__module__.startswith(("parcours.", "workflows."))
        and not c.__module__.endswith(".admin")
    }


def test_chaque_formulaire_controle_sa_saisie():
    classes = _classes_de_formulaire()
    # Le formulaire de connexion n'enregistre rien (authentification).
    sans = {c.__name__ for c in classes if not issubclass(c, SaisieControleeMixin)}
    assert sans == {"ConnexionForm"}
    assert len(classes) > 40


# — Au modèle et dans les services —


def test_le_modele_refuse_un_saut_de_ligne_dans_un_nom(monde):
    participant = Participant(nom="Dupont\nX", prenom="Jean", date_naissance="1980-01-01", sexe="H")
    with pytest.raises(ValidationError) as exc:
        participant.full_clean()
    assert set(exc.value.message_dict) == {"nom"}


def test_prescrire_sans_formulaire_refuse_un_nom_sur_deux_lignes(acteurs):
    identite = {
        "nom": "Dupont\r\nBcc: x@example.com",
        "prenom": "Jean",
        "date_naissance": "1980-05-17",
        "sexe": "H",
        "commune_insee": "47001",
    }
    with pytest.raises(DonneesTransitionInvalides, match="« nom » : Ce champ tient sur une ligne"):
        prescrire(
            par=acteurs.prescripteur,
            plie=acteurs.agenais,
            identite=identite,
            situation={"motif": "Recherche d'emploi\x00"},
            statuts=[],
            nouvelle_personne_confirmee=True,
        )
    assert not Participant.objects.exists()


# — Aux formulaires —


@pytest.mark.parametrize(
    ("champ", "libelle"),
    [
        ("identite-nom", "Nom"),
        ("identite-prenom", "Prénom"),
        ("identite-nom_naissance", "Nom de naissance"),
        ("identite-adresse", "Adresse"),
        ("identite-telephone", "Téléphone"),
    ],
)
def test_prescription_refuse_un_saut_de_ligne_dans_l_identite(client, acteurs, champ, libelle):
    client.force_login(acteurs.prescripteur)
    reponse = client.post(
        reverse("participants:prescrire"), donnees_prescription(**{champ: "Dupont\nX"})
    )
    assert reponse.status_code == 200
    assert escape(f"« {libelle} » tient sur une ligne") in reponse.content.decode()
    assert not Participant.objects.exists()


def test_prescription_motif_sur_plusieurs_lignes_mais_sans_nul(client, acteurs):
    client.force_login(acteurs.prescripteur)
    url = reverse("participants:prescrire")
    reponse = client.post(url, donnees_prescription(**{"situation-motif": "Un\x1bdeux"}))
    assert escape("contient un caractère de contrôle") in reponse.content.decode()
    assert not Participant.objects.exists()
    reponse = client.post(url, donnees_prescription(**{"situation-motif": "Un.\r\n\tDeux."}))
    assert reponse.status_code == 302
    assert Parcours.objects.get().prescription.motif == "Un.\r\n\tDeux."


@pytest.fixture
def facilitateur(monde):
    from tests.clauses.conftest import referentiel_avec_clauses

    referentiel_avec_clauses(monde.plie1)
    return monde.user(Role.FACILITATEUR)


@pytest.mark.parametrize(
    ("url", "donnees", "modele"),
    [
        ("clauses:donneur_ordre_creer", {"nom": "Mairie\nX", "type": "commune"}, DonneurOrdre),
        ("clauses:operation_creer", {"nom": "Éco\rles", "date_debut": "2025-01-01"}, Operation),
    ],
)
def test_clauses_refusent_un_nom_sur_deux_lignes(client, monde, facilitateur, url, donnees, modele):
    donneur = DonneurOrdreFactory(plie=monde.plie1, nom="Ville d'Agen")
    client.force_login(facilitateur)
    avant = modele.objects.count()
    donnees = {"plie": monde.plie1.pk, "donneur_ordre": donneur.pk, **donnees}
    reponse = client.post(reverse(url), donnees)
    assert reponse.status_code == 200
    assert escape("« Nom » tient sur une ligne") in reponse.content.decode()
    assert modele.objects.count() == avant


def test_entreprise_refuse_un_nom_sur_deux_lignes(client, monde):
    client.force_login(monde.user(Role.CRE))
    reponse = client.post(
        reverse("entreprises:creer"),
        {"raison_sociale": "=1+1\nX", "siret": "73282932000074", "secteur": "43", "adresse": ""},
    )
    assert escape("« Raison sociale » tient sur une ligne") in reponse.content.decode()
    assert not Entreprise.objects.exists()


def test_candidat_externe_refuse_un_nom_sur_deux_lignes():
    from workflows.clauses.forms import CandidatExterneForm

    form = CandidatExterneForm(
        {
            "externe-nom": "Martin\n",
            "externe-prenom": "Lé\u2028a",
            "externe-date_naissance": "1990-01-01",
            "externe-sexe": "F",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"prenom"}  # le saut de ligne final est retiré (strip)
    assert not CandidatExterne.objects.exists()


# — Les courriels —


@pytest.mark.parametrize("decision", ["incomplet", "irrecevable"])
def test_un_nom_deja_en_base_sur_deux_lignes_n_empeche_pas_les_courriels(client, acteurs, decision):
    client.force_login(acteurs.prescripteur)
    assert client.post(reverse("participants:prescrire"), donnees_prescription()).status_code == 302
    parcours = Parcours.objects.get()
    # Un nom saisi avant ce contrôle (ou écrit en base par un autre chemin).
    Participant.objects.filter(pk=parcours.participant_id).update(nom="Lefèvre\r\nBcc: x@x.fr")
    reponse = prendre_et_decider(
        client, acteurs.animateur, parcours, decision=decision, motif="Pièces manquantes"
    )
    assert reponse.status_code == 302
    parcours.refresh_from_db()
    assert (
        parcours.statut
        == {"incomplet": Statut.INCOMPLET, "irrecevable": Statut.IRRECEVABLE}[decision]
    )
    (courriel,) = mail.outbox
    assert "\n" not in courriel.subject and "\r" not in courriel.subject
    assert "LEFÈVRE BCC: X@X.FR Éloïse" in courriel.subject
    assert courriel.to == [acteurs.prescripteur.email] and not courriel.bcc
    enregistre = Courriel.objects.get(parcours=parcours)
    assert enregistre.sujet == courriel.subject and enregistre.erreur == ""
