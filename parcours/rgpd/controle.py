"""Le dossier d'un participant tiré pour un contrôle de service fait (docs/controle.md) : la
synthèse PDF de tout son dossier et chacun de ses documents, dans un ZIP.

Il réutilise les briques du droit d'accès : `exporter` (chaque modèle relié au parcours, chaque
ligne avec tous ses champs, y compris le journal complet des transitions) et `SOURCES` (les
documents stockés, lus par le stockage, jamais par un chemin). Le contrôle porte sur les
parcours de la personne dans le PLIE de l'opération ; les accès à ses données (rubrique du droit
d'accès) n'en sont pas : ils ne concernent pas le service fait."""

import re
import shutil
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string

from parcours.accompagnement.pdf import MENTION_UE, embleme_ue
from parcours.rgpd.documents import documents_des_parcours
from parcours.rgpd.droit_acces import Export, exporter

# Rubriques du droit d'accès étrangères au service fait.
HORS_CONTROLE = {"acces_aux_donnees", "taches"}
MORCEAU = 1024 * 1024


@dataclass
class Critere:
    satisfait: bool | None
    explication: str


@dataclass
class DossierControle:
    controle: object
    participation: object
    export: Export
    eligibilite: list[tuple[str, bool | None, list[Critere]]]  # (parcours, éligible, critères)


def _eligibilite(participant, plie) -> list:
    from parcours.accompagnement.models import Prescription

    resultat = []
    prescriptions = Prescription.objects.filter(
        parcours__participant=participant, parcours__plie=plie
    ).order_by("parcours__date_prescription", "pk")
    for prescription in prescriptions:
        evaluation = prescription.eligibilite or {}
        criteres = [
            Critere(c.get("satisfait"), str(c.get("explication") or c.get("code") or ""))
            for c in evaluation.get("criteres", [])
        ]
        if prescription.derogation_le:
            criteres.append(
                Critere(
                    True,
                    f"Dérogation accordée le {prescription.derogation_le:%d/%m/%Y} par "
                    f"{prescription.derogation_par} : {prescription.derogation_motif}",
                )
            )
        titre = f"Parcours n° {prescription.parcours_id}"
        resultat.append((titre, evaluation.get("eligible"), criteres))
    return resultat


def dossier(controle, participation, *, par) -> DossierControle:
    participant = participation.parcours.participant
    plie = controle.operation.plie
    export = exporter(participant, plie, par=par)
    export.rubriques = [r for r in export.rubriques if r.cle not in HORS_CONTROLE]
    for section in export.parcours:
        section.rubriques = [r for r in section.rubriques if r.cle not in HORS_CONTROLE]
    return DossierControle(controle, participation, export, _eligibilite(participant, plie))


def pdf_dossier(d: DossierControle) -> bytes:
    import weasyprint

    html = render_to_string(
        "rgpd/dossier_controle.html",
        {"d": d, "mention_ue": MENTION_UE, "embleme_ue": embleme_ue()},
    )
    return weasyprint.HTML(string=html).write_pdf()


def _nom_sur(texte: str) -> str:
    """Un nom de fichier sans séparateur ni caractère douteux dans l'archive."""
    propre = re.sub(r"[^\w.\- ]+", "_", texte, flags=re.UNICODE).strip(" ._")
    return propre[:80] or "document"


def ecrire_dossier(archive: zipfile.ZipFile, controle, participation, *, par) -> int:
    """Ajoute `P000123/dossier.pdf` et `P000123/documents/…` ; rend le nombre de documents.
    Chaque fichier est copié du stockage par morceaux : rien n'est gardé en mémoire."""
    d = dossier(controle, participation, par=par)
    racine = d.export.participant.numero
    archive.writestr(f"{racine}/dossier.pdf", pdf_dossier(d))
    from parcours.accompagnement.models import Parcours

    ids = Parcours.objects.filter(
        participant=d.export.participant, plie=controle.operation.plie_id
    ).values_list("pk", flat=True)
    documents = documents_des_parcours(ids)
    manquants = []
    copies = 0
    for rang, document in enumerate(documents, start=1):
        nom = f"{racine}/documents/{rang:03d}-{_nom_sur(document.libelle)}-"
        nom += _nom_sur(document.nom_fichier)
        try:
            source = document.fichier.open("rb")
        except OSError:
            # Un fichier perdu du stockage ne bloque pas le dossier : le contrôleur le lit.
            quand = f"{document.date:%d/%m/%Y}" if document.date else "sans date"
            manquants.append(f"{rang:03d} — {document.libelle} ({quand})")
            continue
        with source, archive.open(nom, "w") as cible:
            shutil.copyfileobj(source, cible, MORCEAU)
        copies += 1
    if manquants:
        texte = "Documents enregistrés au dossier mais introuvables dans le stockage :\n"
        archive.writestr(f"{racine}/documents-manquants.txt", texte + "\n".join(manquants) + "\n")
    return copies


def ecrire_zip(fichier, controle, participations, *, par) -> int:
    """Écrit dans `fichier` (un fichier temporaire) le ZIP des dossiers ; rend le nombre de
    documents copiés."""
    total = 0
    with zipfile.ZipFile(fichier, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for participation in participations:
            total += ecrire_dossier(archive, controle, participation, par=par)
    return total
