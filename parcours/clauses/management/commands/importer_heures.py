"""Importer les heures d'insertion réalisées d'un mois (ou de plusieurs) depuis un fichier :

    python manage.py importer_heures --plie <code> FICHIER [--dry-run] [--par <identifiant>]

FICHIER : CSV séparé par `;` (UTF-8 avec ou sans BOM, virgule décimale) ou XLSX, colonnes
`marche`, `siret`, `personne`, `mois` (AAAA-MM), `heures` (docs/heures.md). Tout ou rien : s'il y
a une seule ligne fautive, rien n'est enregistré et chaque erreur est listée avec son numéro de
ligne ; code de sortie 2. `--dry-run` contrôle sans rien enregistrer. Réimporter un mois remplace
ses heures. `--par` : le compte (facilitateur ou animation du PLIE) au nom duquel les heures sont
enregistrées ; obligatoire pour enregistrer (traçabilité : qui a fourni les heures).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.clauses.heures import (
    TAILLE_MAX_FICHIER,
    FichierIllisible,
    ImportRefuse,
    SaisieNonAutorisee,
    erreurs_resumees,
    importer_heures,
)
from parcours.core.models import PLIE, User
from parcours.core.nombres import heures

CODE_ENTREE_INVALIDE = 2


def _echec(message: str) -> CommandError:
    return CommandError(message, returncode=CODE_ENTREE_INVALIDE)


class Command(BaseCommand):
    help = (
        "Importe un fichier d'heures d'insertion réalisées (CSV « ; » ou XLSX : marche, siret, "
        "personne, mois, heures) ; tout ou rien, erreurs listées par ligne."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier .csv (séparateur ;) ou .xlsx")
        parser.add_argument("--plie", required=True, help="code du PLIE, ex. agenais")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="contrôler le fichier sans rien enregistrer",
        )
        parser.add_argument(
            "--par",
            help="identifiant du compte qui enregistre (facilitateur ou animation du PLIE)",
        )

    def handle(self, *args, fichier, plie, dry_run, par, **options):
        plie_obj = PLIE.objects.filter(code=plie).first()
        if plie_obj is None:
            raise _echec(f"PLIE inconnu : « {plie} ».")
        chemin = Path(fichier)
        try:
            # Taille vérifiée avant la lecture : le fichier n'est pas chargé s'il est démesuré.
            if chemin.stat().st_size > TAILLE_MAX_FICHIER:
                raise _echec(
                    f"{chemin} : fichier trop volumineux "
                    f"({TAILLE_MAX_FICHIER // 1024 // 1024} Mo au plus). "
                    "Aucune heure n'a été enregistrée."
                )
            contenu = chemin.read_bytes()
        except OSError as exc:
            raise _echec(f"{chemin} : fichier illisible ({exc.strerror}).") from None
        utilisateur = None
        if par:
            utilisateur = User.objects.filter(username=par, is_active=True).first()
            if utilisateur is None:
                raise _echec(f"--par : compte inconnu ou inactif : « {par} ».")
        elif not dry_run:
            raise _echec(
                "--par <identifiant> est obligatoire pour enregistrer : les heures gardent qui "
                "les a fournies (utilisez --dry-run pour seulement contrôler le fichier)."
            )
        try:
            resultat = importer_heures(
                plie_obj, contenu, chemin.name, par=utilisateur, dry_run=dry_run
            )
        except FichierIllisible as exc:
            raise _echec(f"{chemin} : {exc} Aucune heure n'a été enregistrée.") from None
        except SaisieNonAutorisee as exc:
            raise _echec(str(exc)) from None
        except ImportRefuse as exc:
            for erreur in erreurs_resumees(exc.erreurs):
                self.stderr.write(erreur)
            n = len(exc.erreurs)
            raise _echec(
                f"{chemin} : {n} erreur{'s' if n > 1 else ''} ; aucune heure n'a été enregistrée."
            ) from None
        bilan = (
            f"{len(resultat.lignes)} ligne(s), {heures(resultat.total_heures)} : "
            f"{resultat.creees} nouvelle(s), {resultat.remplacees} remplacée(s)"
        )
        if dry_run:
            self.stdout.write(
                f"Contrôle sans enregistrement (--dry-run) : {bilan}. Fichier valide."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Heures enregistrées : {bilan}."))
