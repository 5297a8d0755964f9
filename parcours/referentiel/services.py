"""Importer et exporter le référentiel d'un PLIE (fichier YAML, docs/referentiel.md)."""

import datetime
from pathlib import Path

import yaml
from django.db import transaction

from parcours.core.models import PLIE, Commune, Territoire
from parcours.core.yaml_sur import lire_yaml
from parcours.referentiel.models import Referentiel
from parcours.referentiel.noyau import Erreur, ReferentielInvalide
from parcours.referentiel.sections import territoires as section_territoires
from parcours.referentiel.validation import valider


def lire_fichier(chemin: Path) -> dict:
    nom = str(chemin)
    try:
        texte = Path(chemin).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReferentielInvalide(nom, [Erreur("", "fichier introuvable")]) from exc
    except UnicodeDecodeError as exc:
        raise ReferentielInvalide(
            nom, [Erreur("", "le fichier doit être encodé en UTF-8")]
        ) from exc
    return lire_texte(texte, nom)


def lire_texte(texte: str, nom: str) -> dict:
    try:
        contenu = lire_yaml(texte)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        ou = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        raise ReferentielInvalide(
            nom, [Erreur(ou, f"YAML illisible : {getattr(exc, 'problem', exc)}")]
        ) from exc
    if not isinstance(contenu, dict):
        raise ReferentielInvalide(nom, [Erreur("", "le fichier doit décrire un référentiel")])
    return contenu


def _en_date(valeur) -> datetime.date:
    return valeur if isinstance(valeur, datetime.date) else datetime.date.fromisoformat(valeur)


def _json(contenu):
    """Le contenu stocké en JSON : les dates YAML deviennent des textes ISO."""
    if isinstance(contenu, dict):
        return {k: _json(v) for k, v in contenu.items()}
    if isinstance(contenu, list):
        return [_json(v) for v in contenu]
    if isinstance(contenu, datetime.date):
        return contenu.isoformat()
    return contenu


@transaction.atomic
def importer_referentiel(chemin, par=None) -> Referentiel:
    """Valide puis enregistre une version ; met à jour l'identité, les territoires et les communes.

    Atomique : un fichier invalide ne change rien. Réimporter la même date d'effet remplace
    cette version.
    """
    chemin = Path(chemin)
    contenu = lire_fichier(chemin)
    return importer_contenu(
        contenu, chemin.name, code_attendu=chemin.stem, par=par, fichier=str(chemin)
    )


def valider_texte(texte: str, nom: str, code_attendu: str) -> dict:
    """Le contenu d'un fichier déposé, validé pour le PLIE `code_attendu` (l'écran
    d'administration du PLIE n'importe que le référentiel de son PLIE)."""
    contenu = lire_texte(texte, nom)
    valider(contenu, nom, code_attendu=code_attendu, attendu="au PLIE administré")
    return contenu


@transaction.atomic
def importer_contenu(
    contenu: dict,
    source: str,
    code_attendu: str,
    par=None,
    attendu="au nom du fichier",
    fichier: str | None = None,
) -> Referentiel:
    """Valide et enregistre un contenu déjà lu ; `fichier` nomme la source dans les erreurs
    (par défaut `source`, le nom gardé avec la version)."""
    valider(contenu, fichier or source, code_attendu=code_attendu, attendu=attendu)
    contenu = _json(contenu)

    identite = contenu["plie"]
    plie, _ = PLIE.objects.update_or_create(
        code=identite["code"],
        defaults={
            "nom": identite["nom"],
            "structure_porteuse": identite.get("structure_porteuse", ""),
        },
    )
    _synchroniser_territoires(plie, section_territoires.du_contenu(contenu))
    referentiel, _ = Referentiel.objects.update_or_create(
        plie=plie,
        date_effet=_en_date(contenu["version"]["date_effet"]),
        defaults={
            "libelle": contenu["version"].get("libelle", ""),
            "contenu": contenu,
            "source": source,
            "importe_par": par,
        },
    )
    return referentiel


def _synchroniser_territoires(plie, territoires: tuple[section_territoires.Territoire, ...]):
    gardes = set()
    communes = []
    for t in territoires:
        territoire, _ = Territoire.objects.update_or_create(
            plie=plie, code=t.code, defaults={"nom": t.nom}
        )
        gardes.add(territoire.pk)
        communes += [
            Commune(plie=plie, insee=c.insee, nom=c.nom, territoire=territoire) for c in t.communes
        ]
    # Une seule requête (INSERT … ON CONFLICT) au lieu de plusieurs par commune : un référentiel
    # en compte une centaine. La validation refuse un même code INSEE listé deux fois.
    Commune.objects.bulk_create(
        communes,
        update_conflicts=True,
        unique_fields=["plie", "insee"],
        update_fields=["nom", "territoire"],
    )
    insees = {c.insee for t in territoires for c in t.communes}
    Commune.objects.filter(plie=plie).exclude(insee__in=insees).delete()
    # Un territoire qui porte encore des parcours n'est pas supprimé (PROTECT) : il reste, vidé.
    for territoire in Territoire.objects.filter(plie=plie).exclude(pk__in=gardes):
        if not territoire.parcours.exists():
            territoire.delete()


def exporter_referentiel(plie, date=None) -> str:
    referentiel = Referentiel.objects.en_vigueur(plie, date)
    if referentiel is None:
        raise Referentiel.DoesNotExist(f"Aucun référentiel en vigueur pour {plie}.")
    return yaml.safe_dump(referentiel.contenu, allow_unicode=True, sort_keys=False, width=100)
