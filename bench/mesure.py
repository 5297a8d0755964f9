"""Mesures sur la base de DATABASE_URL (lancé par `python -m bench` dans un processus à part).

Pour chaque page : nombre de requêtes et temps serveur médian de 5 appels du client de test
Django, connecté avec un compte du jeu qui a le rôle voulu ; « Mes tâches » restreinte contre
`Task.objects.inbox` de viewflow (bench/boite.py) ; pour chaque commande périodique, le temps
d'une passe. Sortie : une ligne `@bench {json}` par mesure ; `--pages` : pages (et boîte)
seules ; `--boite` : la boîte seule.
"""

import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

APPELS = 5
PLIE = "agenais"  # premier PLIE du gabarit : mêmes comptes dans la petite et la grande base

# Les cibles de l'issue 11 par sorte de page (bench/__main__.py, `alerte`) : listes, boîtes et
# accueils (≤ 1,5× la petite base, ≤ 12 requêtes, ≤ 150 ms) ; autres pages (≤ 150 ms, requêtes
# constantes) ; fichiers streamés, dont le temps suit le nombre de lignes écrites (requêtes
# constantes). Libellés de `pages()`.
LISTES = (
    "accueil référent (Mes tâches)",
    "accueil animateur (À prendre)",
    "accueil direction",
    "boîte de tâches prescripteur",
    "participants, filtrés par état",
    "participants, recherche par numéro",
    "participants, recherche avec une faute",
    "participants, filtres et tri",
    "liste des marchés",
    "« à traiter » CRE",
    "opérations FSE+",
)
FICHIERS = ("export Ma Démarche FSE", "extraction des", "bilan d'activité")


def sorte(libelle: str) -> str:
    if libelle in LISTES:
        return "liste"
    return "fichier" if libelle.startswith(FICHIERS) else "page"


def pages():
    """(libellé, compte, nom d'URL, arguments, paramètres GET)."""
    from django.db.models import Count

    from parcours.accompagnement.models import Parcours
    from parcours.commissions.models import SessionCommission
    from parcours.core.models import PLIE as Plie
    from parcours.core.models import User

    plie = Plie.objects.get(code=PLIE).pk
    referent = User.objects.get(username=f"referent.{PLIE}")
    dossier = Parcours.objects.filter(referent=referent, statut="en_accompagnement").order_by("pk")
    # La séance à l'ordre du jour le plus chargé du PLIE : c'est elle que l'échelle éprouve.
    seance = (
        SessionCommission.objects.filter(plie__code=PLIE)
        .annotate(dossiers=Count("inscriptions"))
        .order_by("-dossiers", "-date")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        ("accueil référent (Mes tâches)", "referent", "accueil:index", [], {}),
        ("accueil animateur (À prendre)", "animateur", "accueil:index", [], {}),
        ("accueil direction", "direction", "accueil:index", [], {}),
        ("boîte de tâches prescripteur", "prescripteur", "accueil:index", [], {}),
        (
            "participants, filtrés par état",
            "animateur",
            "participants:index",
            [],
            {"statut": "en_accompagnement"},
        ),
        (
            "participants, recherche par numéro",
            "animateur",
            "participants:index",
            [],
            {"q": f"P{dossier.first().participant_id:06d}"},
        ),
        (
            "participants, recherche avec une faute",
            "animateur",
            "participants:index",
            [],
            {"q": "lambrt"},
        ),
        (
            "participants, filtres et tri",
            "animateur",
            "participants:index",
            [],
            {
                "statut": "en_accompagnement",
                "alerte": "toutes",
                "entree_du": "2000-01-01",
                "tri": "-referent",
            },
        ),
        (
            "séance de commission (ordre du jour le plus chargé)",
            "animateur",
            "commissions:detail",
            [seance],
            {},
        ),
        ("liste des marchés", "facilitateur", "clauses:marches", [], {}),
        ("« à traiter » CRE", "cre", "entreprises:a_traiter", [], {}),
        ("bilans heures", "facilitateur", "clauses:bilans", [], {}),
        ("bilans équité", "facilitateur", "clauses:equite", [], {}),
        ("dossier", "referent", "participants:dossier", [dossier.first().pk], {}),
        ("tableau de bord facilitateur", "facilitateur", "clauses:tableau_de_bord", [], {}),
        ("opérations FSE+", "animateur", "fse:index", [], {}),
        (
            "opération FSE+ : contrôle des entrées (la plus chargée, toute sa période)",
            "animateur",
            "fse:operation",
            [operation_fse_chargee().pk],
            periode_fse(),
        ),
        # Pilotage (issue 13) : tableaux de bord, export Ma Démarche FSE, extractions (fichiers
        # lus jusqu'au bout : ce sont des réponses streamées).
        # Une page par section du tableau de bord (workflows/pilotage/sections.py).
        *[
            (
                f"tableau de bord direction (année), {s}",
                "direction",
                "pilotage:tableau",
                [plie],
                {"section": s},
            )
            for s in ("entrees", "sorties", "activite", "publics")
        ],
        ("tableau de bord financeur (année)", "financeur", "pilotage:tableau", [plie], {}),
        (
            "export Ma Démarche FSE, entrées, partiel (opération la plus chargée)",
            "animateur",
            "fse:export",
            [operation_fse_chargee().pk],
            {**periode_fse(), "partiel": "1"},
        ),
        ("extraction des participants (CSV)", "animateur", "participants:export", ["csv"], {}),
        (
            "extraction des parcours (XLSX)",
            "animateur",
            "extractions:export",
            ["parcours", "xlsx"],
            {},
        ),
        ("bilan d'activité (PDF)", "direction", "fse:bilan_activite", [], bilan_annuel(plie)),
    ]


def operation_fse_chargee():
    """L'opération d'accompagnement du PLIE qui a le plus de participations."""
    from django.db.models import Count

    from parcours.fse.models import OperationFse

    return (
        OperationFse.objects.filter(plie__code=PLIE, type="accompagnement")
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )


def periode_fse() -> dict:
    from django.utils import timezone

    return {"du": f"{operation_fse_chargee().debut}", "au": f"{timezone.localdate()}"}


def bilan_annuel(plie: int) -> dict:
    from django.utils import timezone

    return {"plie": plie, "annee": timezone.localdate().year, "format": "pdf"}


def emettre(genre, libelle, mesure):
    """Une ligne JSON par mesure, aussitôt : une passe interrompue garde ce qu'elle a mesuré."""
    ligne = json.dumps({"genre": genre, "libelle": libelle, **mesure})
    sys.__stdout__.write(f"@bench {ligne}\n")
    sys.__stdout__.flush()


def mesurer_page(client, url, parametres):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    temps, requetes, statut = [], None, None
    for _ in range(APPELS):
        with CaptureQueriesContext(connection) as capture:
            debut = time.perf_counter()
            reponse = client.get(url, parametres)
            if reponse.streaming:  # un fichier streamé : lu jusqu'au bout
                b"".join(reponse.streaming_content)
            temps.append(time.perf_counter() - debut)
        requetes, statut = len(capture.captured_queries), reponse.status_code
    return {"requetes": requetes, "ms": statistics.median(temps) * 1000, "statut": statut}


def mesurer_pages():
    from django.test import Client
    from django.urls import reverse

    from parcours.core.models import User

    for libelle, role, nom, args, parametres in pages():
        client = Client()
        client.force_login(User.objects.get(username=f"{role}.{PLIE}"))
        mesure = mesurer_page(client, reverse(nom, args=args), parametres)
        emettre("pages", libelle, {**mesure, "sorte": sorte(libelle)})


def mesurer_boite():
    from bench import boite
    from parcours.core.models import PLIE as Plie

    mesures = boite.mesurer(f"{boite.COMPTE}.{PLIE}")
    mesures += boite.mesurer_pilotage(f"{boite.PILOTAGE}.{PLIE}", Plie.objects.get(code=PLIE).pk)
    for libelle, mesure in mesures:
        emettre("boite", libelle, mesure)


def fichier_heures(lignes: int) -> Path:
    """Des lignes bien formées pour le marché du gabarit (refusées : contrôles seuls)."""
    from parcours.clauses.models import HeuresRealisees

    modele = HeuresRealisees.objects.filter(marche__plie__code=PLIE).select_related("marche")
    modele = modele.order_by("pk").first()
    chemin = Path(tempfile.mkstemp(suffix=".csv")[1])
    with chemin.open("w", encoding="utf-8") as sortie:
        sortie.write("marche;siret;personne;mois;heures\n")
        for i in range(lignes):
            annee, mois = 1990 + (i // 12) % 100, 1 + i % 12
            personne = f"P{1 + i // 1200:06d}"
            sortie.write(
                f"{modele.marche.numero};{modele.siret};{personne};{annee}-{mois:02d};35\n"
            )
    return chemin


def mesurer_qualification():
    """Une passe de qualification de sortie sur tous les parcours ouverts (objectif de l'issue :
    100 000 parcours en 60 s au plus)."""
    from parcours.accompagnement.enums import STATUTS_CLOS
    from parcours.accompagnement.models import Parcours
    from parcours.emploi.services import qualifications_par_lot

    ouverts = Parcours.objects.exclude(statut__in=STATUTS_CLOS)
    debut = time.perf_counter()
    nombre = sum(1 for _ in qualifications_par_lot(ouverts))
    # Libellé identique sur les deux bases (le tableau les apparie par libellé) ; le nombre de
    # parcours est donné à part.
    libelle = "qualification de sortie, tous les parcours ouverts (par lot)"
    emettre("commandes", libelle, {"ms": (time.perf_counter() - debut) * 1000, "lignes": nombre})


def mesurer_commandes():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    commandes = [
        ("executer_minuteries (minuteries viewflow)", ["executer_minuteries"]),
        ("envoyer_relances", ["envoyer_relances"]),
        ("verifier_alertes (1re passe du jour, complète)", ["verifier_alertes"]),
        ("verifier_alertes (2e passe, rien de neuf)", ["verifier_alertes"]),
        ("expirer_delegations", ["expirer_delegations"]),
    ]
    for lignes in (2_000, 20_000):
        chemin = fichier_heures(lignes)
        commandes.append(
            (
                f"importer_heures {lignes} lignes (contrôles, --dry-run)",
                ["importer_heures", str(chemin), "--plie", PLIE, "--dry-run"],
            )
        )
    fse = Path(tempfile.mkdtemp()) / "entrees.csv"
    operation, periode = operation_fse_chargee(), periode_fse()
    export = ["exporter_fse", "--operation", str(operation.pk), "--partiel", str(fse)]
    commandes += [
        (
            "exporter_fse entrées --partiel (opération la plus chargée, toute sa période)",
            [*export, "--du", periode["du"], "--au", periode["au"]],
        ),
        ("rattacher_operations_fse (tous les PLIE)", ["rattacher_operations_fse"]),
    ]
    mesurer_qualification()
    for libelle, commande in commandes:
        debut = time.perf_counter()
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # courriels de la console
                call_command(*commande, stdout=io.StringIO(), stderr=io.StringIO())
        except (CommandError, SystemExit):
            pass  # un import refusé a tout contrôlé : c'est ce qu'on mesure
        emettre("commandes", libelle, {"ms": (time.perf_counter() - debut) * 1000})


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    mesurer_boite()
    if "--boite" in sys.argv:
        return
    mesurer_pages()
    if "--pages" not in sys.argv:
        mesurer_commandes()


if __name__ == "__main__":
    main()
