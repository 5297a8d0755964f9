"""Les nouvelles d'une candidature : un courriel à qui l'a proposée, à chaque décision."""

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import Positionnement
from parcours.clauses.services.embauche import parcours_du_positionnement
from parcours.courriels.services import envoyer_courriel

# Ce que l'on dit à la personne qui a proposé la candidature, selon l'état atteint.
NOUVELLES = {
    StatutPositionnement.NON_ELIGIBLE: "n'a pas été retenue à la vérification d'éligibilité",
    StatutPositionnement.POSITIONNEE: "a été présentée à l'entreprise",
    StatutPositionnement.RETENUE: "a été retenue par l'entreprise",
    StatutPositionnement.NON_RETENUE: "n'a pas été retenue par l'entreprise",
    StatutPositionnement.EMBAUCHEE: "a abouti à une embauche",
}


def informer_proposant(positionnement: Positionnement, *, par):
    """Un courriel à qui a proposé la candidature (référent, prescripteur) : où elle en est et
    pourquoi ; gardé dans le dossier du participant s'il en a un. Rien s'il s'agit de `par`."""
    nouvelle = NOUVELLES.get(positionnement.statut)
    if nouvelle is None or positionnement.propose_par_id == par.pk:
        return None
    besoin = positionnement.besoin
    lignes = [
        f"La candidature de {positionnement.personne} sur le poste « {besoin.poste} » "
        f"(marché {besoin.marche.numero}) {nouvelle}."
    ]
    motif = positionnement.transitions.order_by("-at", "-id").values_list("motif", flat=True)
    motif = motif.first()
    if motif:
        lignes.append(f"Motif : {motif}")
    if positionnement.statut == StatutPositionnement.EMBAUCHEE:
        lignes.append(
            f"{positionnement.get_type_contrat_display()} chez {positionnement.employeur} à "
            f"partir du {positionnement.date_embauche:%d/%m/%Y}."
        )
        if positionnement.participant_id:
            lignes.append(
                "Son référent inscrit l'embauche dans le parcours (contrat et étape) : la tâche "
                "l'attend dans sa boîte de tâches."
            )
    lignes.append(f"\n{par.get_full_name() or par.username}, facilitateur clauses")
    return envoyer_courriel(
        destinataires=[positionnement.propose_par],
        sujet=f"Clause sociale : {positionnement.personne} — {positionnement.get_statut_display()}",
        corps="Bonjour,\n\n" + "\n".join(lignes),
        parcours=parcours_du_positionnement(positionnement),
        par=par,
    )
