"""La recherche d'une personne (docs/participants.md « Recherche ») : par numéro, par date de
naissance, par nom — accents et casse ignorés, une faute de frappe tolérée.

Une saisie se lit mot à mot : `P000041`, `p41` ou `41` est un numéro ; `12/03/1985`,
`12-03-1985`, `12.03.1985` ou `1985-03-12` une date de naissance ; le reste, des mots du nom.

Les mots du nom se cherchent en deux temps :
1. **exact** : chaque mot est contenu dans le nom, le nom de naissance ou le prénom (forme
   normalisée `Participant.recherche`, index trigramme de pg_trgm quand le serveur l'a) ;
2. **approché**, seulement si l'exact ne trouve rien : par les trigrammes du nom (table
   `Trigramme`, par PLIE, tenue par des déclencheurs PostgreSQL, migrations 0005 et 0008 : le
   même index sur tout serveur, pg_trgm ou pas). Une personne est retenue quand elle partage au
   moins `SEUIL_APPROCHE` des trigrammes de la saisie ; la liste la range du plus proche au moins
   proche (`lambrt` partage 5 des 7 trigrammes de « lambert »).

Les trigrammes d'un mot sont ceux de pg_trgm : le mot précédé de deux espaces et suivi d'une,
découpé en fenêtres de trois caractères (« dur » → `  d`, ` du`, `dur`, `ur `).
"""

import datetime
import math
import re
from dataclasses import dataclass, field

from parcours.participants.normalisation import normaliser

SEUIL_APPROCHE = 0.4
_NUMERO = re.compile(r"p?0*([0-9]{1,9})", re.IGNORECASE)
_DATE_FR = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def trigrammes(texte: str) -> list[str]:
    """Les trigrammes distincts d'un texte normalisé, dans l'ordre où ils apparaissent : la même
    découpe que la fonction SQL `participants_trigrammes` (migration 0005)."""
    vus = {}
    for mot in normaliser(texte).split():
        entoure = f"  {mot} "
        for i in range(len(mot) + 1):
            vus.setdefault(entoure[i : i + 3], None)
    return list(vus)


def seuil(trigrammes_saisis) -> int:
    """Le nombre de trigrammes de la saisie qu'une personne doit partager (au moins 2)."""
    return max(2, math.ceil(len(trigrammes_saisis) * SEUIL_APPROCHE))


def _date(mot: str) -> datetime.date | None:
    if trouve := _DATE_FR.fullmatch(mot):
        jour, mois, annee = (int(x) for x in trouve.groups())
    elif trouve := _DATE_ISO.fullmatch(mot):
        annee, mois, jour = (int(x) for x in trouve.groups())
    else:
        return None
    try:
        return datetime.date(annee, mois, jour)
    except ValueError:
        return None


@dataclass
class Saisie:
    """Une saisie lue : numéros, dates de naissance, mots du nom."""

    texte: str = ""
    numeros: list[int] = field(default_factory=list)
    dates: list[datetime.date] = field(default_factory=list)
    mots: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.numeros or self.dates or self.mots)

    @property
    def nom(self) -> str:
        return " ".join(self.mots)


def lire(texte: str) -> Saisie:
    """Découpe une saisie en numéros, dates et mots du nom."""
    saisie = Saisie(texte=texte or "")
    for brut in (texte or "").split():
        if trouve := _NUMERO.fullmatch(brut):
            saisie.numeros.append(int(trouve.group(1)))
        elif (date := _date(brut)) is not None:
            saisie.dates.append(date)
        else:
            saisie.mots.extend(normaliser(brut).split())
    return saisie
