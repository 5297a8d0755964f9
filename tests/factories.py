import datetime

import factory
from django.utils import timezone

from parcours.accompagnement.models import Parcours, Prescription
from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE, Commune, Membership, Structure, Territoire, User
from parcours.participants.models import Participant


class PLIEFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PLIE
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"plie-{n}")
    nom = factory.LazyAttribute(lambda o: f"PLIE {o.code}")


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire

    plie = factory.SubFactory(PLIEFactory)
    code = factory.Sequence(lambda n: f"territoire-{n}")
    nom = factory.LazyAttribute(lambda o: f"Territoire {o.code}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    territoire = factory.SubFactory(TerritoireFactory)
    plie = factory.SelfAttribute("territoire.plie")
    insee = factory.Sequence(lambda n: f"{47000 + n:05d}")
    nom = factory.Sequence(lambda n: f"Commune {n}")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    plie = factory.SubFactory(PLIEFactory)
    nom = factory.Sequence(lambda n: f"Structure {n}")
    type = TypeStructure.OPERATEUR


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@exemple.fr")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password("motdepasse")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.REFERENT
    debut = datetime.date(2020, 1, 1)


def membre(role, structure, **kwargs):
    """Un utilisateur tenant `role` dans `structure` (adhésion active)."""
    return MembershipFactory(role=role, structure=structure, **kwargs).user


def membre_nomme(role, structure, username, prenom, nom):
    """Un membre à l'identifiant et au nom lisibles (les parcours navigateur le nomment)."""
    return membre(
        role, structure, user__username=username, user__first_name=prenom, user__last_name=nom
    )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    nom = factory.Sequence(lambda n: f"Nom{n}")
    prenom = "Alex"
    date_naissance = datetime.date(1980, 5, 17)
    sexe = "F"


class ParcoursFactory(factory.django.DjangoModelFactory):
    """Un parcours prescrit ; le trait d'état le fait passer par les vraies transitions."""

    class Meta:
        model = Parcours

    participant = factory.SubFactory(ParticipantFactory)
    plie = factory.SubFactory(PLIEFactory)
    territoire = factory.SubFactory(TerritoireFactory, plie=factory.SelfAttribute("..plie"))
    date_prescription = factory.LazyFunction(timezone.localdate)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    """Une prescription déjà évaluée éligible (trait `ineligible` pour l'inverse)."""

    class Meta:
        model = Prescription

    motif = "Accompagnement renforcé vers l'emploi"
    eligibilite = {"eligible": True, "criteres": []}

    class Params:
        ineligible = factory.Trait(
            eligibilite={
                "eligible": False,
                "criteres": [
                    {"code": "residence", "satisfait": False, "explication": "Hors territoire"}
                ],
            }
        )


def parcours_en(monde, statut, plie=1, structure="a", participant=None, engagement=True):
    """Un parcours du PLIE `plie`, prescrit par la structure `structure`, suivi par le référent
    de la structure `structure`, amené à `statut` par les vraies transitions.

    Dès l'admission, son engagement (contrat signé, questionnaire FSE+, pièces) est complété
    par les vrais services ; `engagement=False` laisse un dossier admis à engager."""
    from parcours.accompagnement.chemins import amener, completer_engagement
    from parcours.core.enums import Role

    prescripteur = monde.user(Role.PRESCRIPTEUR, structure, plie)
    parcours = ParcoursFactory(
        plie=monde.plie(plie),
        territoire=monde.territoire(plie),
        prescripteur=prescripteur,
        structure_prescriptrice=monde.structure("prescripteur", structure, plie),
        **({"participant": participant} if participant else {}),
    )
    PrescriptionFactory(parcours=parcours)
    acteurs = {
        "animateur": monde.user(Role.ANIMATEUR, "a", plie),
        "commission": monde.user(Role.COMMISSION, "a", plie),
        "prescripteur": prescripteur,
    }
    return amener(
        parcours,
        statut,
        acteurs,
        referent=monde.user(Role.REFERENT, structure, plie),
        engagement=completer_engagement if engagement else None,
    )


def le_jour_de_la_seance(session):
    """La séance de commission a lieu aujourd'hui (plus tard dans la journée) : ses décisions
    s'enregistrent (docs/commissions.md « Quand décider »), et elle reste à venir pour
    l'inscription et l'ordre du jour. Les séances se planifient dans le futur : les tests qui
    décident sur une séance planifiée la font arriver par là."""
    import datetime

    from django.utils import timezone

    from parcours.commissions.models import SessionCommission

    ce_soir = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59, 59))
    )
    SessionCommission.objects.filter(pk=session.pk).update(date=ce_soir)
    session.refresh_from_db()
    return session


def parcours_copies(modele, personnes) -> None:
    """Un parcours pour chaque personne de `personnes` (clés), copié de `modele` (même PLIE,
    même état), en une instruction SQL : des milliers de dossiers pour les statistiques d'un
    test de plan, ou une écriture en bloc (reprise, générateur)."""
    from django.db import connection

    from parcours.accompagnement.models import Parcours

    colonnes = [
        f.column for f in Parcours._meta.concrete_fields if f.column not in ("id", "participant_id")
    ]
    liste = ", ".join(connection.ops.quote_name(c) for c in colonnes)
    copie = ", ".join(f"m.{connection.ops.quote_name(c)}" for c in colonnes)
    with connection.cursor() as curseur:
        curseur.execute(
            f"INSERT INTO accompagnement_parcours ({liste}, participant_id) "
            f"SELECT {copie}, p FROM accompagnement_parcours m, unnest(%s::bigint[]) p "
            "WHERE m.id = %s",
            [list(personnes), modele.pk],
        )


def suivis_en_bloc(modele, nombre: int, nom: str, recherche_sql: str) -> list[int]:
    """`nombre` personnes écrites en une instruction (forme de recherche : l'expression SQL
    `recherche_sql`, fonction de `g` de 1 à `nombre`), chacune suivie par une copie de `modele`,
    puis les statistiques des tables de la recherche recalculées : les homonymes d'une vraie
    table pour un test de plan. Renvoie les clés des personnes."""
    from django.db import connection

    with connection.cursor() as curseur:
        curseur.execute(
            "INSERT INTO participants_participant (nom, prenom, nom_naissance, date_naissance, "
            "sexe, email, telephone, adresse, commune_insee, commune_nom, recherche, created_at, "
            f"updated_at) SELECT %s, 'X', '', '1980-01-01', 'F', '', '', '', '', '', "
            f"{recherche_sql}, now(), now() FROM generate_series(1, %s) g RETURNING id",
            [nom, nombre],
        )
        personnes = [pk for (pk,) in curseur.fetchall()]
    parcours_copies(modele, personnes)
    with connection.cursor() as curseur:
        curseur.execute(
            "ANALYZE participants_trigramme, participants_participant, accompagnement_parcours"
        )
    return personnes
