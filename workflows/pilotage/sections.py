"""Les sections du tableau de bord : les indicateurs du registre regroupés par thème, une page
chacune (`?section=`). Toute l'année d'un PLIE de 5 000 participants en une page, c'était
17 agrégats et ~250 ms ; une section en calcule 3 à 8 (docs/tableaux_de_bord.md)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    code: str
    titre: str
    themes: tuple[str, ...]


SECTIONS = (
    Section("entrees", "Entrées et décisions", ("flux", "entrees")),
    Section("sorties", "Sorties et durées", ("sorties", "durees")),
    Section("activite", "Activité de l'accompagnement", ("activite",)),
    # La dernière reçoit aussi les indicateurs d'un thème qu'aucune section ne nomme.
    Section(
        "publics", "Publics, portefeuilles et objectifs", ("publics", "portefeuille", "objectifs")
    ),
)
PAR_CODE = {s.code: s for s in SECTIONS}


def section_de(indicateur) -> Section:
    """La section d'un indicateur : la première qui partage un de ses thèmes, sinon la dernière."""
    for section in SECTIONS:
        if set(section.themes) & set(indicateur.themes):
            return section
    return SECTIONS[-1]
