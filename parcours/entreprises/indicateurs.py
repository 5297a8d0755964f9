"""Les indicateurs des relations entreprises (DOMAIN §5), agrégés en SQL : une requête par
famille, groupée par PLIE, quel que soit le volume."""

from django.db.models import Count, Exists, OuterRef, Q

from parcours.entreprises.enums import StatutMiseEnRelation, StatutOffre, TrancheEffectif
from parcours.entreprises.models import DiffusionOffre, Entreprise, MiseEnRelation, OffreEmploi


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
    mises = _par_plie(
        MiseEnRelation.objects.filter(offre__plie_id__in=ids),
        "offre__plie_id",
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
                "taux_embauche": round(100 * m.get("embauche", 0) / total) if total else None,
            }
        )
    return vues
