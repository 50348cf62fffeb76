# Developer entry points. Everything runs in ./.venv, created on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-example
DEMO_ADMIN_PASSWORD ?= admin
export DEMO_ADMIN_PASSWORD
# The demo's language (en, ru or zh_Hans; ?lang= switches it per session) and the timezone its times are shown in.
DEMO_LANGUAGE ?= en
DEMO_TIMEZONE ?= Europe/Moscow
export DEMO_LANGUAGE DEMO_TIMEZONE

.PHONY: demo demo-legacy test typecheck docs bench bench-full wheel-check stress catalogs example-catalogs
# Where the demos listen: make demo PORT=5123 HOST=0.0.0.0 (demo-legacy's port defaults to 5001).
HOST ?= 127.0.0.1

# Reinstall only when the package metadata changes: the install is editable, code edits need nothing.
$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The demos need only the package and its example extra (what the example shops import), not the test tools.
$(DEMO_STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[example]'
	touch $@

demo: PORT ?= 5000
demo: $(DEMO_STAMP)
	$(FLASK) --app example_app seed-demo --if-empty
	@echo
	@echo "  Open http://$(HOST):$(PORT)/admin/ and log in as user 'admin', password '$(DEMO_ADMIN_PASSWORD)'"
	@echo "  Language: $(DEMO_LANGUAGE) (make demo DEMO_LANGUAGE=ru or zh_Hans; or ?lang=ru on any page), times in $(DEMO_TIMEZONE)"
	@echo
	$(FLASK) --app example_app run --host $(HOST) --port $(PORT)

# The panel mounted on a shop's own order tables (example_app/legacy): its rows are seeded first, the panel reads them.
demo-legacy: PORT ?= 5001
demo-legacy: $(DEMO_STAMP)
	$(FLASK) --app example_app.legacy seed-shop --if-empty
	@echo
	@echo "  Open http://$(HOST):$(PORT)/backoffice/ and log in as 'admin', password '$(DEMO_ADMIN_PASSWORD)' (Sales > Orders)"
	@echo "  Language: $(DEMO_LANGUAGE) (DEMO_LANGUAGE=ru or zh_Hans; or ?lang=ru on any page), times in $(DEMO_TIMEZONE)"
	@echo
	$(FLASK) --app example_app.legacy run --host $(HOST) --port $(PORT)

# The type check runs first: CI runs make test alone.
test: typecheck
	$(PY) -m pytest $(PYTEST_ARGS)

# mypy, strict on flask_order_admin (setup.cfg [mypy]; typings/ holds stubs for the untyped libraries it uses).
typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The documentation (docs/, Sphinx with MyST): warnings are errors.
docs: $(STAMP)
	$(VENV)/bin/sphinx-build -W --keep-going -q -b html docs docs/_build/html

bench: $(STAMP)
	$(PY) bench/run.py

bench-full: $(STAMP)
	$(PY) bench/run.py --full

wheel-check: $(STAMP)
	$(PY) .ci/wheel_check.py

# Load test: gunicorn (4 workers) on a throw-away PostgreSQL database; STRESS_ARGS="--clients 8 --seconds 8" for the
# short form, and "--server-url mysql+pymysql://root@127.0.0.1:3306/mysql?charset=utf8mb4" for MariaDB.
STRESS_ARGS ?= --clients 20 --seconds 20
stress: $(STAMP)
	$(PY) tests/stress/stress_load.py $(STRESS_ARGS)

# The plugin's gettext domain: extract every marked string (code and templates) into the template, merge it into
# the ru and zh_Hans catalogs and compile them. tests/i18n checks that the committed files match the code.
CATALOGS := flask_order_admin/translations
catalogs: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --omit-header --sort-output \
		-k N_ -k NC_:1c,2 -k NP_:1,2 -k lazy_gettext -k lazy_pgettext:1c,2 \
		-k oa_gettext -k oa_pgettext:1c,2 -k oa_ngettext:1,2 \
		--ignore-dirs='.* _* tests example_app bench build dist' -o $(CATALOGS)/flask_order_admin.pot .
	for lang in ru zh_Hans; do \
		test -f $(CATALOGS)/$$lang/LC_MESSAGES/flask_order_admin.po || \
			$(VENV)/bin/pybabel init -D flask_order_admin -i $(CATALOGS)/flask_order_admin.pot -d $(CATALOGS) -l $$lang; \
	done
	$(VENV)/bin/pybabel update -D flask_order_admin -i $(CATALOGS)/flask_order_admin.pot -d $(CATALOGS) \
		--ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date
	$(VENV)/bin/pybabel compile -D flask_order_admin -d $(CATALOGS) --statistics
	$(MAKE) example-catalogs

# The example shops' own texts (login pages, their menus and index pages), as a host keeps them: Flask-Babel's
# default domain, messages, in example_app/translations; the plugin's domain is the plugin's alone. Chinese is
# zh_Hans_CN, the locale the demo serves (example_app/languages.py): Flask-Babel looks a host's catalog up by
# gettext's rules, zh_Hans_CN then zh, never zh_Hans.
# tests/example_app/test_example_catalogs.py checks that the committed files match the code.
EXAMPLE_CATALOGS := example_app/translations
example-catalogs: $(STAMP)
	$(VENV)/bin/pybabel extract -F example_app/babel.cfg --no-location --omit-header --sort-output -k lazy_gettext \
		--ignore-dirs='.* _* translations static' -o $(EXAMPLE_CATALOGS)/messages.pot example_app
	for lang in ru zh_Hans_CN; do \
		test -f $(EXAMPLE_CATALOGS)/$$lang/LC_MESSAGES/messages.po || \
			$(VENV)/bin/pybabel init -i $(EXAMPLE_CATALOGS)/messages.pot -d $(EXAMPLE_CATALOGS) -l $$lang; \
	done
	$(VENV)/bin/pybabel update -i $(EXAMPLE_CATALOGS)/messages.pot -d $(EXAMPLE_CATALOGS) \
		--ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date
	$(VENV)/bin/pybabel compile -d $(EXAMPLE_CATALOGS) --statistics
