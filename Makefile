# 两条命令：make site（生成网站）和 make test（运行全部测试）。都可以重复运行，没有变化时很快。
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MATTERS ?= matters
OUT ?= site
SITE_URL ?= https://banshi.shifanqu.example/

.PHONY: site test validate print bench clean

site: $(VENV)/.runtime-ok system-site
	$(PY) -m generator build --matters $(MATTERS) --out $(OUT) --site-url $(SITE_URL)

test: $(VENV)/.test-ok system-test
	$(PY) -m pytest

validate: $(VENV)/.runtime-ok
	$(PY) -m generator validate --matters $(MATTERS)

print: $(VENV)/.runtime-ok system-site
	$(PY) -m generator print --matters $(MATTERS) --out print --site-url $(SITE_URL)

bench: $(VENV)/.runtime-ok
	$(PY) -m bench

.PHONY: system-site system-test
system-site:
	@scripts/system-packages.sh site

system-test:
	@scripts/system-packages.sh test

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.runtime-ok: $(VENV)/bin/python requirements.lock pyproject.toml
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.test-ok: $(VENV)/.runtime-ok requirements-test.lock
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.lock
	@touch $@

clean:
	rm -rf $(OUT) print .cache
