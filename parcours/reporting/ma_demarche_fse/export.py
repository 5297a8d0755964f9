"""L'écriture des fichiers Ma Démarche FSE : CSV séparé par des points-virgules, UTF-8, une ligne
d'en-tête, dates JJ/MM/AAAA (docs/fse.md), écrit au fil de la lecture (mémoire constante) et
journalisé à la fin (`ExportFse` et le journal des accès).

`preparer_export` contrôle d'abord : une anomalie et pas de mode partiel → `ExportIncomplet`
avec la liste. En mode partiel, les lignes en anomalie sont écartées et comptées."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from parcours.core.exports import ligne_neutralisee
from parcours.reporting.ma_demarche_fse.colonnes import COLONNES_ENTREES, COLONNES_SORTIES
from parcours.reporting.ma_demarche_fse.controle import (
    Anomalie,
    anomalie_de,
    controler,
    participations_a_exporter,
)
from parcours.reporting.models import ExportFse
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

SEPARATEUR = ";"
LOT = 2000


class ExportIncomplet(Exception):
    """Des participants ont des données incomplètes ou incohérentes : la liste est jointe."""

    def __init__(self, anomalies: list[Anomalie]):
        self.anomalies = anomalies
        super().__init__(
            f"{len(anomalies)} participant(s) ont des données incomplètes ou incohérentes : "
            "corrigez-les, ou exportez en mode partiel (lignes complètes seulement)."
        )


@dataclass
class Export:
    operation: object
    periode: object
    sorties: bool
    partiel: bool
    par: object = None
    request: object = None
    lignes: int = 0
    ecartees: int = 0
    anomalies: list[Anomalie] = field(default_factory=list)

    @property
    def colonnes(self):
        return COLONNES_SORTIES if self.sorties else COLONNES_ENTREES

    @property
    def nom_de_fichier(self) -> str:
        fichier = "sorties" if self.sorties else "entrees"
        return (
            f"ma-demarche-fse_{self.operation.numero}_{fichier}_"
            f"{self.periode.du:%Y%m%d}-{self.periode.au:%Y%m%d}.csv"
        )

    def morceaux(self):
        """Le fichier, morceau par morceau (texte) : l'en-tête, puis une ligne par participation
        complète. Journalise quand la dernière ligne est écrite."""
        tampon = io.StringIO()
        ecrivain = csv.writer(tampon, delimiter=SEPARATEUR, lineterminator="\r\n")
        ecrivain.writerow([c.entete for c in self.colonnes])
        qs = participations_a_exporter(self.operation, self.periode, self.sorties)
        for n, p in enumerate(qs.iterator(chunk_size=LOT), start=1):
            if anomalie_de(p, self.sorties) is not None:
                self.ecartees += 1
                continue
            ecrivain.writerow(ligne_neutralisee(c.valeur(p) for c in self.colonnes))
            self.lignes += 1
            if n % LOT == 0:
                yield tampon.getvalue()
                tampon.seek(0)
                tampon.truncate()
        yield tampon.getvalue()
        self.journaliser()

    def ecrire(self, fichier) -> None:
        for morceau in self.morceaux():
            if morceau:
                fichier.write(morceau)

    @transaction.atomic
    def journaliser(self) -> ExportFse:
        fichier = "sorties" if self.sorties else "entrées"
        journal = ExportFse.objects.create(
            operation=self.operation,
            par=self.par,
            du=self.periode.du,
            au=self.periode.au,
            sorties=self.sorties,
            partiel=self.partiel,
            lignes=self.lignes,
            ecartees=self.ecartees,
        )
        tracer(
            TypeTrace.EXPORT,
            request=self.request,
            user=self.par,
            plie=self.operation.plie_id,
            objet_type="fse.operationfse",
            objet_id=self.operation.pk,
            detail=f"Ma Démarche FSE, {fichier} {self.periode} : {self.lignes} ligne(s), "
            f"{self.ecartees} écartée(s)",
        )
        return journal


def preparer_export(
    operation, periode, *, sorties=False, partiel=False, par=None, request=None
) -> Export:
    """L'export prêt à écrire. Sans `partiel`, le contrôle passe d'abord : s'il trouve une
    anomalie, `ExportIncomplet` (rien n'est écrit ni journalisé)."""
    export = Export(operation, periode, sorties, partiel, par=par, request=request)
    if not partiel:
        anomalies = controler(operation, periode, sorties)
        if anomalies:
            raise ExportIncomplet(anomalies)
    return export
