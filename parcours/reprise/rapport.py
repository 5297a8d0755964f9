"""Le rapport d'une reprise : par entité, créés, mis à jour, inchangés, refusés ; les lignes
refusées (fichier, ligne, colonne, raison) ; les personnes liées à une personne déjà connue et
les doublons possibles à vérifier."""

from dataclasses import dataclass, field

from parcours.reprise.enums import Entite


@dataclass
class Comptes:
    crees: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0
    refuses: int = 0


@dataclass(frozen=True)
class Lien:
    """Une ligne du fichier et la personne déjà connue à laquelle elle est liée (ou pourrait
    l'être : `lie` faux, doublon possible à vérifier, une nouvelle personne a été créée)."""

    fichier: str
    ligne: int
    source_id: str
    numeros: tuple[str, ...]
    raisons: str
    lie: bool


@dataclass
class Rapport:
    source: str
    dry_run: bool = False
    comptes: dict = field(default_factory=lambda: {e: Comptes() for e in Entite})
    refus: list = field(default_factory=list)
    liens: list = field(default_factory=list)
    fichiers_absents: list = field(default_factory=list)
    # Ce que les récepteurs de `reprise_terminee` disent du travail repris (processus, alertes).
    travail: list = field(default_factory=list)

    def noter_refus(self, entite, refus):
        self.refus.extend(refus)
        self.comptes[entite].refuses += len({(r.fichier, r.ligne) for r in refus})

    def texte(self) -> str:
        controle = " (contrôle sans enregistrement)" if self.dry_run else ""
        lignes = [f"Reprise {self.source}{controle}"]
        for entite, c in self.comptes.items():
            lignes.append(
                f"  {entite.label} : {c.crees} créé(s), {c.mis_a_jour} mis à jour, "
                f"{c.inchanges} inchangé(s), {c.refuses} refusé(s)"
            )
        lignes += [f"  {phrase}" for phrase in self.travail]
        for nom in self.fichiers_absents:
            lignes.append(f"  Fichier absent (rien repris) : {nom}")
        liees = [lien for lien in self.liens if lien.lie]
        possibles = [lien for lien in self.liens if not lien.lie]
        if liees:
            lignes.append(f"Personnes liées à une personne déjà connue ({len(liees)}) :")
            lignes += [
                f"  {lien.fichier}, ligne {lien.ligne} ({lien.source_id}) → "
                f"{lien.numeros[0]} : {lien.raisons}"
                for lien in liees
            ]
        if possibles:
            lignes.append(f"Doublons possibles à vérifier ({len(possibles)}) :")
            lignes += [
                f"  {lien.fichier}, ligne {lien.ligne} ({lien.source_id}) : nouvelle personne "
                f"créée ; proche de {', '.join(lien.numeros)} ({lien.raisons})"
                for lien in possibles
            ]
        if self.refus:
            lignes.append(f"Lignes refusées ({len(self.refus)}) — rien n'a été enregistré :")
            lignes += [f"  {r}" for r in self.refus]
        return "\n".join(lignes)


class RepriseRefusee(Exception):
    """Au moins une ligne refusée : rien n'est enregistré (tout ou rien)."""

    def __init__(self, rapport: Rapport):
        super().__init__(f"{len(rapport.refus)} ligne(s) refusée(s)")
        self.rapport = rapport
