# The two commands a newcomer needs: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
VPY     := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test

.PHONY: run test bench screenshots i18n fonts system clean

system:
	@sh tools/system-packages.sh

$(VPY):
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -q -e .
	@touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(VPY) -m pip install -q -e '.[test]'
	@touch $@

i18n: $(STAMP)
	$(VPY) -m station_desk.i18n compile

run: system $(STAMP) i18n
	$(VENV)/bin/station-desk --demo

test: system $(TSTAMP) i18n
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest

bench: system $(TSTAMP) i18n
	QT_QPA_PLATFORM=offscreen $(VPY) -m benchmarks

screenshots: system $(STAMP) i18n
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/station-desk screenshots --out docs/screenshots

fonts: | $(VPY)
	$(VPY) -m pip install -q fonttools
	$(VPY) tools/make_font_subset.py

clean:
	rm -rf $(VENV) build dist station_desk/locale
