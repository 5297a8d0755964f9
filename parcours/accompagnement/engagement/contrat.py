"""Le contrat d'engagement réciproque : le générer (PDF), enregistrer ses signatures et sa copie
signée, l'ouvrir sans PDF (contrat papier du PLIE)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.engagement.commun import (
    date_admission,
    du_groupe,
    ecrit_en_dernier,
    en_date,
    remplacer_fichier,
    verifier_droits_et_etat,
)
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.engagement import (
    CHAMPS_SIGNATURE,
    ContratEngagement,
    Signataire,
)
from parcours.accompagnement.pdf import pdf_contrat
from parcours.core.errors import TransitionInterdite
from parcours.core.fichiers import verifier_fichier
from parcours.referentiel.sections.engagement import de as regles_engagement


def contrat_de(parcours: Parcours) -> ContratEngagement | None:
    return ContratEngagement.objects.filter(parcours=parcours).first()


def _contrat(parcours: Parcours) -> ContratEngagement:
    contrat = contrat_de(parcours)
    if contrat is None:
        contrat = ContratEngagement.objects.create(
            parcours=parcours, signataires=list(regles_engagement(parcours.plie).signataires)
        )
    contrat.parcours = parcours
    return contrat


def _contrat_modifiable(contrat: ContratEngagement, statut: Statut) -> None:
    if statut != Statut.ADMIS:
        raise TransitionInterdite(
            "L'accompagnement est engagé : le contrat d'engagement signé n'est plus modifiable."
        )


@transaction.atomic
def generer_contrat(parcours: Parcours, par, *, objectifs: str | None = None) -> ContratEngagement:
    """Produit le PDF du contrat (WeasyPrint, gabarit engagement/contrat.html).

    `objectifs` : les objectifs convenus au premier entretien (None : inchangés). Le contrat
    se régénère tant qu'aucune signature ni copie signée n'est enregistrée.
    """

    statut = verifier_droits_et_etat(parcours, par, "générer le contrat d'engagement")
    contrat = _contrat(parcours)
    _contrat_modifiable(contrat, statut)
    if contrat.a_une_signature:
        raise TransitionInterdite(
            "Le contrat a déjà des signatures : le régénérer changerait le document signé. "
            "Effacez les dates de signature avant de le régénérer."
        )
    if objectifs is not None:
        contrat.objectifs = objectifs.strip()
    contrat.genere_le = timezone.now()
    contrat.genere_par = par
    remplacer_fichier(contrat.fichier, "contrat.pdf", ContentFile(pdf_contrat(contrat)))
    contrat.save()
    return contrat


@ecrit_en_dernier
def enregistrer_signatures(
    contrat: ContratEngagement, par, dates: dict, copie_signee=None
) -> ContratEngagement:
    """Enregistre les dates de signature et, le cas échéant, la copie signée.

    `dates` : signataire (`participant`, `referent`, `animation`) → date de signature, ou None
    pour l'effacer ; un signataire absent du dictionnaire garde sa date. Chaque date : pas dans
    le futur, pas avant l'admission. `copie_signee` : le scan du contrat signé (PDF, JPEG ou PNG,
    10 Mo au plus ; None : inchangée). Erreurs : ValidationError par signataire / `copie_signee`.
    """
    parcours = contrat.parcours
    statut = verifier_droits_et_etat(
        parcours, par, "enregistrer les signatures du contrat d'engagement"
    )
    contrat = ContratEngagement.objects.select_for_update().get(pk=contrat.pk)
    contrat.parcours = parcours
    _contrat_modifiable(contrat, statut)
    erreurs: dict[str, list[str]] = {}
    aujourdhui = timezone.localdate()
    admission = date_admission(parcours)
    nouvelles = {}
    for signataire, valeur in dates.items():
        try:
            code = Signataire(signataire)
        except ValueError:
            erreurs[str(signataire)] = [
                f"Signataire inconnu « {signataire} » "
                f"(signataires : {', '.join(Signataire.values)})."
            ]
            continue
        if code.value not in contrat.signataires:
            erreurs[code.value] = [
                f"Dans ce PLIE, {code.label} ne signe pas le contrat d'engagement "
                f"(signataires : {', '.join(Signataire(s).label for s in contrat.signataires)})."
            ]
            continue
        try:
            date = en_date(valeur)
        except (TypeError, ValueError):
            erreurs[code.value] = [
                f"Date de signature illisible pour {code.label} : « {valeur} » (AAAA-MM-JJ)."
            ]
            continue
        if date is not None and date > aujourdhui:
            erreurs[code.value] = [
                f"La date de signature {du_groupe(code.label)} ne peut pas être dans le futur "
                f"({date:%d/%m/%Y})."
            ]
        elif date is not None and date < admission:
            erreurs[code.value] = [
                f"La date de signature {du_groupe(code.label)} ({date:%d/%m/%Y}) ne peut pas "
                f"précéder l'admission du {admission:%d/%m/%Y}."
            ]
        else:
            nouvelles[code] = date
    if copie_signee is not None:
        try:
            verifier_fichier(copie_signee, champ="Copie signée du contrat")
        except ValidationError as exc:
            erreurs["copie_signee"] = exc.messages
    if erreurs:
        raise ValidationError(erreurs)
    for code, date in nouvelles.items():
        setattr(contrat, CHAMPS_SIGNATURE[code], date)
    if copie_signee is not None:
        contrat.copie_deposee_le = timezone.now()
        contrat.copie_deposee_par = par
    # Les auteurs (`par`, l'utilisateur qui agit) ne sont pas revérifiés en base.
    contrat.full_clean(
        exclude=["parcours", "fichier", "copie_signee", "genere_par", "copie_deposee_par"]
    )
    if copie_signee is not None:
        # Après full_clean : refusé, l'enregistrement ne laisse pas l'ancienne copie à effacer.
        remplacer_fichier(contrat.copie_signee, copie_signee.name, copie_signee)
    contrat.save()
    return contrat


@ecrit_en_dernier
def ouvrir_contrat(parcours: Parcours, par) -> ContratEngagement:
    """Le contrat du parcours, créé au besoin (signataires d'après le référentiel en vigueur),
    pour enregistrer des signatures sans avoir généré le PDF (contrat papier du PLIE)."""
    verifier_droits_et_etat(parcours, par, "ouvrir le contrat d'engagement")
    return _contrat(parcours)
