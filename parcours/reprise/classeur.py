"""Le rapport d'une reprise en XLSX : une feuille « Comptes », une « Refus », une « Doublons ».
Les textes lus dans l'export ne deviennent jamais des formules (`neutraliser`)."""

from parcours.core.exports import neutraliser


def ecrire_rapport_xlsx(rapport, fichier) -> None:
    """Écrit le classeur dans `fichier` (chemin ou fichier binaire)."""
    from openpyxl import Workbook

    classeur = Workbook(write_only=True)
    comptes = classeur.create_sheet("Comptes")
    comptes.append([neutraliser(f"Reprise {rapport.source}")])
    comptes.append(["Entité", "Créés", "Mis à jour", "Inchangés", "Refusés"])
    for entite, c in rapport.comptes.items():
        comptes.append([entite.label, c.crees, c.mis_a_jour, c.inchanges, c.refuses])
    refus = classeur.create_sheet("Refus")
    refus.append(["Fichier", "Ligne", "Colonne", "Raison"])
    for r in rapport.refus:
        refus.append(
            [neutraliser(r.fichier), r.ligne, neutraliser(r.colonne), neutraliser(r.raison)]
        )
    doublons = classeur.create_sheet("Doublons")
    doublons.append(["Fichier", "Ligne", "Identifiant source", "Lié", "Personnes", "Raisons"])
    for lien in rapport.liens:
        doublons.append(
            [
                neutraliser(lien.fichier),
                lien.ligne,
                neutraliser(lien.source_id),
                "lié" if lien.lie else "doublon possible",
                ", ".join(lien.numeros),
                neutraliser(lien.raisons),
            ]
        )
    classeur.save(fichier)
