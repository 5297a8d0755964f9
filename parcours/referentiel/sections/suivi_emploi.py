"""Section facultative `suivi_emploi` : les délais du suivi dans l'emploi et de la sortie
(docs/emploi.md). Absente, ou pour une clé absente : les valeurs par défaut ci-dessous.

```yaml
suivi_emploi:
  appel_jours: 7               # appel du CRE dans la première semaine du contrat
  retour_referent_jours: 15    # retour du CRE au référent, dans les 15 jours du début
  visite_sans_essai_jours: 30  # visite en entreprise quand le contrat n'a pas de période d'essai
  contacts_mensuels: 6         # contacts mensuels du référent pendant les 6 premiers mois
  proposer_sortie_jours: 15    # délai pour proposer la sortie quand les critères sont remplis
```

Le délai de saisie des données FSE+ de sortie vient de la section `suivi`
(`suivi.fse_sortie_semaines`, 4 semaines par défaut : sections/suivi.py).
"""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import Verificateur, contenu_en_vigueur
from parcours.referentiel.sections import suivi

CLE = "suivi_emploi"
OBLIGATOIRE = False
DEFAUTS = {
    "appel_jours": 7,  # 002:L728 : appel dans la première semaine
    "retour_referent_jours": 15,  # DOMAIN §2.5 : retour au référent sous 15 jours
    "visite_sans_essai_jours": 30,  # visite « avant la fin de la période d'essai »
    "contacts_mensuels": 6,  # suivi de 6 mois (002:L728-741)
    "proposer_sortie_jours": 15,
}
MAXIMUMS = {
    "appel_jours": 31,
    "retour_referent_jours": 62,
    "visite_sans_essai_jours": 366,
    "contacts_mensuels": 24,
    "proposer_sortie_jours": 120,
}


@dataclass(frozen=True)
class DelaisSuiviEmploi:
    appel_jours: int
    retour_referent_jours: int
    visite_sans_essai_jours: int
    contacts_mensuels: int
    proposer_sortie_jours: int
    fse_sortie_semaines: int  # lu dans la section `suivi`


def du_contenu(contenu: dict | None) -> DelaisSuiviEmploi:
    """Les délais du référentiel (`contenu` : son contenu), complétés des valeurs par défaut."""
    contenu = contenu or {}
    return DelaisSuiviEmploi(
        **{**DEFAUTS, **(contenu.get(CLE) or {})},
        fse_sortie_semaines=suivi.du_contenu(contenu).fse_sortie_semaines,
    )


def de(plie, date: datetime.date | None = None) -> DelaisSuiviEmploi:
    """Les délais en vigueur à `date` (aujourd'hui par défaut)."""
    return du_contenu(contenu_en_vigueur(plie, date))


def aux_dates(plie, dates) -> dict[datetime.date, DelaisSuiviEmploi]:
    """Les délais en vigueur à chacune des `dates`, en une requête (les versions du PLIE) : pour
    une passe sur beaucoup de contrats (la reprise), au lieu d'une lecture par contrat."""
    from parcours.referentiel.models import Referentiel

    versions = list(
        Referentiel.objects.filter(plie=plie)
        .order_by("date_effet")
        .values_list("date_effet", "contenu")
    )
    delais = {}
    for date in set(dates):
        en_vigueur = [contenu for effet, contenu in versions if effet <= date]
        delais[date] = du_contenu(en_vigueur[-1] if en_vigueur else None)
    return delais


def valider(v: Verificateur, section) -> None:
    if not isinstance(section, dict):
        v.erreur("suivi_emploi", "une table (clé: valeur) est attendue")
        return
    for cle, valeur in section.items():
        chemin = f"suivi_emploi.{cle}"
        if cle not in DEFAUTS:
            v.erreur(chemin, f"clé inconnue (clés connues : {', '.join(DEFAUTS)})")
        elif isinstance(valeur, bool) or not isinstance(valeur, int):
            v.erreur(chemin, "un nombre entier est attendu")
        elif not 1 <= valeur <= MAXIMUMS[cle]:
            v.erreur(chemin, f"doit être compris entre 1 et {MAXIMUMS[cle]}")
