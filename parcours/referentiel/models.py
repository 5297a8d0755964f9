from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.validators import texte_sur_une_ligne


class ReferentielQuerySet(models.QuerySet):
    def en_vigueur(self, plie, date=None):
        """La version applicable à `date` : la plus récente dont la date d'effet est passée."""
        date = date or timezone.localdate()
        return self.filter(plie=plie, date_effet__lte=date).order_by("-date_effet").first()


class Referentiel(models.Model):
    """Une version datée des règles d'un PLIE, telle qu'importée de son fichier YAML.

    Hors de parcours/referentiel/, on ne lit pas `contenu` : chaque section a son accesseur
    typé (`parcours.referentiel.sections.<section>.de(plie, date)`)."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.CASCADE, related_name="referentiels")
    date_effet = models.DateField("date d'effet")
    libelle = models.CharField(
        "libellé", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    contenu = models.JSONField("contenu")
    source = models.CharField(
        "fichier source", max_length=300, blank=True, validators=[texte_sur_une_ligne]
    )
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    importe_le = models.DateTimeField("importé le", default=timezone.now)

    objects = ReferentielQuerySet.as_manager()

    class Meta:
        verbose_name = "version de référentiel"
        verbose_name_plural = "versions de référentiel"
        ordering = ["plie", "-date_effet"]
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "date_effet"], name="referentiel_une_version_par_date"
            ),
        ]

    def __str__(self):
        return f"{self.plie} — en vigueur au {self.date_effet:%d/%m/%Y}"
