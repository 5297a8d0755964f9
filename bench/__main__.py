"""Banc de mesure (issue 11) : `python -m bench [--grande N] [--markdown] [--garder] [--charge]`.

Crée deux bases à côté de celle de DATABASE_URL (même serveur) : `<base>_bench_petite`
(N = 1 000) et `<base>_bench_grande` (N = 100 000 par défaut), y génère les jeux
(`generer_jeu`), mesure chaque page et chaque commande périodique dans un processus à part par
base (bench/mesure.py), puis imprime le tableau et les ratios. Voir docs/PERFORMANCE.md.

`--tours N` : N tours de mesure des pages et de la boîte, petite et grande base en alternance, le
plus rapide de chacune gardé ; sur une machine partagée, une page isolée varie du simple au
double d'un passage à l'autre.

`--charge [--utilisateurs 50] [--duree 60] [--base URL]` : le test de charge en boucle locale
contre une base déjà générée (bench/charge.py).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

from bench import boite

RACINE = Path(__file__).resolve().parent.parent


def url_de(base_url: str, nom: str) -> str:
    return base_url.rsplit("/", 1)[0] + "/" + nom


def marque(echelle: int) -> str:
    """Le commentaire posé sur une base du banc une fois son jeu généré jusqu'au bout."""
    return f"banc PLIE : jeu complet, echelle {echelle}"


def jeu_complet(connexion, nom: str, echelle: int) -> bool:
    """Vrai si la base porte la marque d'un jeu de cette échelle généré jusqu'au bout : une
    génération interrompue (ou d'une autre échelle) n'est pas gardée par --garder."""
    ligne = connexion.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [nom],
    ).fetchone()
    return ligne is not None and ligne[0] == marque(echelle)


def preparer(base_url: str, nom: str, echelle: int, garder: bool) -> str:
    """Crée la base (ou la garde si --garder et son jeu est complet) et y génère le jeu. Une
    base gardée reçoit les migrations écrites depuis sa génération : le code mesuré lit son
    schéma."""
    url = url_de(base_url, nom)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    manage = [sys.executable, str(RACINE / "manage.py")]
    with psycopg.connect(url_de(base_url, "postgres"), autocommit=True) as connexion:
        existe = connexion.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom]).fetchone()
        garde = existe and garder and jeu_complet(connexion, nom, echelle)
        if existe and not garde:
            connexion.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(nom)))
        if not garde:
            connexion.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nom)))
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=RACINE)
    if garde:
        return url
    subprocess.run(
        [*manage, "generer_jeu", "--echelle", str(echelle)], env=env, check=True, cwd=RACINE
    )
    # Posée après la génération seulement : une base à demi générée sera refaite.
    with psycopg.connect(url_de(base_url, "postgres"), autocommit=True) as connexion:
        connexion.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(nom), sql.Literal(marque(echelle))
            )
        )
    return url


def mesurer(url: str, pages_seules: bool = False) -> dict:
    """Lance bench.mesure sur la base ; relit ses lignes `@bench {json}` (une par mesure) en
    `{"pages": {libellé: mesure}, "commandes": {libellé: mesure}}`."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    commande = [sys.executable, "-m", "bench.mesure", *(["--pages"] if pages_seules else [])]
    sortie = subprocess.run(
        commande, env=env, cwd=RACINE, check=True, capture_output=True, text=True
    ).stdout
    resultats = {"boite": {}, "pages": {}, "commandes": {}}
    for ligne in sortie.splitlines():
        if ligne.startswith("@bench "):
            mesure = json.loads(ligne.removeprefix("@bench "))
            resultats[mesure.pop("genre")][mesure.pop("libelle")] = mesure
    return resultats


def combiner(tours: list[dict]) -> dict:
    """Plusieurs tours de `mesurer` sur une même base, en un : pour chaque page et chaque boîte,
    le tour le plus rapide (la machine est partagée : le bruit ne fait que ralentir) ; les
    rapports de la boîte sont recalculés sur les mesures gardées ; les commandes, du premier tour
    (elles changent la base, les tours suivants ne les rejouent pas)."""
    resultat = {"pages": {}, "boite": {}, "commandes": tours[0]["commandes"]}
    for genre in ("pages", "boite"):
        for libelle in tours[0][genre]:
            mesures = [tour[genre][libelle] for tour in tours if libelle in tour[genre]]
            resultat[genre][libelle] = min(mesures, key=lambda m: m["ms"])
    for libelle, mesure in resultat["boite"].items():
        if not mesure.get("rapport"):
            continue
        compte = libelle.removeprefix(boite.RAPPORT)
        viewflow = resultat["boite"][boite.VIEWFLOW + compte]
        restreinte = resultat["boite"][boite.RESTREINTE + compte]
        resultat["boite"][libelle] = {**mesure, **boite.rapport(restreinte, viewflow)}
    return resultat


def lignes_boite(petite: dict, grande: dict) -> list[list[str]]:
    """« Mes tâches » restreinte contre la boîte de viewflow (bench/boite.py) : planification +
    exécution (EXPLAIN ANALYZE, minimum) et, entre parenthèses, la même requête préparée,
    petite et grande base ; le rapport restreinte / viewflow (cible : 2× au plus, ⚠ au-delà)."""
    lignes = [["boîte : plan + exéc. (préparée) ms", "tâches", "petite", "grande", ""]]
    for libelle, p in petite["boite"].items():
        g = grande["boite"][libelle]
        taches = f"{p['taches']}/{g['taches']}"
        if p.get("rapport"):
            alerte = " ⚠" if g["ms"] > 2 else ""
            valeurs = [f"×{m['ms']:.1f} (×{m.get('preparee', 0):.1f})" for m in (p, g)]
            valeurs[1] += alerte
        else:
            valeurs = [
                f"{m['planification']:.2f} + {m['execution']:.2f} ({m.get('preparee', 0):.2f})"
                for m in (p, g)
            ]
        lignes.append([libelle, taches, *valeurs, ""])
    return lignes


def hors_cible(p: dict, g: dict) -> bool:
    """Les cibles de l'issue 11 selon la sorte de page (bench/mesure.py, `sorte`)."""
    non_constantes = g["requetes"] != p["requetes"]
    if g.get("sorte") == "fichier":
        return non_constantes
    if g.get("sorte") == "liste":
        return g["ms"] > 150 or g["requetes"] > 12 or g["ms"] > 1.5 * p["ms"] or non_constantes
    return g["ms"] > 150 or non_constantes


def tableau(petite: dict, grande: dict, markdown: bool, tailles: tuple[int, int]) -> str:
    lignes = []
    entete = ["page", "requêtes petite/grande", "ms petite", "ms grande", "ratio"]
    for libelle, p in petite["pages"].items():
        g = grande["pages"][libelle]
        alerte = " ⚠" if hors_cible(p, g) else ""
        statut = "" if g["statut"] == 200 else f" (HTTP {g['statut']})"
        lignes.append(
            [
                libelle + statut,
                f"{p['requetes']}/{g['requetes']}",
                f"{p['ms']:.0f}",
                f"{g['ms']:.0f}",
                f"×{g['ms'] / p['ms']:.1f}{alerte}",
            ]
        )
    lignes.append(
        ["commande périodique", "lignes petite/grande", "ms petite", "ms grande", "ratio"]
    )
    for libelle, p in petite["commandes"].items():
        g = grande["commandes"].get(libelle, {"ms": float("nan")})
        nombres = f"{p['lignes']}/{g.get('lignes', '?')}" if "lignes" in p else ""
        lignes.append(
            [
                libelle,
                nombres,
                f"{p['ms']:.0f}",
                f"{g['ms']:.0f}",
                f"×{g['ms'] / max(p['ms'], 0.1):.1f}",
            ]
        )
    lignes += lignes_boite(petite, grande)
    titre = f"Petite base : {tailles[0]} participants ; grande : {tailles[1]}."
    if markdown:
        texte = [titre, "", "| " + " | ".join(entete) + " |", "|" + "---|" * len(entete)]
        texte += ["| " + " | ".join(ligne) + " |" for ligne in lignes]
        return "\n".join(texte)
    largeurs = [max(len(str(x[i])) for x in [entete, *lignes]) for i in range(len(entete))]
    texte = [titre, "  ".join(e.ljust(n) for e, n in zip(entete, largeurs, strict=True))]
    texte += [
        "  ".join(str(c).ljust(n) for c, n in zip(ligne, largeurs, strict=True)) for ligne in lignes
    ]
    return "\n".join(texte)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--petite", type=int, default=1_000)
    parser.add_argument("--grande", type=int, default=100_000)
    parser.add_argument("--markdown", action="store_true", help="tableau pour PERFORMANCE.md")
    parser.add_argument("--garder", action="store_true", help="réutiliser les bases déjà créées")
    parser.add_argument("--pages", action="store_true", help="pages seules, sans commandes")
    parser.add_argument(
        "--tours",
        type=int,
        default=1,
        help="tours de mesure des pages, petite et grande base en alternance ; le plus rapide de "
        "chaque page est gardé (les commandes ne passent qu'au premier tour)",
    )
    parser.add_argument("--charge", action="store_true", help="test de charge (bench/charge.py)")
    parser.add_argument("--utilisateurs", type=int, default=50, help="--charge : clients")
    parser.add_argument("--duree", type=float, default=60, help="--charge : secondes")
    parser.add_argument("--base", help="--charge : URL de la base (défaut : DATABASE_URL)")
    options = parser.parse_args(argv)
    if options.charge:
        from bench import charge

        sys.exit(
            charge.main(
                utilisateurs=options.utilisateurs,
                duree=options.duree,
                base=options.base,
                markdown=options.markdown,
            )
        )
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        parser.error("DATABASE_URL est requis (serveur PostgreSQL où créer les bases du banc).")
    nom = base_url.rsplit("/", 1)[1] or "plie"
    petite = preparer(base_url, f"{nom}_bench_petite", options.petite, options.garder)
    grande = preparer(base_url, f"{nom}_bench_grande", options.grande, options.garder)
    tours = ([], [])
    for tour in range(max(options.tours, 1)):
        pages_seules = options.pages or tour > 0
        tours[0].append(mesurer(petite, pages_seules))
        tours[1].append(mesurer(grande, pages_seules))
    resultats = (combiner(tours[0]), combiner(tours[1]))
    print(tableau(*resultats, options.markdown, (options.petite, options.grande)))


if __name__ == "__main__":
    main()
