"""Publics et équité (000:L570) : personnes distinctes, heures et part des heures par public
(femmes, moins de 26 ans au mois des heures, RSA, QPV, RQTH, participants, candidats externes),
pour le périmètre et par donneur d'ordre."""

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from parcours.accompagnement.models import StatutDeclare
from parcours.clauses.exports import taux
from parcours.clauses.rapports.periode import SANS_BORNE, ZERO, Periode, heures_du_perimetre
from parcours.participants.enums import StatutSocial
from parcours.participants.normalisation import normaliser

PUBLICS = (
    ("toutes", "Toutes les personnes"),
    ("femme", "Femmes"),
    ("jeune", "Moins de 26 ans"),
    ("rsa", "Allocataires du RSA"),
    ("qpv", "Résidents d'un QPV"),
    ("rqth", "Travailleurs handicapés (RQTH)"),
    ("participant", "Participants du PLIE"),
    ("externe", "Candidats externes"),
)


def _statut_declare(codes) -> Exists:
    return Exists(
        StatutDeclare.objects.filter(
            prescription__parcours__participant_id=OuterRef("participant_id"),
            prescription__parcours__plie_id=OuterRef("marche__plie_id"),
            code__in=codes,
        )
    )


def _drapeaux() -> dict:
    """Les publics d'une ligne d'heures, en expressions SQL (booléens)."""
    age_26 = ExpressionWrapper(
        F("mois") - Func(Value(26), function="make_interval", output_field=DateTimeField()),
        output_field=DateTimeField(),
    )

    def booleen(q):
        return ExpressionWrapper(q, output_field=BooleanField())

    return {
        "p_femme": booleen(Q(participant__sexe="F") | Q(candidat_externe__sexe="F")),
        "p_jeune": booleen(
            Q(participant__date_naissance__gt=age_26)
            | Q(candidat_externe__date_naissance__gt=age_26)
        ),
        "p_rsa": booleen(
            Q(candidat_externe__rsa=True)
            | Q(_statut_declare([StatutSocial.RSA, StatutSocial.RSA_MAJORE]))
        ),
        "p_qpv": booleen(Q(candidat_externe__qpv=True) | Q(_statut_declare([StatutSocial.QPV]))),
        "p_rqth": booleen(Q(candidat_externe__rqth=True) | Q(_statut_declare([StatutSocial.RQTH]))),
        "p_participant": booleen(Q(participant__isnull=False)),
        "p_externe": booleen(Q(candidat_externe__isnull=False)),
    }


def _agregats_publics() -> dict:
    agregats = {}
    for code, _libelle in PUBLICS:
        filtre = Q() if code == "toutes" else Q(**{f"p_{code}": True})
        agregats[f"{code}_heures"] = Coalesce(Sum("heures", filter=filtre), ZERO)
        agregats[f"{code}_participants"] = Count("participant", filter=filtre, distinct=True)
        agregats[f"{code}_externes"] = Count("candidat_externe", filter=filtre, distinct=True)
    return agregats


def publics(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Par public : personnes distinctes, heures et part des heures. Une requête."""
    qs = heures_du_perimetre(marches, periode).annotate(**_drapeaux())
    return _lignes_publics(qs.aggregate(**_agregats_publics()))


def publics_par_donneur(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Les publics de chaque donneur d'ordre (une ligne par donneur ayant des heures). Une
    requête groupée."""
    groupes = (
        heures_du_perimetre(marches, periode)
        .annotate(**_drapeaux())
        .values("marche__operation__donneur_ordre_id", "marche__operation__donneur_ordre__nom")
        .annotate(**_agregats_publics())
        .order_by()
    )
    lignes = [
        {
            "pk": g["marche__operation__donneur_ordre_id"],
            "nom": g["marche__operation__donneur_ordre__nom"],
            "publics": _lignes_publics(g),
        }
        for g in groupes
    ]
    return sorted(lignes, key=lambda ligne: normaliser(ligne["nom"]))


def _lignes_publics(resultat: dict) -> list[dict]:
    total = resultat["toutes_heures"]
    lignes = []
    for code, libelle in PUBLICS:
        heures = resultat[f"{code}_heures"]
        lignes.append(
            {
                "code": code,
                "libelle": libelle,
                "personnes": resultat[f"{code}_participants"] + resultat[f"{code}_externes"],
                "heures": heures,
                "part": taux(heures, total),
            }
        )
    return lignes
