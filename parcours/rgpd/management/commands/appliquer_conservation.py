"""Appliquer chaque jour les durées de conservation (docs/rgpd.md) :

    python manage.py appliquer_conservation [--dry-run [--date AAAA-MM-JJ]] [--plie CODE]

Supprime les documents des parcours clos arrivés au terme de leur conservation, anonymise les
personnes dont l'identité l'est, purge le journal des accès au-delà de
`PLIE_TRACES_CONSERVATION_JOURS` ; chaque action est tracée au journal. `--dry-run` liste sans
rien modifier (`--date` : ce qui partirait à cette date). `--plie` : les personnes et documents
d'un PLIE (la purge du journal, commune à l'instance, n'a lieu que sans `--plie`). Idempotente :
une seconde passe le même jour ne fait rien. Code de sortie 2 pour une option invalide, 1 si
une suppression a échoué (les autres sont faites).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parcours.core.models import PLIE
from parcours.rgpd import conservation

CODE_ENTREE_INVALIDE = 2


class Command(BaseCommand):
    help = (
        "Supprime les documents et anonymise les identités arrivés au terme de leur "
        "conservation (référentiel, section conservation), purge le journal des accès ; "
        "--dry-run pour seulement lister."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="lister sans rien modifier")
        parser.add_argument("--plie", help="code d'un PLIE : ses personnes et documents seuls")
        parser.add_argument(
            "--date", help="avec --dry-run : ce qui partirait à cette date (AAAA-MM-JJ)"
        )

    def handle(self, *args, dry_run, plie, date, **options):
        plie_obj = None
        if plie:
            plie_obj = PLIE.objects.filter(code=plie).first()
            if plie_obj is None:
                raise CommandError(f"PLIE inconnu : « {plie} ».", returncode=CODE_ENTREE_INVALIDE)
        if date and not dry_run:
            raise CommandError(
                "--date ne s'emploie qu'avec --dry-run : on n'efface rien par anticipation.",
                returncode=CODE_ENTREE_INVALIDE,
            )
        jour = None
        if date:
            try:
                jour = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    f"--date : date invalide « {date} » (AAAA-MM-JJ).",
                    returncode=CODE_ENTREE_INVALIDE,
                ) from None
        if dry_run:
            bilan = conservation.lister(jour, plie=plie_obj)
        else:
            bilan = conservation.appliquer(plie=plie_obj)
        self.rendre_compte(bilan, dry_run)
        if bilan.erreurs:
            raise CommandError(
                f"{len(bilan.erreurs)} échec(s) : le reste a été appliqué.", returncode=1
            )

    def rendre_compte(self, bilan, dry_run):
        ecrire = self.stdout.write
        ecrire(
            f"Conservation au {bilan.aujourdhui:%d/%m/%Y}"
            + (" — simulation (--dry-run) : rien n'est modifié." if dry_run else ".")
        )
        verbe = "à supprimer" if dry_run else "supprimés"
        ecrire(
            f"Documents au terme de leur conservation {verbe} : {bilan.nombre_documents} "
            f"({len(bilan.parcours)} parcours)"
        )
        for p in bilan.parcours:
            ecrire(
                f"  parcours {p.pk} : {len(p.documents)} document(s), conservés jusqu'au "
                f"{p.fin:%d/%m/%Y}"
            )
        verbe = "à anonymiser" if dry_run else "anonymisées"
        ecrire(f"Identités {verbe} : {len(bilan.personnes)}")
        for p in bilan.personnes:
            parcours = ", ".join(map(str, p.parcours))
            ecrire(
                f"  {p.numero} (parcours {parcours}) : conservée jusqu'au {p.fin:%d/%m/%Y}"
                + (f", {p.documents} autre(s) document(s)" if p.documents else "")
            )
        if bilan.traces is not None:
            verbe = "à purger" if dry_run else "purgées"
            ecrire(
                f"Journal des accès : {bilan.traces} trace(s) de plus de "
                f"{settings.PLIE_TRACES_CONSERVATION_JOURS} jours {verbe}"
            )
        for erreur in bilan.erreurs:
            self.stderr.write(f"Échec : {erreur}")
