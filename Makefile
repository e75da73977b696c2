# GDMS Integration for GLPI: build, test, demo, bench, dist, install.
# Every target sets up what it needs on a fresh Debian 12 machine.

SHELL        := /bin/bash
VERSION      := $(shell sed -n "s/^define('PLUGIN_GDMSINTEGRATION_VERSION', '\(.*\)');/\1/p" plugin/setup.php)
PHP          ?= php
PHP_API      := $(shell $(PHP) -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;' 2>/dev/null)
EXT_DEBUG    := target/debug/libgdms.so
EXT_RELEASE  := target/release/libgdms.so
LOCALES      := $(wildcard locales/*.po)
MO_FILES     := $(patsubst locales/%.po,plugin/locales/%.mo,$(LOCALES))
WITH_DB      := tools/with-mariadb.sh
PHP_EXT      := tools/php-with-ext.sh $(CURDIR)/$(EXT_DEBUG)

.PHONY: all deps build build-release locales jslibs pot test test-rust test-php test-browser lint demo bench dist install acceptance clean

all: build

deps:
	@tools/ensure-deps.sh

build: deps locales jslibs
	cargo build -p gdms -p gdms-sim

build-release: deps locales jslibs
	cargo build --release -p gdms -p gdms-sim

# Front-end libraries from npm (package-lock.json): vis-network's standalone UMD
# build is served by the plugin from plugin/public/lib (git-ignored, no CDN).
# The dev dependencies (playwright-core, ECharts, Flatpickr) serve the browser tests only.
NPM_STAMP := node_modules/.package-lock.json
jslibs: plugin/public/lib/vis-network.min.js

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

plugin/public/lib/vis-network.min.js: $(NPM_STAMP)
	@mkdir -p plugin/public/lib
	cp node_modules/vis-network/standalone/umd/vis-network.min.js $@

locales: $(MO_FILES)

plugin/locales/%.mo: locales/%.po
	@mkdir -p plugin/locales
	msgfmt --check -o $@ $<

# Regenerates locales/gdmsintegration.pot from the sources and merges it into every .po.
pot:
	$(PHP) tools/i18n.php pot > locales/gdmsintegration.pot
	for po in $(LOCALES); do msgmerge --quiet --update --backup=none $$po locales/gdmsintegration.pot; done

test: build test-browser
	cargo test --workspace
	$(WITH_DB) $(PHP_EXT) /usr/bin/phpunit -c tests/phpunit.xml

# The dashboard in Debian's headless Chromium (playwright-core from npm, no browser download).
test-browser: build
	$(WITH_DB) tests/browser/run.sh

test-rust: deps
	cargo test --workspace

test-php: build
	$(WITH_DB) $(PHP_EXT) /usr/bin/phpunit -c tests/phpunit.xml

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	find plugin tests tools -name '*.php' -print0 | xargs -0 -n1 $(PHP) -l >/dev/null

demo: build
	$(PHP_EXT) tools/demo.php

bench: build-release
	@echo "== benchmarks (release build) on $$(nproc) cores, $$(free -g | awk '/Mem:/{print $$2}') GiB =="
	@for ex in $$(ls crates/*/examples/bench_*.rs 2>/dev/null); do \
	    crate=$$(echo $$ex | cut -d/ -f2); name=$$(basename $$ex .rs); \
	    echo "-- $$crate $$name"; cargo run --quiet --release -p $$crate --example $$name || exit 1; \
	done
	@echo "-- php bench_dashboard"; $(WITH_DB) tools/php-with-ext.sh $(CURDIR)/$(EXT_RELEASE) tests/bench/bench_dashboard.php

dist: build-release
	rm -rf build/dist && mkdir -p build/dist/gdmsintegration dist
	cp -r plugin/. build/dist/gdmsintegration/
	cp LICENSE build/dist/gdmsintegration/
	tar -C build/dist -czf dist/gdmsintegration-$(VERSION).tar.gz gdmsintegration
	cp $(EXT_RELEASE) dist/gdms-$(VERSION)-php$(PHP_API).so
	printf '; GDMS Integration for GLPI: native extension\nextension=gdms.so\n' > dist/30-gdms.ini
	@ls -l dist

# make install GLPI_DIR=/var/www/glpi [PHP_FPM_SERVICE=php8.2-fpm]
install: build-release
	@test -n "$(GLPI_DIR)" || { echo "usage: make install GLPI_DIR=/path/to/glpi"; exit 2; }
	tools/install.sh "$(GLPI_DIR)" "$(CURDIR)/$(EXT_RELEASE)"

acceptance:
	@if [ -z "$(GLPI_DIR)" ]; then echo "acceptance: skipped (set GLPI_DIR=/path/to/glpi and GLPI_URL=http://...)"; exit 0; fi
	$(MAKE) install GLPI_DIR="$(GLPI_DIR)"
	tools/acceptance.sh "$(GLPI_DIR)" "$(GLPI_URL)"
	$(PHP) tools/acceptance-chatwoot.php "$(GLPI_DIR)" "$(GLPI_URL)"

clean:
	cargo clean
	rm -rf build dist plugin/locales tests/artifacts
