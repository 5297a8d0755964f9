"""Les indicateurs des relations entreprises (DOMAIN §5), agrégés en SQL : une requête par
famille, groupée par PLIE, quel que soit le volume."""

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Q
from django.utils import timezone

from parcours.entreprises.enums import StatutMiseEnRelation, StatutOffre, TrancheEffectif
from parcours.entreprises.models import DiffusionOffre, Entreprise, MiseEnRelation, OffreEmploi


class PlusSixMois(Func):
    """`date + 6 mois` en calendrier (PostgreSQL) : le 31/08 donne le 28 ou 29/02."""

    template = "((%(expressions)s) + interval '6 months')::date"
    output_field = DateField()


def _par_plie(queryset, champ_plie, **agregats):
    lignes = queryset.values(champ_plie).annotate(**agregats).order_by()
    return {ligne.pop(champ_plie): ligne for ligne in lignes}


def indicateurs_par_plie(plies) -> list[dict]:
    ids = [p.pk for p in plies]
    entreprises = _par_plie(
        Entreprise.objects.filter(plie_id__in=ids),
        "plie_id",
        total=Count("pk"),
        partenaires=Count("pk", filter=Q(partenaire=True)),
        tpe=Count(
            "pk", filter=Q(tranche_effectif__in=[TrancheEffectif.AUCUN, TrancheEffectif.TPE])
        ),
    )
    diffusee = Exists(DiffusionOffre.objects.filter(offre_id=OuterRef("pk")))
    offres = _par_plie(
        OffreEmploi.objects.filter(plie_id__in=ids).annotate(a_ete_diffusee=diffusee),
        "plie_id",
        collectees=Count("pk"),
        diffusees=Count("pk", filter=Q(a_ete_diffusee=True)),
        pourvues=Count("pk", filter=Q(statut=StatutOffre.POURVUE)),
        cloturees=Count("pk", filter=Q(statut=StatutOffre.CLOTUREE)),
        en_cours=Count(
            "pk",
            filter=Q(
                statut__in=[StatutOffre.COLLECTEE, StatutOffre.QUALIFIEE, StatutOffre.DIFFUSEE]
            ),
        ),
    )
    # Embauches dont le contrat a commencé il y a 6 mois au moins ; parmi elles, celles dont le
    # contrat a duré 6 mois (pas de fin avant le même jour, 6 mois plus tard).
    il_y_a_6_mois = timezone.localdate() - relativedelta(months=6)
    embauche_ancienne = Q(statut=StatutMiseEnRelation.EMBAUCHE, contrat__debut__lte=il_y_a_6_mois)
    mises = _par_plie(
        MiseEnRelation.objects.filter(offre__plie_id__in=ids).annotate(
            six_mois_apres=PlusSixMois(F("contrat__debut"))
        ),
        "offre__plie_id",
        embauches_6_mois=Count("pk", filter=embauche_ancienne),
        en_poste_6_mois=Count(
            "pk",
            filter=embauche_ancienne
            & (Q(contrat__fin__isnull=True) | Q(contrat__fin__gte=F("six_mois_apres"))),
        ),
        total=Count("pk"),
        **{
            statut.value: Count("pk", filter=Q(statut=statut.value))
            for statut in StatutMiseEnRelation
        },
    )
    vues = []
    for plie in plies:
        m = mises.get(plie.pk, {})
        total = m.get("total", 0)
        vues.append(
            {
                "plie": plie,
                "entreprises": entreprises.get(plie.pk, {"total": 0, "partenaires": 0, "tpe": 0}),
                "offres": offres.get(
                    plie.pk,
                    {"collectees": 0, "diffusees": 0, "pourvues": 0, "cloturees": 0, "en_cours": 0},
                ),
                "mises_total": total,
                "mises": [
                    (statut.label, m.get(statut.value, 0)) for statut in StatutMiseEnRelation
                ],
                "embauches": m.get(StatutMiseEnRelation.EMBAUCHE.value, 0),
                "embauches_6_mois": m.get("embauches_6_mois", 0),
                "en_poste_6_mois": m.get("en_poste_6_mois", 0),
                "taux_embauche": round(100 * m.get("embauche", 0) / total) if total else None,
            }
        )
    return vues
