"""Section facultative `conservation` du référentiel : combien de temps le PLIE garde les pièces
justificatives et l'identité des personnes une fois leur parcours clos (docs/rgpd.md).

```yaml
conservation:
  documents_annees: 3                # pièces : 3 ans après le 31 décembre de l'année de clôture
  documents_pas_avant: "2031-12-31"   # facultatif : date limite des contrôles, si on la connaît
  donnees_fse_jusqu_au: "2033-12-31"  # données FSE : gardées (identité comprise) jusqu'à cette date
  identite_annees: 5                 # identité : N ans après le 31 décembre de l'année de clôture
```

Absente, ou pour une clé absente : les valeurs par défaut ci-dessous. Une échéance tombe toujours
un 31 décembre ; la suppression a lieu le lendemain au plus tôt (`appliquer_conservation`).
Accesseur : `de(plie, date)` -> `ReglesConservation`.
"""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import Verificateur, contenu_en_vigueur

CLE = "conservation"
OBLIGATOIRE = False

# Sources (../shared/seeds/) :
# - 001:L7896-7900 : « conserver les pièces justificatives des dépenses déclarées jusqu'à la date
#   limite à laquelle sont susceptibles d'intervenir les contrôles, soit trois ans à compter du
#   31 décembre suivant la déclaration des dépenses […] Vous serez informé de cette date par le
#   service gestionnaire » : `documents_annees` et, la date connue, `documents_pas_avant` ;
# - 001:L7996-7998 : les questionnaires FSE sont à conserver « pendant toute la durée de la
#   programmation » ; 001:L8077-8078 : les données FSE « seront conservées jusqu'au
#   31 décembre 2033 » : `donnees_fse_jusqu_au`, avant laquelle aucune identité n'est effacée
#   (les contrôles tirent des dossiers au hasard et les examinent entièrement : 002:L363) ;
# - la durée de conservation de l'identité après la clôture n'est fixée par aucune source :
#   5 ans, à confirmer par chaque PLIE (`identite_annees`).
DEFAUTS = {
    "documents_annees": 3,
    "documents_pas_avant": None,
    "donnees_fse_jusqu_au": "2033-12-31",
    "identite_annees": 5,
}
ANNEES_MAX = 30
DATE_MIN, DATE_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


@dataclass(frozen=True)
class ReglesConservation:
    documents_annees: int
    documents_pas_avant: datetime.date | None
    donnees_fse_jusqu_au: datetime.date
    identite_annees: int

    def fin_documents(self, cloture: datetime.date) -> datetime.date:
        """Dernier jour de conservation des pièces d'un parcours clos le `cloture`."""
        fin = datetime.date(cloture.year + self.documents_annees, 12, 31)
        return max(fin, self.documents_pas_avant) if self.documents_pas_avant else fin

    def fin_identite(self, cloture: datetime.date) -> datetime.date:
        """Dernier jour de conservation de l'identité, pour un parcours clos le `cloture`."""
        return max(datetime.date(cloture.year + self.identite_annees, 12, 31), self.fin_fse)

    @property
    def fin_fse(self) -> datetime.date:
        return self.donnees_fse_jusqu_au


def _date(valeur) -> datetime.date | None:
    if valeur is None or isinstance(valeur, datetime.date):
        return valeur
    return datetime.date.fromisoformat(valeur)


def du_contenu(contenu: dict | None) -> ReglesConservation:
    """Les règles en vigueur : celles du référentiel (`contenu` : son contenu, déjà validé),
    complétées des valeurs par défaut."""
    valeurs = {**DEFAUTS, **((contenu or {}).get(CLE) or {})}
    return ReglesConservation(
        documents_annees=valeurs["documents_annees"],
        documents_pas_avant=_date(valeurs["documents_pas_avant"]),
        donnees_fse_jusqu_au=_date(valeurs["donnees_fse_jusqu_au"]),
        identite_annees=valeurs["identite_annees"],
    )


def de(plie, date: datetime.date | None = None) -> ReglesConservation:
    """Les règles du référentiel en vigueur à `date` (aujourd'hui par défaut)."""
    return du_contenu(contenu_en_vigueur(plie, date))


def _verifier_date(v: Verificateur, valeur, chemin):
    if isinstance(valeur, str):
        try:
            valeur = datetime.date.fromisoformat(valeur)
        except ValueError:
            v.erreur(chemin, "une date AAAA-MM-JJ est attendue")
            return
    if not isinstance(valeur, datetime.date) or isinstance(valeur, datetime.datetime):
        v.erreur(chemin, "une date AAAA-MM-JJ est attendue")
    elif not DATE_MIN <= valeur <= DATE_MAX:
        v.erreur(chemin, f"doit être comprise entre {DATE_MIN.year} et {DATE_MAX.year}")


def valider(v: Verificateur, section) -> None:
    if not isinstance(section, dict):
        v.erreur("conservation", "une table (clé: valeur) est attendue")
        return
    for cle, valeur in section.items():
        chemin = f"conservation.{cle}"
        if cle not in DEFAUTS:
            v.erreur(chemin, f"clé inconnue (clés connues : {', '.join(DEFAUTS)})")
        elif cle.endswith("_annees"):
            if isinstance(valeur, bool) or not isinstance(valeur, int):
                v.erreur(chemin, "un nombre entier d'années est attendu")
            elif not 0 <= valeur <= ANNEES_MAX:
                v.erreur(chemin, f"doit être compris entre 0 et {ANNEES_MAX} ans")
        elif not (cle == "documents_pas_avant" and valeur is None):
            _verifier_date(v, valeur, chemin)
