"""Les questionnaires FSE+ existants (un par parcours) reçoivent la catégorie DGEFP de leur
niveau de diplôme national (docs/fse.md, « Correspondances ») ; le niveau national reste,
rien n'est perdu. Ils restent hors participation jusqu'à ce que le PLIE déclare ses opérations
(commande `rattacher_operations_fse`)."""

from django.db import migrations
from django.db.models import Case, Value, When

# Figé ici (la table vivante est parcours/fse/categories.py ; un test vérifie qu'elles
# concordent).
DIPLOME_DEPUIS_NIVEAU_NATIONAL = {
    1: "2b",
    2: "2b",
    3: "2c",
    4: "2c",
    5: "2d",
    6: "2d",
    7: "2d",
    8: "2d",
}


def categories_dgefp(apps, schema_editor):
    QuestionnaireFSE = apps.get_model("accompagnement", "QuestionnaireFSE")
    QuestionnaireFSE.objects.filter(niveau_diplome__isnull=False, diplome_dgefp="").update(
        diplome_dgefp=Case(
            *(
                When(niveau_diplome=niveau, then=Value(code))
                for niveau, code in DIPLOME_DEPUIS_NIVEAU_NATIONAL.items()
            ),
            default=Value(""),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0012_participations_fse")]

    # elidable : ne convertit que des lignes existantes ; la migration écrasée (base neuve) s'en passe.
    operations = [migrations.RunPython(categories_dgefp, migrations.RunPython.noop, elidable=True)]
