"""La sonde du test à données hostiles (test_fuzz_formulaires.py) : elle envoie chaque requête
dans un point de sauvegarde annulé, compte ce qu'elle a essayé et relève les erreurs 500."""

import re
from collections import Counter
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client

from tests.demo_du_module import demo_du_module
from tests.securite.fuzz import VARIANTES, lire_formulaires, remplir, signature

# Dossiers gardés dans l'échantillon de chaque contrôle FSE+ de la démo du module (cinq dans la
# démo de `make run`) : l'archive du contrôle met en page un PDF par dossier, et chaque compte
# qui la voit la demande ; deux dossiers suffisent aux écrans (liste, dossier, retrait, ZIP).
DOSSIERS_DU_CONTROLE = 2


def echantillons_reduits():
    from parcours.reporting.models import ControleFse

    for controle in ControleFse.objects.all():
        gardees = list(controle.participations.order_by("pk")[:DOSSIERS_DU_CONTROLE])
        controle.participations.set(gardees)
        controle.taille = len(gardees)
        controle.save(update_fields=["taille"])


def demo_du_fuzz():
    """La démo du module (tests/demo_du_module.py), aux échantillons de contrôle réduits."""
    return demo_du_module(preparer=echantillons_reduits)


class Sonde:
    """Envoie les requêtes, chacune dans un point de sauvegarde annulé, et compte."""

    def __init__(self, user):
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.erreurs = []
        self.compte = Counter()
        self.vus = set()  # formulaires déjà assaillis : (adresse nommée, signature)
        self.adresses_postees = set()
        # Requêtes déjà envoyées (méthode, adresse, données) : chacune est annulée, la même
        # requête rejouée (un formulaire commun à deux pages) recevrait la même réponse.
        self.envoyees = set()

    def envoyer(self, methode, url, donnees=None):
        """La réponse ; None si la même requête a déjà été envoyée (déjà jugée)."""
        cle = (methode, url, tuple(sorted((k, tuple(v)) for k, v in (donnees or {}).items())))
        if cle in self.envoyees:
            self.compte["doublons"] += 1
            return None
        with transaction.atomic():
            if methode == "post":
                reponse = self.client.post(url, donnees or {})
            else:
                reponse = self.client.get(url, donnees or {})
            if reponse.streaming:
                # Lu jusqu'au bout : le client de test ferme alors le fichier envoyé.
                b"".join(reponse.streaming_content)
            transaction.set_rollback(True)
        self.compte[methode] += 1
        if reponse.status_code >= 500:
            self.erreurs.append(f"{methode.upper()} {url} {donnees!r:.300} → {reponse.status_code}")
        self.envoyees.add(cle)
        return reponse

    def formulaires(self, url):
        reponse = self.envoyer("get", url)
        if not page_html(reponse):
            return reponse, []
        return reponse, lire_formulaires(reponse.content.decode(), url)

    def assaillir(self, url, nom):
        """GET la page, puis chaque formulaire de la page (et chacun de ses boutons) ; un
        formulaire identique à un formulaire déjà assailli sur la même adresse nommée (un autre
        objet du même écran) ne l'est pas de nouveau."""
        reponse, formulaires = self.formulaires(url)
        for formulaire in formulaires:
            if not urlsplit(formulaire.action).path.startswith("/app/"):
                continue
            cle = (nom, signature(formulaire))
            if cle in self.vus:
                continue
            self.vus.add(cle)
            self.adresses_postees.add(nom)
            self.compte["formulaires"] += 1
            boutons = formulaire.boutons or [None]
            for variante in range(VARIANTES):
                for bouton in boutons:
                    donnees = remplir(formulaire, variante)
                    if donnees is None:
                        continue
                    if bouton is not None:
                        donnees[bouton[0]] = [bouton[1]]
                    self.envoyer(formulaire.methode, formulaire.action, donnees)
        return reponse


def page_html(reponse):
    return (
        reponse is not None
        and reponse.status_code == 200
        and not reponse.streaming
        and "html" in reponse.get("Content-Type", "")
    )


# Les PDF déjà mis en page, par HTML source : l'archive d'un contrôle FSE (`fse:controle_zip`,
# un PDF weasyprint par dossier) contient le dossier que `fse:controle_dossier_zip` remet en page
# ensuite, et l'archive ou le bilan d'une opération est le même pour chaque compte qui le voit. Le
# HTML reste rendu à chaque requête ; seule la conversion d'un HTML identique, aux noms des comptes
# et à la minute d'édition près (« Établi le … par … »), n'est pas refaite : elle est déterministe.
_PDF = {}
_MOMENT = re.compile(r"\d\d/\d\d/\d{4} à \d\d:\d\d")


def _cle(html, noms):
    html = _MOMENT.sub("", html)
    for nom in noms:
        html = html.replace(nom, "")
    return html


@contextmanager
def pdf_deja_mis_en_page(comptes):
    """`comptes` : les comptes de démonstration, dont les noms peuvent figurer dans les PDF."""
    import weasyprint

    noms = sorted({n for u in comptes for n in (u.get_full_name(), u.username) if n}, key=len)[::-1]

    class HTML(weasyprint.HTML):
        def __init__(self, *args, string=None, base_url=None, **kwargs):
            super().__init__(*args, string=string, base_url=base_url, **kwargs)
            self._source = None if args or kwargs else (base_url, string)

        def write_pdf(self, target=None, **options):
            fichier = target is None or hasattr(target, "write")
            if options or self._source is None or not fichier:
                return super().write_pdf(target, **options)
            cle = (self._source[0], _cle(self._source[1], noms))
            if cle not in _PDF:
                _PDF[cle] = super().write_pdf()
            if target is None:
                return _PDF[cle]
            target.write(_PDF[cle])
            return None

    with (
        mock.patch.object(weasyprint, "HTML", HTML),
        # Ces modules ont importé la classe elle-même.
        mock.patch("parcours.reporting.bilans.pdf.HTML", HTML),
        mock.patch("parcours.clauses.exports.HTML", HTML),
    ):
        yield
