"""Section facultative `suivi_emploi` du référentiel : les délais du suivi dans l'emploi et de la
sortie (docs/emploi.md). Absente, ou pour une clé absente : les valeurs par défaut ci-dessous.

```yaml
suivi_emploi:
  appel_jours: 7               # appel du CRE dans la première semaine du contrat
  retour_referent_jours: 15    # retour du CRE au référent, dans les 15 jours du début
  visite_sans_essai_jours: 30  # visite en entreprise quand le contrat n'a pas de période d'essai
  contacts_mensuels: 6         # contacts mensuels du référent pendant les 6 premiers mois
  proposer_sortie_jours: 15    # délai pour proposer la sortie quand les critères sont remplis
```

Le délai de saisie des données FSE+ de sortie vient de la section `suivi`
(`suivi.fse_sortie_semaines`, 4 semaines par défaut : parcours/referentiel/suivi.py).
"""

from parcours.referentiel.validation import Erreur

DEFAUTS = {
    "appel_jours": 7,  # 002:L728 : appel dans la première semaine
    "retour_referent_jours": 15,  # DOMAIN §2.5 : retour au référent sous 15 jours
    "visite_sans_essai_jours": 30,  # visite « avant la fin de la période d'essai »
    "contacts_mensuels": 6,  # suivi de 6 mois (002:L728-741)
    "proposer_sortie_jours": 15,
}
FSE_SORTIE_SEMAINES = 4  # 001:L7938 : données de sortie sous 4 semaines (section `suivi`)
MAXIMUMS = {
    "appel_jours": 31,
    "retour_referent_jours": 62,
    "visite_sans_essai_jours": 366,
    "contacts_mensuels": 24,
    "proposer_sortie_jours": 120,
}


def valider_suivi_emploi(section) -> list[Erreur]:
    """Les erreurs de la section (chemins préfixés par `suivi_emploi`)."""
    if not isinstance(section, dict):
        return [Erreur("suivi_emploi", "une table (clé: valeur) est attendue")]
    erreurs = []
    for cle, valeur in section.items():
        chemin = f"suivi_emploi.{cle}"
        if cle not in DEFAUTS:
            erreurs.append(Erreur(chemin, f"clé inconnue (clés connues : {', '.join(DEFAUTS)})"))
        elif isinstance(valeur, bool) or not isinstance(valeur, int):
            erreurs.append(Erreur(chemin, "un nombre entier est attendu"))
        elif not 1 <= valeur <= MAXIMUMS[cle]:
            erreurs.append(Erreur(chemin, f"doit être compris entre 1 et {MAXIMUMS[cle]}"))
    return erreurs


def delais_suivi_emploi(contenu: dict | None) -> dict[str, int]:
    """Les délais en vigueur : ceux du référentiel (`contenu` : son contenu), complétés des
    valeurs par défaut ; plus `fse_sortie_semaines`, lu dans la section `suivi`."""
    contenu = contenu or {}
    delais = {**DEFAUTS, **(contenu.get("suivi_emploi") or {})}
    suivi = contenu.get("suivi") or {}
    delais["fse_sortie_semaines"] = suivi.get("fse_sortie_semaines", FSE_SORTIE_SEMAINES)
    return delais


def delais_du_plie(plie, date=None) -> dict[str, int]:
    from parcours.referentiel.models import Referentiel

    referentiel = Referentiel.objects.en_vigueur(plie, date)
    return delais_suivi_emploi(referentiel.contenu if referentiel else None)
