"""Reprendre l'historique d'un PLIE depuis l'export d'un autre outil :

    python manage.py reprendre --plie <code> --mapping FICHIER.yaml DOSSIER [--dry-run]
                               [--rapport RAPPORT.xlsx]

DOSSIER contient un fichier par entité (structures, comptes, participants, parcours,
prescriptions, étapes, entretiens, contrats, réponses FSE+ ; CSV « ; » UTF-8 ou XLSX),
nommés et décrits par le fichier de correspondance (docs/reprise.md). Tout ou rien : une seule
ligne refusée et rien n'est enregistré ; chaque refus est listé (fichier, ligne, colonne,
raison), code de sortie 2. `--dry-run` fait tout le contrôle et donne les comptes sans rien
enregistrer. Relancer la même reprise met à jour ce qui a changé et ne duplique rien.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.core.models import PLIE
from parcours.reprise.classeur import ecrire_rapport_xlsx
from parcours.reprise.correspondance import CorrespondanceInvalide, lire_correspondance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import DossierIllisible, reprendre

CODE_ENTREE_INVALIDE = 2


def _echec(message: str) -> CommandError:
    return CommandError(message, returncode=CODE_ENTREE_INVALIDE)


class Command(BaseCommand):
    help = (
        "Reprend structures, comptes, participants, parcours et leur suivi depuis un dossier de "
        "fichiers (CSV « ; » ou XLSX) "
        "et un fichier de correspondance YAML ; tout ou rien, chaque refus listé."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier", help="dossier des fichiers exportés")
        parser.add_argument("--plie", required=True, help="code du PLIE, ex. agenais")
        parser.add_argument(
            "--mapping", required=True, help="fichier de correspondance YAML (docs/reprise.md)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="contrôler et compter sans rien enregistrer"
        )
        parser.add_argument(
            "--rapport", help="écrire aussi le rapport (comptes, refus, doublons) dans ce XLSX"
        )

    def handle(self, *args, dossier, plie, mapping, dry_run, rapport=None, **options):
        self.chemin_rapport = rapport
        plie_obj = PLIE.objects.filter(code=plie).first()
        if plie_obj is None:
            raise _echec(f"PLIE inconnu : « {plie} ».")
        try:
            correspondance = lire_correspondance(Path(mapping).read_text(encoding="utf-8"))
        except OSError as exc:
            raise _echec(f"{mapping} : fichier illisible ({exc.strerror}).") from None
        except (CorrespondanceInvalide, UnicodeDecodeError) as exc:
            raise _echec(f"{mapping} : {exc}") from None
        try:
            rapport = reprendre(plie_obj, correspondance, dossier, dry_run=dry_run)
        except DossierIllisible as exc:
            raise _echec(str(exc)) from None
        except RepriseRefusee as exc:
            self.stderr.write(exc.rapport.texte())
            self._classeur(exc.rapport)
            raise _echec(
                f"{len(exc.rapport.refus)} refus ; rien n'a été enregistré (tout ou rien)."
            ) from None
        self.stdout.write(rapport.texte())
        self._classeur(rapport)
        if dry_run:
            self.stdout.write("Contrôle sans enregistrement (--dry-run) : rien n'a été écrit.")
        else:
            self.stdout.write(self.style.SUCCESS("Reprise enregistrée."))

    def _classeur(self, rapport):
        if not self.chemin_rapport:
            return
        try:
            ecrire_rapport_xlsx(rapport, self.chemin_rapport)
        except OSError as exc:
            raise _echec(f"{self.chemin_rapport} : écriture impossible ({exc.strerror}).") from None
        self.stdout.write(f"Rapport écrit : {self.chemin_rapport}")
