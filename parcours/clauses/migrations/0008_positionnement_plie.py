"""Le PLIE du marché recopié sur la candidature (docs/PERFORMANCE.md, piste e) : ajouté vide,
rempli depuis besoin → marché ; rendu obligatoire par la migration suivante (une transaction
chacune : les contrôles différés des clés étrangères empêchent l'ALTER après l'UPDATE)."""

import django.db.models.deletion
from django.db import migrations, models

REMPLIR = """
UPDATE clauses_positionnement p SET plie_id = m.plie_id
FROM clauses_besoin b JOIN clauses_marche m ON m.id = b.marche_id
WHERE b.id = p.besoin_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("clauses", "0007_besoin_modifie_le"),
    ]

    operations = [
        migrations.AddField(
            model_name="positionnement",
            name="plie",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.plie",
            ),
        ),
        # elidable : ne convertit que des lignes existantes ; la migration écrasée (base neuve) s'en passe.
        migrations.RunSQL(REMPLIR, migrations.RunSQL.noop, elidable=True),
    ]
