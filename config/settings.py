"""Réglages uniques, lus depuis l'environnement.

DJANGO_DEBUG=1 active les valeurs de développement (clé secrète, hôtes locaux) ; sans lui, la
clé secrète et les hôtes autorisés sont obligatoires (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS).
DATABASE_URL absent : serveur PostgreSQL embarqué dans .data/pg (voir config/embedded_pg.py).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Ce que disent les erreurs de réglages : une commande lancée d'un shell neuf sur un poste de
# développement n'a pas DJANGO_DEBUG (README, « Outils en ligne de commande »).
EN_DEVELOPPEMENT = (
    " En développement (base embarquée), préfixer la commande par DJANGO_DEBUG=1, ex. "
    "« DJANGO_DEBUG=1 python manage.py importer_heures … » (README, « Outils en ligne de "
    "commande »)."
)

if DEBUG:
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY et DJANGO_ALLOWED_HOSTS sont obligatoires sans DJANGO_DEBUG "
            "(production)." + EN_DEVELOPPEMENT
        )

INSTALLED_APPS = [
    # L'admin Django, réservé aux superutilisateurs de l'instance (config/administration.py).
    "config.administration.AdministrationInstanceConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "parcours.core",
    "parcours.tracabilite",
    "parcours.referentiel",
    "parcours.participants",
    "parcours.fse",
    "parcours.accompagnement",
    "parcours.courriels",
    "parcours.commissions",
    "parcours.emploi",
    "parcours.entreprises",
    "parcours.clauses",
    # Ce que le PLIE rend compte (export Ma Démarche FSE, indicateurs) : lit les apps ci-dessus.
    "parcours.reporting",
    # Conservation, anonymisation, droit d'accès (docs/rgpd.md) : au-dessus des apps qu'il lit.
    "parcours.rgpd",
    # Reprise de l'historique depuis un autre outil (docs/reprise.md).
    "parcours.reprise",
    "workflows",
    # Données de démonstration (make run) : au-dessus de tout, rien n'en dépend.
    "demo",
]

MIDDLEWARE = [
    # Sondes /sante/ et /pret/ avant tout le reste : ni hôte vérifié, ni redirection HTTPS, ni
    # session, ni trace (config/sante.py).
    "config.sante.SondesMiddleware",
    # L'adresse du client derrière un répartiteur de confiance, avant tout ce qui la lit
    # (verrouillage des connexions, journal des accès) : config/mandataires.py.
    "config.mandataires.MandatairesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Fichiers statiques servis par l'application elle-même, sans CDN (docs/deploiement.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # L'utilisateur courant pour filtrer le menu de gauche (config/menu.py).
    "config.menu.UtilisateurDuMenuMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Les 403/404 en français aussi en DEBUG (config/erreurs.py).
    "config.erreurs.PagesErreurMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
]

ROOT_URLCONF = "config.urls"
# Formulaire au jeton CSRF manquant ou périmé : une page en français (config/erreurs.py).
CSRF_FAILURE_VIEW = "config.erreurs.formulaire_expire"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.context_processors.navigation",
            ],
            # Les filtres `nombre` et `heures` dans tous les gabarits, sans {% load %}.
            "builtins": ["workflows.templatetags.nombres"],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    _database_url = os.environ["DATABASE_URL"]
elif DEBUG:
    from config.embedded_pg import database_url

    _database_url = database_url()
else:
    raise ImproperlyConfigured(
        "DATABASE_URL est obligatoire quand DJANGO_DEBUG est désactivé (production)."
        + EN_DEVELOPPEMENT
    )

DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# La politique d'accès avant django-guardian : elle répond seule aux droits qu'elle définit
# (parcours/acces/backend.py) sans requête guardian de plus.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "parcours.acces.backend.PolitiqueAccesBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 caractères : avec le verrouillage, cas n° 2 de la recommandation CNIL 2022-100 (50 bits
    # d'entropie ; 12 minuscules en donnent 56). docs/securite.md.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # pas d'utilisateur anonyme en base : tout exige une connexion

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# `collectstatic` y range les fichiers (noms avec empreinte, compressés) que WhiteNoise sert.
STATIC_ROOT = Path(os.environ.get("PLIE_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("PLIE_MEDIA_ROOT", BASE_DIR / ".data" / "media"))
# Dépôts de l'écran de reprise (docs/reprise.md) : les fichiers entre l'aperçu et la confirmation,
# supprimés ensuite ; un dossier du serveur partagé par ses processus, jamais servi. Vide : le
# dossier temporaire du système (/tmp/plie-reprise).
REPRISE_DEPOTS = os.environ.get("PLIE_REPRISE_DEPOTS") or None
# Au-delà de ce nombre de lignes, la reprise confirmée à l'écran se fait en tâche de fond
# (`executer_reprises`) ; vide : `parcours.reprise.travaux.SEUIL_FOND` ; 0 : toujours en fond.
if os.environ.get("PLIE_REPRISE_SEUIL_FOND"):
    try:
        PLIE_REPRISE_SEUIL_FOND = int(os.environ["PLIE_REPRISE_SEUIL_FOND"])
    except ValueError:
        raise ImproperlyConfigured("PLIE_REPRISE_SEUIL_FOND : un nombre de lignes.") from None
# Documents (docs/documents.md) : MEDIA_ROOT n'est servi par aucune adresse (pas de MEDIA_URL) ;
# chaque document passe par la vue de téléchargement, qui applique la politique d'accès. En
# production, le serveur web peut envoyer le fichier à sa place : X-Accel-Redirect (nginx, préfixe
# d'un emplacement `internal`, ex. /protege/) ou X-Sendfile (Apache mod_xsendfile).
# Plusieurs serveurs d'application : PLIE_STOCKAGE=s3, un stockage S3 compatible
# (config/stockage/).
STORAGES = {
    "default": {"BACKEND": "parcours.core.documents.StockageDocuments"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Production : noms à empreinte (cache d'un an) et versions gzip/brotli, au prix d'un
# `collectstatic` de plusieurs minutes (viewflow livre ~150 Mo de polices et de scripts) ;
# PLIE_STATIQUES=simples : une copie en quelques secondes, servie par WhiteNoise sans empreinte.
PLIE_STATIQUES = os.environ.get("PLIE_STATIQUES", "simples" if DEBUG else "compresses")
if PLIE_STATIQUES == "compresses":
    STORAGES["staticfiles"]["BACKEND"] = "config.stockage.statiques.StatiquesCompresses"
elif PLIE_STATIQUES != "simples":
    raise ImproperlyConfigured("PLIE_STATIQUES vaut « compresses » ou « simples ».")
PLIE_DOCUMENTS_X_ACCEL = os.environ.get("PLIE_DOCUMENTS_X_ACCEL", "")
PLIE_DOCUMENTS_X_SENDFILE = env_bool("PLIE_DOCUMENTS_X_SENDFILE", False)
PLIE_STOCKAGE = os.environ.get("PLIE_STOCKAGE", "fichiers")
if PLIE_STOCKAGE == "s3":
    from config.stockage import stockage_s3

    STORAGES["default"] = stockage_s3(PLIE_DOCUMENTS_X_ACCEL or PLIE_DOCUMENTS_X_SENDFILE)
elif PLIE_STOCKAGE != "fichiers":
    raise ImproperlyConfigured("PLIE_STOCKAGE vaut « fichiers » (défaut) ou « s3 ».")

# Sessions dans PostgreSQL : partagées par tous les serveurs d'application, sans autre service.
# Deux caches : `default`, local à chaque processus, ne tient que des fragments de gabarit
# (l'avatar du bandeau de viewflow) qu'il est sans danger de recalculer par nœud ; en base, il
# coûterait une requête de plus à chaque page. `partage` (table `plie_cache`, créée par
# `createcachetable` ; Redis avec PLIE_REDIS_URL, paquet `redis`) sert ce qui doit valoir pour
# tous les nœuds ; la sonde /pret/ le vérifie (docs/deploiement.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "partage": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["PLIE_REDIS_URL"],
        }
        if os.environ.get("PLIE_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "plie_cache"}
    ),
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "plie@localhost")

PAGINATE_BY = 25

# Journal des accès (parcours.tracabilite, docs/rgpd.md) : durée de conservation des traces.
PLIE_TRACES_CONSERVATION_JOURS = int(os.environ.get("PLIE_TRACES_CONSERVATION_JOURS", "365"))

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Sécurité de l'authentification et des pages (docs/securite.md) ---
import datetime  # noqa: E402

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS += ["axes", "csp"]
MIDDLEWARE += [
    # CSP sauf pour les PDF (config/securite.py) ; Permissions-Policy minimale.
    "config.securite.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Trace des refus (403/404) sur les URL d'objet de /app/.
    "parcours.tracabilite.middleware.TracerRefusMiddleware",
    # En dernier (django-axes) : remplace la réponse d'une connexion verrouillée.
    "axes.middleware.AxesMiddleware",
]
# django-axes en premier : il refuse la connexion d'un couple identifiant + IP verrouillé avant
# que le mot de passe soit seulement vérifié.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]

# Verrouillage après PLIE_CONNEXION_ECHECS échecs, pendant PLIE_CONNEXION_VERROUILLAGE_MINUTES,
# par couple identifiant + adresse IP : les identifiants se devinent (`role.plie`), un verrouillage
# par identifiant seul laisserait n'importe qui bloquer le compte d'un autre.
AXES_FAILURE_LIMIT = int(os.environ.get("PLIE_CONNEXION_ECHECS", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("PLIE_CONNEXION_VERROUILLAGE_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Une tentative pendant le verrouillage ne le prolonge pas : il dure AXES_COOLOFF_TIME.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Le journal des connexions est parcours.tracabilite (une seule conservation, docs/rgpd.md).
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "workflows.connexion.reponse_verrouillage"
AXES_USERNAME_CALLABLE = "workflows.connexion.identifiant_saisi"
# L'adresse du couple identifiant + adresse : REMOTE_ADDR, que `MandatairesMiddleware` a fixée
# depuis X-Forwarded-For pour les seules requêtes venues d'un répartiteur de confiance
# (PLIE_MANDATAIRES_DE_CONFIANCE : adresses ou réseaux, séparés par des virgules ; vide par
# défaut : l'en-tête n'est lu pour personne). docs/securite.md, « Production ».
PLIE_MANDATAIRES_DE_CONFIANCE = env_list("PLIE_MANDATAIRES_DE_CONFIANCE")
AXES_CLIENT_IP_CALLABLE = "config.mandataires.adresse_pour_axes"

# Session : fermée avec le navigateur et au plus DJANGO_SESSION_COOKIE_AGE secondes (8 heures).
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Aucune ressource hors du site (l'application marche hors ligne). Scripts : fichiers statiques du
# site ou nonce ; styles en ligne permis (attributs style= de viewflow, voir docs/securite.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = {
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# --- API des partenaires (docs/api.md) ---
# DRF sous /api/v1/, schéma OpenAPI 3 (drf-spectacular) ; Swagger UI servi par le site
# (drf-spectacular-sidecar) : aucun script extérieur, la CSP reste « self ».
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workflows.api.authentification.AuthentificationParCle",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["workflows.api.droits.DroitDeLaCle"],
    "DEFAULT_THROTTLE_CLASSES": ["workflows.api.debit.DebitParCle"],
    "DEFAULT_PAGINATION_CLASS": "workflows.api.pagination.PaginationApi",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "workflows.api.erreurs.gerer_exception",
}
# Requêtes par minute et par clé (ou par compte connecté), comptées dans le cache `partage` :
# la même limite sur tous les serveurs d'application.
PLIE_API_DEBIT_PAR_MINUTE = int(os.environ.get("PLIE_API_DEBIT_PAR_MINUTE", "120"))
SPECTACULAR_SETTINGS = {
    "TITLE": "API du moteur de parcours PLIE",
    "DESCRIPTION": (
        "Prescriptions, parcours, contrats, heures d'insertion, besoins et offres, pour les "
        "partenaires d'un PLIE. Authentification par clé d'API (en-tête « Authorization: "
        "Bearer plie_… ») ; voir docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "persistAuthorization": False},
    # Plusieurs champs « statut » ou « type » : un nom d'énumération par ensemble de choix.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workflows.api.schema.reponses_d_erreur",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StatutParcoursEnum": "parcours.accompagnement.enums.Statut",
        "StatutEtapeEnum": "parcours.accompagnement.enums.StatutEtape",
        "StatutBesoinEnum": "parcours.clauses.enums.StatutBesoin",
        "StatutOffreEnum": "parcours.entreprises.enums.StatutOffre",
        "TypeContratEnum": "parcours.emploi.enums.TypeContrat",
    },
}
