import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clauses", "0008_positionnement_plie"),
    ]

    operations = [
        migrations.AlterField(
            model_name="positionnement",
            name="plie",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.plie",
            ),
        ),
    ]
