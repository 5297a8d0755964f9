"""Banc d'essai de l'import d'heures (issue 11) : 2 000 puis 20 000 lignes, création puis
remplacement, temps et nombre de requêtes. Un banc d'essai, pas un test chronométré.

    DATABASE_URL=postgresql://… python bench/heures.py [--tailles 2000 20000]

Travaille dans une base jetable créée à côté de celle de DATABASE_URL (`perf_heures`, gardée
d'une fois sur l'autre pour ne pas rejouer les migrations ; `PLIE_TEST_DB_NAME` pour une autre),
vidée au début de chaque passage. Les lignes passent par `importer_lignes` (contrôles et écriture
complets) : le lecteur de fichier plafonne à 10 000 lignes, et il est linéaire à part.

Chaque taille : N/10 personnes embauchées sur un marché (moitié participants, moitié candidats
externes), 10 mois chacune. « création » importe ces N lignes dans une table qui contient déjà
celles des tailles précédentes ; « contrôle seul » est le `--dry-run` ; « remplacement »
réimporte les mêmes avec d'autres heures (N lignes verrouillées et réécrites) ; médiane de sept
passes (cinq pour le remplacement) : le contrôle seul de 2 000 lignes dure ~35 ms, à ±10 ms près
d'une passe à l'autre. Enfin, « contrôle seul, même table, en alternance » : toutes les tailles
importées, une passe de chacune à tour de rôle (sept), sur la même table. « verrous » : la durée
de la transaction d'écriture. `BENCH_DETAIL=1` : chaque requête.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("PLIE_TEST_DB_NAME", "perf_heures")


def _monde():
    """Un PLIE, son facilitateur, un marché et son besoin (fabriques des tests)."""
    from parcours.core.enums import Role, TypeStructure
    from parcours.emploi.enums import TypeContrat
    from tests.clauses.chantier_heures import siret_valide
    from tests.clauses.factories import (
        BesoinFactory,
        DonneurOrdreFactory,
        EntrepriseFactory,
        MarcheFactory,
        OperationFactory,
    )
    from tests.factories import PLIEFactory, StructureFactory, TerritoireFactory, membre

    plie = PLIEFactory(code="bench-heures")
    territoire = TerritoireFactory(plie=plie)
    facilitateur = membre(
        Role.FACILITATEUR, StructureFactory(plie=plie, type=TypeStructure.PORTEUR)
    )
    attributaire = EntrepriseFactory(plie=plie, siret=siret_valide(43219001))
    marche = MarcheFactory(
        operation=OperationFactory(donneur_ordre=DonneurOrdreFactory(plie=plie)),
        numero="BENCH-001",
        date_debut=datetime.date(2020, 1, 1),
        date_fin=None,
        attributaire=attributaire,
    )
    besoin = BesoinFactory(
        marche=marche, facilitateur=facilitateur, type_contrat=TypeContrat.CDD, nb_postes=1
    )
    return plie, territoire, facilitateur, besoin


def _personnes(n, plie, territoire, facilitateur, besoin, rang):
    """`n` personnes embauchées sur le besoin (insertions groupées) : leurs numéros."""
    from parcours.accompagnement.models import Parcours
    from parcours.clauses.enums import StatutPositionnement
    from parcours.clauses.models import CandidatExterne, Positionnement
    from parcours.core.enums import Role
    from parcours.participants.models import Participant

    naissance = datetime.date(1990, 1, 1)
    participants = Participant.objects.bulk_create(
        Participant(nom=f"Banc{rang}-{i}", prenom="Alex", date_naissance=naissance, sexe="F")
        for i in range(n // 2)
    )
    Parcours.objects.bulk_create(
        Parcours(participant=p, plie=plie, territoire=territoire) for p in participants
    )
    externes = CandidatExterne.objects.bulk_create(
        CandidatExterne(
            plie=plie,
            nom=f"Ext{rang}-{i}",
            prenom="Sam",
            date_naissance=naissance,
            sexe="H",
            created_by=facilitateur,
        )
        for i in range(n - n // 2)
    )
    commun = {
        "besoin": besoin,
        "statut": StatutPositionnement.EMBAUCHEE,
        "date_embauche": datetime.date(2020, 1, 1),
        "type_contrat": besoin.type_contrat,
        "employeur": "Bench",
        "propose_par": facilitateur,
        "role_proposant": Role.FACILITATEUR,
        "plie_id": besoin.marche.plie_id,
    }
    Positionnement.objects.bulk_create(
        [Positionnement(participant=p, **commun) for p in participants]
        + [Positionnement(candidat_externe=e, **commun) for e in externes]
    )
    return [p.numero for p in participants] + [e.numero for e in externes]


def _lignes(numeros, siret, heures):
    from parcours.clauses.heures import LigneLue

    mois = [f"{2021 + m // 12}-{m % 12 + 1:02d}" for m in range(10)]
    lignes = []
    for numero in numeros:
        for m in mois:
            valeurs = {
                "marche": "BENCH-001",
                "siret": siret,
                "personne": numero,
                "mois": m,
                "heures": heures,
            }
            lignes.append(LigneLue(len(lignes) + 2, valeurs))
    return lignes


class _Compteur:
    """Compte les requêtes (execute_wrapper : sans garder leur texte de plusieurs Mo)."""

    def __init__(self):
        self.n = 0
        self.lentes = []

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        debut = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if os.environ.get("BENCH_DETAIL"):
                print(f"    {time.perf_counter() - debut:6.3f} s  {' '.join(sql.split())[:90]}")


def _mesurer(fonction, repetitions=1):
    from django.db import connection

    from parcours.clauses.heures import enregistrement

    temps, verrous, compteur = [], [], _Compteur()
    ecrire = enregistrement._enregistrer

    def ecrire_chronometre(*args, **kwargs):
        debut = time.perf_counter()
        try:
            return ecrire(*args, **kwargs)
        finally:
            verrous.append(time.perf_counter() - debut)

    enregistrement._enregistrer = ecrire_chronometre
    try:
        with connection.execute_wrapper(compteur):
            for _ in range(repetitions):
                debut = time.perf_counter()
                fonction()
                temps.append(time.perf_counter() - debut)
    finally:
        enregistrement._enregistrer = ecrire
    return statistics.median(temps), (statistics.median(verrous) if verrous else 0), compteur.n


ALTERNES = "contrôle seul, même table, en alternance"
PASSES_ALTERNEES = 7


def _controles_alternes(tailles, numeros_par_taille, plie, siret, par, resultats):
    """Le contrôle seul de chaque taille, une passe chacune à tour de rôle, sur la table finale
    (toutes les tailles importées) : les deux tailles lisent la même table, et un moment lent de
    la machine pèse sur les deux plutôt que sur une seule. Médiane de `PASSES_ALTERNEES`."""
    from parcours.clauses.heures import importer_lignes

    temps = {taille: [] for taille in tailles}
    for _ in range(PASSES_ALTERNEES):
        for taille in tailles:
            lignes = _lignes(numeros_par_taille[taille], siret, "70,5")
            debut = time.perf_counter()
            importer_lignes(plie, lignes, "banc.csv", par=par, dry_run=True)
            temps[taille].append(time.perf_counter() - debut)
    for taille in tailles:
        duree = statistics.median(temps[taille])
        resultats[(taille, ALTERNES)] = duree
        print(f"{taille:>6} lignes, {ALTERNES} : {duree:6.2f} s ({taille / duree:>7,.0f} lignes/s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tailles", type=int, nargs="+", default=[2000, 20000])
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from parcours.clauses.heures import importer_lignes

    base = connection.creation.create_test_db(verbosity=0, keepdb=True)
    print(f"Base jetable : {base} ; PostgreSQL {connection.pg_version}")
    # La base jetable est vidée, puis chaque import valide sa transaction comme en production
    # (une seule transaction englobante garderait toutes les versions des lignes réécrites).
    call_command("flush", interactive=False, verbosity=0)
    resultats = {}
    plie, territoire, facilitateur, besoin = _monde()
    siret = besoin.marche.attributaire.siret
    numeros_par_taille = {}
    for rang, taille in enumerate(options.tailles):
        numeros = _personnes(taille // 10, plie, territoire, facilitateur, besoin, rang)
        numeros_par_taille[taille] = numeros
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # La création ne se fait qu'une fois ; contrôle et remplacement : médiane de plusieurs
        # passes (les heures alternent, chaque passe réécrit toutes les lignes).
        etapes = (
            ("création", ["35"], False),
            ("contrôle seul", ["70,5"] * 7, True),
            ("remplacement", ["70,5", "35", "70,5", "35", "70,5"], False),
        )
        for etape, valeurs, dry_run in etapes:
            passes = iter([_lignes(numeros, siret, h) for h in valeurs])
            duree, verrous, requetes = _mesurer(
                lambda passes=passes, dry_run=dry_run: importer_lignes(
                    plie, next(passes), "banc.csv", par=facilitateur, dry_run=dry_run
                ),
                repetitions=len(valeurs),
            )
            resultats[(taille, etape)] = duree
            print(
                f"{taille:>6} lignes, {etape:<13} : {duree:6.2f} s "
                f"({taille / duree:>7,.0f} lignes/s), verrous {verrous * 1000:5.0f} ms, "
                f"{requetes // len(valeurs)} requêtes"
            )
    _controles_alternes(options.tailles, numeros_par_taille, plie, siret, facilitateur, resultats)
    if len(options.tailles) >= 2:
        petite, grande = options.tailles[0], options.tailles[-1]
        for etape in ("création", "contrôle seul", ALTERNES, "remplacement"):
            rapport = resultats[(grande, etape)] / resultats[(petite, etape)]
            print(
                f"{etape} : {grande} / {petite} lignes = ×{rapport:.1f} "
                f"(linéaire : ×{grande / petite:.0f})"
            )


if __name__ == "__main__":
    main()
