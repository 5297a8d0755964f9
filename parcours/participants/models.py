from django.db import models
from django.db.models import Count, OuterRef, Subquery

from parcours.core.validators import texte_sur_une_ligne
from parcours.participants.enums import Sexe
from parcours.participants.normalisation import normaliser
from parcours.participants.recherche import seuil, trigrammes


class ParticipantQuerySet(models.QuerySet):
    def recherche(self, texte: str):
        """Chaque mot saisi doit apparaître dans le nom ou le prénom, accents et casse ignorés.

        Avec l'index trigramme (pg_trgm), `LIKE '%mot%'` est indexé pour chaque mot. Sans lui
        (serveur embarqué de développement), la même recherche parcourt la table : on garde le
        résultat attendu (un prénom se trouve) plutôt qu'un index de préfixe qui ne trouverait
        que le début du nom ; à l'échelle nationale, pg_trgm est requis (docs/deploiement.md)."""
        mots = normaliser(texte).split()
        qs = self
        for mot in mots:
            qs = qs.filter(recherche__contains=mot)
        return qs


def trigrammes_proches(texte: str, plie=None):
    """Sous-requête : les identifiants des personnes proches de `texte` (table `Trigramme`
    seule, parcours d'index). `plie` (la clé d'un PLIE) : les seuls trigrammes de ses personnes
    sont lus et comptés, pas ceux des homonymes du pays (docs/PERFORMANCE.md). Sans lui, chaque
    personne est comptée PLIE par PLIE (ses trigrammes y sont les mêmes)."""
    saisis = trigrammes(texte)
    qs = Trigramme.objects.filter(trigramme__in=saisis)
    if plie is not None:
        qs = qs.filter(plie_id=plie)
    return (
        qs.order_by()
        .values("participant_id", "plie_id")
        .annotate(communs=Count("*"))
        .filter(communs__gte=seuil(saisis))
        .values("participant_id")
    )


def proximite(texte: str, participant="participant_id", plie="plie_id"):
    """Expression : le nombre de trigrammes de `texte` que partage la personne `participant`
    dans le PLIE `plie` (colonnes de la requête englobante, un parcours), pour ranger les
    résultats approchés."""
    communs = (
        Trigramme.objects.filter(
            participant_id=OuterRef(participant),
            plie_id=OuterRef(plie),
            trigramme__in=trigrammes(texte),
        )
        .order_by()
        .values("participant_id")
        .annotate(communs=Count("*"))
        .values("communs")
    )
    return Subquery(communs, output_field=models.IntegerField())


class Participant(models.Model):
    """Une personne ; ses parcours successifs (un par entrée en PLIE) pointent vers elle."""

    nom = models.CharField("nom", max_length=150, validators=[texte_sur_une_ligne])
    prenom = models.CharField("prénom", max_length=150, validators=[texte_sur_une_ligne])
    nom_naissance = models.CharField(
        "nom de naissance", max_length=150, blank=True, validators=[texte_sur_une_ligne]
    )
    date_naissance = models.DateField("date de naissance")
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    email = models.EmailField("courriel", blank=True)
    telephone = models.CharField(
        "téléphone", max_length=30, blank=True, validators=[texte_sur_une_ligne]
    )
    adresse = models.CharField(
        "adresse", max_length=300, blank=True, validators=[texte_sur_une_ligne]
    )
    commune_insee = models.CharField(
        "commune (code INSEE)", max_length=5, blank=True, validators=[texte_sur_une_ligne]
    )
    commune_nom = models.CharField(
        "commune", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    recherche = models.CharField(max_length=400, editable=False, db_index=True)
    # Identité effacée au terme de sa conservation (parcours.rgpd, docs/rgpd.md) : la fiche ne
    # garde que ce que comptent les bilans (sexe, année de naissance, commune).
    anonymise_le = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "participant"
        ordering = ["nom", "prenom", "id"]
        indexes = [
            models.Index(fields=["date_naissance"]),
            # Le tri de la liste (nom, prénom, id) ; la recherche : migration 0004.
            models.Index(fields=["nom", "prenom", "id"], name="participant_tri_nom"),
        ]

    def __str__(self):
        return f"{self.nom.upper()} {self.prenom}"

    def save(self, *args, **kwargs):
        self.recherche = normaliser(f"{self.nom} {self.nom_naissance} {self.prenom}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)

    @property
    def numero(self) -> str:
        return numero(self.pk)


def numero(pk: int) -> str:
    """Le numéro affiché d'une personne : `P000041`."""
    return f"P{pk:06d}"


class Trigramme(models.Model):
    """Un trigramme de la forme de recherche d'une personne, **dans un PLIE où elle a un
    parcours** : l'index de la recherche approchée (parcours/participants/recherche.py), lu PLIE
    par PLIE. Jamais écrit par Django : des déclencheurs PostgreSQL (migration 0008) le tiennent
    à jour à chaque écriture de `Participant.recherche` et à chaque parcours créé, rattaché à une
    autre personne ou à un autre PLIE, ou supprimé, y compris par SQL (générateur de jeu,
    anonymisation, reprise). Une personne sans parcours n'y est pas : la recherche ne la
    montrerait à personne."""

    # Pas d'index propre : la contrainte d'unicité commence par la personne.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    plie = models.ForeignKey(
        "core.PLIE", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    trigramme = models.CharField(max_length=3)

    class Meta:
        verbose_name = "trigramme de recherche"
        indexes = [
            # Lu par PLIE et trigramme : les personnes du PLIE qui le contiennent (index seul).
            models.Index(
                fields=["plie", "trigramme", "participant"], name="participant_trigramme_plie"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "plie", "trigramme"], name="participant_trigramme_unique"
            ),
        ]

    def __str__(self):
        return f"{self.participant_id} « {self.trigramme} » ({self.plie_id})"
