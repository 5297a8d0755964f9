"""Test de charge en boucle locale (issue 11, point 6) : `python -m bench --charge`.

Démarre `gunicorn config.wsgi` comme en production (DEBUG éteint, `PLIE_STATIQUES=simples`,
workers depuis WEB_CONCURRENCY) sur un port libre de 127.0.0.1, contre la base donnée ; N
clients concurrents (threads, `http.client`) se connectent chacun par le formulaire de connexion
avec un compte référent du jeu (`generer_jeu`, mot de passe de la démo), puis enchaînent pendant
D secondes : accueil (boîte de tâches), liste des participants, un de leurs dossiers, et
l'enregistrement d'un contact sur ce dossier par le vrai formulaire. Rapporte par type de
requête nombre, p50, p95, max et erreurs, puis compare les écritures annoncées aux lignes créées
en base (comptées par SQL, marquées par un identifiant du passage). Voir docs/PERFORMANCE.md.
"""

import contextlib
import datetime
import math
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from bench.production import ECOUTE, JETON_CSRF, RACINE, ClientHttp, gunicorn
from demo.donnees import DEMO_PASSWORD
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE

HOTE = "charge.plie.test"  # le nom public : DJANGO_ALLOWED_HOSTS du serveur lancé ici
DOSSIERS_PAR_COMPTE = 20
# Les requêtes, dans l'ordre d'un tour de chaque client (et du rapport).
TYPES = ("connexion", "accueil", "participants", "dossier", "formulaire", "écriture")


@dataclass
class Mesures:
    """Ce qu'un client a vu : durées (ms) et erreurs par type de requête, écritures réussies."""

    durees: dict[str, list[float]] = field(default_factory=dict)
    erreurs: dict[str, int] = field(default_factory=dict)
    exemples: list[str] = field(default_factory=list)
    ecritures: int = 0

    def noter(self, type_, ms, erreur=None):
        self.durees.setdefault(type_, []).append(ms)
        if erreur:
            self.erreur(type_, erreur)

    def erreur(self, type_, message):
        self.erreurs[type_] = self.erreurs.get(type_, 0) + 1
        if len(self.exemples) < 10:
            self.exemples.append(f"{type_} : {message}")

    def ajouter(self, autre: "Mesures"):
        for type_, durees in autre.durees.items():
            self.durees.setdefault(type_, []).extend(durees)
        for type_, nombre in autre.erreurs.items():
            self.erreurs[type_] = self.erreurs.get(type_, 0) + nombre
        self.exemples.extend(autre.exemples[: max(0, 10 - len(self.exemples))])
        self.ecritures += autre.ecritures


@dataclass
class Resultat:
    utilisateurs: int
    duree: float
    workers: str
    mesures: Mesures
    lignes_creees: int

    @property
    def nombre_erreurs(self) -> int:
        return sum(self.mesures.erreurs.values())

    @property
    def ecritures_perdues(self) -> int:
        return self.mesures.ecritures - self.lignes_creees

    @property
    def reussi(self) -> bool:
        return not self.nombre_erreurs and not self.ecritures_perdues and self.mesures.ecritures > 0


# --- La base : les comptes, les lignes écrites ----------------------------------------------


def comptes(base_url: str, nombre: int) -> list[tuple[str, list[int]]]:
    """Les référents actifs qui suivent des parcours ouverts, avec quelques-uns de ces parcours."""
    with psycopg.connect(base_url) as connexion:
        lignes = connexion.execute(
            """
            SELECT u.username, (array_agg(p.id ORDER BY p.id))[1:%s]
            FROM core_user u JOIN accompagnement_parcours p ON p.referent_id = u.id
            WHERE u.is_active AND p.statut = ANY(%s)
            GROUP BY u.username ORDER BY u.username LIMIT %s
            """,
            [DOSSIERS_PAR_COMPTE, [str(s) for s in STATUTS_FILE_ACTIVE], nombre],
        ).fetchall()
    if not lignes:
        raise SystemExit("Aucun référent avec un parcours ouvert : générez un jeu (generer_jeu).")
    return [(nom, list(dossiers)) for nom, dossiers in lignes]


def lignes_marquees(base_url: str, marque: str) -> int:
    """Les contacts enregistrés par ce passage (leur compte rendu porte la marque)."""
    with psycopg.connect(base_url) as connexion:
        return connexion.execute(
            "SELECT count(*) FROM accompagnement_entretien WHERE note = %s", [marque]
        ).fetchone()[0]


# --- Le serveur d'application -----------------------------------------------------------------


def environnement(base_url: str, dossier: Path) -> dict:
    """La production (docs/deploiement.md) : DEBUG éteint, HTTPS terminé par le répartiteur."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "charge-" + secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": HOTE,
        "DATABASE_URL": base_url,
        "PLIE_MEDIA_ROOT": str(dossier / "media"),
        "PLIE_STATIC_ROOT": str(dossier / "static"),
        "PLIE_STATIQUES": "simples",
        "PLIE_BIND": "127.0.0.1:0",
    }


@contextlib.contextmanager
def serveur(base_url: str, dossier: Path):
    """`gunicorn config.wsgi` (gunicorn.conf.py) sur un port libre ; arrêté à la sortie.

    Comme au déploiement, la table du cache partagé est créée d'abord (sans effet si elle existe :
    `generer_jeu` ne la crée pas, et /pret/ répond 503 sans elle)."""
    env = environnement(base_url, dossier)
    manage = [sys.executable, "manage.py", "createcachetable"]
    subprocess.run(manage, cwd=RACINE, env=env, check=True, capture_output=True)
    journal = dossier / "gunicorn.log"
    with gunicorn(env, journal) as processus:
        yield attendre_pret(processus, journal)


def attendre_pret(processus, journal: Path, delai=120) -> int:
    """Le port lu dans le journal, puis la sonde /pret/ (base et cache partagé) à 200."""
    fin, raison, port = time.monotonic() + delai, "", None
    while time.monotonic() < fin and processus.poll() is None:
        if port is None and (trouve := ECOUTE.search(journal.read_text(errors="replace"))):
            port = int(trouve.group(1))
        with contextlib.suppress(OSError):
            statut, _, contenu = Client(port).requete("GET", "/pret/") if port else (0, "", "")
            if statut == 200:
                return port
            raison = f"(/pret/ : HTTP {statut} {contenu.strip()}) " if statut else ""
        time.sleep(0.2)
    texte = journal.read_text(errors="replace")
    raise RuntimeError(f"gunicorn n'est pas prêt {raison}:\n{texte}")


# --- Un client --------------------------------------------------------------------------------


class Client(ClientHttp):
    """Le client d'un utilisateur du test : un serveur, des formulaires encodés en URL."""

    def __init__(self, port: int):
        super().__init__(HOTE)
        self.port = port

    def requete(self, methode, chemin, champs=None):
        """Rend (statut, Location, HTML)."""
        corps, entetes = None, None
        if champs is not None:
            corps = urlencode(champs).encode()
            entetes = {"Content-Type": "application/x-www-form-urlencoded"}
        reponse, contenu = super().requete(self.port, methode, chemin, corps, entetes)
        return reponse.status, reponse.getheader("Location") or "", contenu.decode(errors="replace")


class Utilisateur(threading.Thread):
    """Un client : connexion, puis des tours accueil → participants → dossier → contact."""

    def __init__(self, port, compte, dossiers, depart: threading.Barrier, horloge, marque, graine):
        super().__init__(daemon=True)
        self.client = Client(port)
        self.compte, self.dossiers, self.depart = compte, dossiers, depart
        self.horloge, self.marque = horloge, marque
        self.hasard = random.Random(graine)
        self.mesures = Mesures()

    def appel(self, type_, methode, chemin, champs=None, attendu=200, cible=""):
        """Une requête chronométrée ; statut inattendu ou exception = erreur. Rend le HTML."""
        debut = time.perf_counter()
        try:
            statut, location, contenu = self.client.requete(methode, chemin, champs)
        except Exception as exc:
            self.mesures.noter(type_, (time.perf_counter() - debut) * 1000, f"{chemin} : {exc!r}")
            return None
        ms = (time.perf_counter() - debut) * 1000
        if statut != attendu or (cible and cible not in location):
            self.mesures.noter(type_, ms, f"{methode} {chemin} : HTTP {statut} {location}".strip())
            return None
        self.mesures.noter(type_, ms)
        return contenu

    def jeton(self, type_, chemin):
        contenu = self.appel(type_, "GET", chemin)
        trouve = JETON_CSRF.search(contenu or "")
        if contenu is not None and not trouve:
            self.mesures.erreur(type_, f"{chemin} : pas de jeton CSRF")
        return trouve.group(1) if trouve else None

    def connecter(self) -> bool:
        jeton = self.jeton("connexion", "/connexion/")
        if not jeton:
            return False
        champs = {"csrfmiddlewaretoken": jeton, "username": self.compte, "password": DEMO_PASSWORD}
        return self.appel("connexion", "POST", "/connexion/", champs, attendu=302) is not None

    def ecrire(self, dossier):
        chemin = f"/app/suivi/parcours/{dossier}/entretiens/nouveau/"
        jeton = self.jeton("formulaire", chemin)
        if not jeton:
            return
        # Un contact d'hier (un entretien ne s'enregistre qu'une fois tenu).
        hier = datetime.datetime.now() - datetime.timedelta(days=1)
        champs = {
            "csrfmiddlewaretoken": jeton,
            "date": f"{hier:%Y-%m-%dT%H:%M}",
            "canal": "telephone",
            "presence": "present",
            "motif_absence": "",
            "note": self.marque,
        }
        cible = f"/parcours/{dossier}/entretiens/"
        if self.appel("écriture", "POST", chemin, champs, attendu=302, cible=cible) is not None:
            self.mesures.ecritures += 1

    def run(self):
        try:
            connecte = self.connecter()
        finally:
            self.depart.wait()  # tous les clients partent ensemble, même après un échec
        if not connecte:
            return
        while self.encore():
            self.tour(self.hasard.choice(self.dossiers))

    def encore(self) -> bool:
        return time.monotonic() < self.horloge["fin"]

    def tour(self, dossier):
        """Accueil, liste, dossier, contact : chaque étape seulement s'il reste du temps."""
        self.appel("accueil", "GET", "/app/accueil/")
        if self.encore():
            self.appel("participants", "GET", "/app/participants/")
        if self.encore():
            self.appel("dossier", "GET", f"/app/participants/parcours/{dossier}/")
        if self.encore():
            self.ecrire(dossier)


# --- Le passage et son rapport ----------------------------------------------------------------


def lancer(base_url: str, utilisateurs: int = 50, duree: float = 60) -> Resultat:
    """Le serveur, les N clients pendant `duree` secondes, puis le compte des lignes écrites."""
    disponibles = comptes(base_url, utilisateurs)
    marque = f"Test de charge {secrets.token_hex(8)}"
    horloge = {"fin": math.inf}

    def top_depart():
        horloge["fin"] = time.monotonic() + duree

    depart = threading.Barrier(utilisateurs + 1, action=top_depart)
    with (
        tempfile.TemporaryDirectory(prefix="plie-charge-") as dossier,
        serveur(base_url, Path(dossier)) as port,
    ):
        clients = [
            Utilisateur(port, *disponibles[i % len(disponibles)], depart, horloge, marque, i)
            for i in range(utilisateurs)
        ]
        for client in clients:
            client.start()
        depart.wait()
        debut = time.monotonic()
        for client in clients:
            client.join()
        ecoule = time.monotonic() - debut
    mesures = Mesures()
    for client in clients:
        mesures.ajouter(client.mesures)
    workers = os.environ.get("WEB_CONCURRENCY") or f"{2 * (os.cpu_count() or 1) + 1} (défaut)"
    return Resultat(utilisateurs, ecoule, workers, mesures, lignes_marquees(base_url, marque))


def centile(valeurs: list[float], q: float) -> float:
    """Le centile q (rang le plus proche) ; 0 sans valeur."""
    if not valeurs:
        return 0.0
    ordonnees = sorted(valeurs)
    return ordonnees[max(0, math.ceil(q * len(ordonnees)) - 1)]


def _ligne(type_: str, mesures: Mesures) -> list[str]:
    durees = mesures.durees.get(type_, [])
    chiffres = (centile(durees, 0.5), centile(durees, 0.95), max(durees, default=0))
    erreurs = str(mesures.erreurs.get(type_, 0))
    return [type_, str(len(durees)), *(f"{x:.0f}" for x in chiffres), erreurs]


def rapport(resultat: Resultat, markdown: bool = False) -> str:
    mesures = resultat.mesures
    entete = ["requête", "nombre", "p50 ms", "p95 ms", "max ms", "erreurs"]
    lignes = [_ligne(type_, mesures) for type_ in TYPES]
    total = sum(len(d) for t, d in mesures.durees.items() if t != "connexion")
    titre = (
        f"{resultat.utilisateurs} utilisateurs, {resultat.duree:.0f} s, "
        f"workers gunicorn : {resultat.workers} ; {total} requêtes "
        f"({total / max(resultat.duree, 0.001):.1f}/s, connexions à part)."
    )
    bilan = (
        f"Écritures annoncées par les clients : {mesures.ecritures} ; lignes créées en base : "
        f"{resultat.lignes_creees} ; perdues : {resultat.ecritures_perdues} ; "
        f"erreurs : {resultat.nombre_erreurs}."
    )
    if markdown:
        texte = [titre, "", "| " + " | ".join(entete) + " |", "|" + "---|" * len(entete)]
        texte += ["| " + " | ".join(ligne) + " |" for ligne in lignes]
    else:
        largeurs = [max(len(x[i]) for x in [entete, *lignes]) for i in range(len(entete))]
        texte = [titre, "  ".join(e.ljust(n) for e, n in zip(entete, largeurs, strict=True))]
        texte += [
            "  ".join(c.ljust(n) for c, n in zip(ligne, largeurs, strict=True)) for ligne in lignes
        ]
    texte += ["", bilan, *(f"  - {exemple}" for exemple in mesures.exemples)]
    return "\n".join(texte)


def main(*, utilisateurs: int, duree: float, base: str | None, markdown: bool) -> int:
    """Code de sortie : 0 sans erreur ni écriture perdue, 1 sinon."""
    base = base or os.environ.get("DATABASE_URL")
    if not base:
        raise SystemExit("--base ou DATABASE_URL est requis (la base du jeu à charger).")
    if utilisateurs < 1 or duree <= 0:
        raise SystemExit("--utilisateurs et --duree doivent être positifs.")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # le `finally` arrête gunicorn
    try:
        resultat = lancer(base, utilisateurs, duree)
    except psycopg.Error as exc:
        raise SystemExit(f"Base injoignable ou non migrée (generer_jeu ?) : {exc}") from exc
    print(rapport(resultat, markdown))
    return 0 if resultat.reussi else 1
