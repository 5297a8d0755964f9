"""Exporter le fichier Ma Démarche FSE d'une opération pour une période :

    python manage.py exporter_fse --operation N --du AAAA-MM-JJ --au AAAA-MM-JJ
        [--sorties] [--partiel] [--par IDENTIFIANT] FICHIER

N : l'identifiant de l'opération FSE+ (ou son numéro Ma Démarche FSE s'il est unique). Sans
`--sorties`, le fichier des entrées (participations entrées dans la période) ; avec, celui des
sorties. Le contrôle préalable passe d'abord : un participant incomplet ou incohérent, et rien
n'est écrit (la liste, par nom et élément manquant ; code de sortie 2). `--partiel` écrit les
lignes complètes et dit combien sont écartées. FICHIER `-` : la sortie standard. L'export est
journalisé (qui : `--par`, quand, quelle opération, combien de lignes). docs/fse.md.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parcours.core.models import User
from parcours.fse.models import OperationFse
from parcours.reporting.ma_demarche_fse import preparer_export
from parcours.reporting.ma_demarche_fse.export import ExportIncomplet
from parcours.reporting.periode import periode

CODE_ENTREE_INVALIDE = 2


def _echec(message: str) -> CommandError:
    return CommandError(message, returncode=CODE_ENTREE_INVALIDE)


def _operation(valeur: str) -> OperationFse:
    qs = OperationFse.objects.select_related("plie")
    if valeur.isdigit() and (op := qs.filter(pk=int(valeur)).first()):
        return op
    trouvees = list(qs.filter(numero=valeur)[:2])
    if len(trouvees) == 1:
        return trouvees[0]
    if trouvees:
        raise _echec(f"Plusieurs opérations portent le numéro {valeur} : donnez l'identifiant.")
    raise _echec(f"Aucune opération FSE+ d'identifiant ou de numéro « {valeur} ».")


class Command(BaseCommand):
    help = (
        "Exporte le fichier Ma Démarche FSE (entrées, ou sorties avec --sorties) d'une opération "
        "pour une période, après le contrôle préalable."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier .csv à écrire (- : sortie standard)")
        parser.add_argument("--operation", required=True, help="identifiant ou numéro")
        parser.add_argument("--du", required=True, help="début de la période, AAAA-MM-JJ")
        parser.add_argument("--au", required=True, help="fin de la période, AAAA-MM-JJ")
        parser.add_argument("--sorties", action="store_true", help="le fichier des sorties")
        parser.add_argument(
            "--partiel",
            action="store_true",
            help="écrire les lignes complètes seulement et dire combien sont écartées",
        )
        parser.add_argument("--par", help="identifiant du compte au nom duquel exporter")

    def handle(self, *args, fichier, operation, du, au, sorties, partiel, par, **options):
        op = _operation(operation)
        try:
            p = periode(du, au)
        except ValidationError as exc:
            raise _echec(" ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        compte = None
        if par:
            compte = User.objects.filter(username=par, is_active=True).first()
            if compte is None:
                raise _echec(f"Aucun compte actif « {par} ».")
        try:
            export = preparer_export(op, p, sorties=sorties, partiel=partiel, par=compte)
        except ExportIncomplet as exc:
            for anomalie in exc.anomalies:
                self.stderr.write(f"- {anomalie.nom} : " + " ; ".join(anomalie.textes))
            raise _echec(str(exc)) from None
        if fichier == "-":
            export.ecrire(self.stdout)
        else:
            with open(fichier, "w", encoding="utf-8", newline="") as f:
                export.ecrire(f)
        quoi = "sorties" if sorties else "entrées"
        message = f"{export.lignes} ligne(s) de {quoi} écrite(s) ({op.numero}, {p})"
        if partiel:
            message += f", {export.ecartees} écartée(s) car incomplète(s) ou incohérente(s)"
        # Le fichier sur la sortie standard : le compte rendu va sur l'erreur standard.
        (self.stderr if fichier == "-" else self.stdout).write(message + ".")
