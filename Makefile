# Deux commandes : `make run` (application + démo) et `make test` (toute la suite).
# Seuls Python 3.11, pip et make sont requis ; PostgreSQL est embarqué si DATABASE_URL est absent.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_DEBUG ?= 1

.PHONY: run test lint install install-test e2e-deps clean-db bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(PY) -m config.run

# Les parcours navigateur utilisent le chromium de Debian (/usr/bin/chromium) : `.ci/run`
# l'installe avec apt ; sur un poste, `sudo apt-get install chromium` une fois.
# Le serveur embarqué est arrêté à la fin s'il a été démarré pour les tests (pas s'il servait déjà
# un `make run`). Les dossiers temporaires des tests (documents déposés…) restent dans la copie :
# deux suites lancées en même temps depuis deux copies ne nettoient pas ceux de l'autre dans /tmp.
# Deux cœurs, un module entier à la fois, les plus longs d'abord (tests/durees.py). Le code est
# compilé une fois avant (moins d'une seconde) : là où PYTHONDONTWRITEBYTECODE est posé, chaque
# cœur et chaque sous-processus des tests (serveurs, commandes) le recompilerait (~0,8 s chacun).
test: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m compileall -q -j 0 parcours workflows config demo bench referentiels >/dev/null
	@deja=$$(test -f .data/pg/postmaster.pid && echo 1); \
	mkdir -p .data; $(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder --basetemp=.data/tmp-tests $(PYTEST_ARGS); status=$$?; \
	if [ -z "$$DATABASE_URL" ] && [ -z "$$deja" ]; then $(PY) -m config.embedded_pg stop; fi; \
	exit $$status

# Banc de mesure (docs/PERFORMANCE.md) : deux jeux (1 000 et 100 000 participants) sur le serveur
# de DATABASE_URL ; BENCH_ARGS="--grande 10000" pour réduire, "--garder" pour réutiliser les bases.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

lint: install-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean-db:
	-$(PY) -m config.embedded_pg stop
	rm -rf .data/pg
