# One entry point for analysts and CI. `extract` and `test` set themselves up on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NATIVE := pipeline/text/native/boxes.so
APT_PACKAGES := tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng hunspell-de-de poppler-utils
JOBS ?=

.PHONY: setup bytecode system-deps browser-deps office-deps extract test check lint types bench models clean-cache eval fetch

setup: system-deps $(STAMP) bytecode $(NATIVE)

# The text stage's loops over a page's characters (their boxes, their order in lines, per-line medians), compiled;
# without a C compiler the pipeline makes the same loops through ctypes and numpy, with the same result (slower).
$(NATIVE): pipeline/text/native/boxes.c
	@$(CC) -O2 -shared -fPIC -o $@ $< || echo "no C compiler ($(CC)): characters are read through ctypes and numpy (slower, same result; apt-get install gcc)"

# The package's bytecode, written beforehand: where PYTHONDONTWRITEBYTECODE is set, every process (the run and each
# worker) would otherwise compile the sources again, about 0.15 s each. Up-to-date files are left alone.
bytecode: $(STAMP)
	@$(PY) -m compileall -q pipeline >/dev/null

system-deps:
	@missing=""; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	tesseract --list-langs 2>/dev/null | grep -qx deu || missing="$$missing tesseract-ocr-deu"; \
	tesseract --list-langs 2>/dev/null | grep -qx eng || missing="$$missing tesseract-ocr-eng"; \
	[ -f /usr/share/hunspell/de_DE.dic ] || missing="$$missing hunspell-de-de"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES)) >/dev/null; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "run: sudo apt-get install -y $(APT_PACKAGES)"; exit 1; \
	  fi; \
	fi

# The editable install as a plain path entry (setuptools' compat mode), not setuptools' default import hook: the
# hook's module and what it imports cost every Python process that starts about a millisecond.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

extract: setup
	$(PY) -m pipeline extract $(if $(JOBS),--jobs $(JOBS),)

# Landtag NRW papers by number into corpus/raw (robots.txt obeyed, one request a second), e.g.
# make fetch DS="18/14080-18/14090" (FETCH_ARGS="--minutes" for plenary minutes); then `make extract`.
fetch: $(STAMP)
	@test -n "$(DS)" || { echo 'say which papers: make fetch DS="18/14087 18/14080-18/14090"'; exit 2; }
	$(PY) -m pipeline fetch $(DS) $(FETCH_ARGS)

# Debian's chromium for the report's headless-browser test (tests/test_report.py skips it when missing).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing: chromium"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "chromium missing: the report browser test will be skipped (run: sudo apt-get install -y chromium)"; \
	  fi; }

# LibreOffice Calc without a display, for the test that opens corpus.xlsx with it (skipped when missing);
# about 35 s to install on a fresh Debian machine.
office-deps:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing: libreoffice-calc-nogui"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui) >/dev/null; \
	  else \
	    echo "LibreOffice missing: the workbook test with it will be skipped (run: sudo apt-get install -y libreoffice-calc-nogui)"; \
	  fi; }

test: setup browser-deps office-deps
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check pipeline tests scripts bench

types: setup
	$(VENV)/bin/mypy pipeline

check: lint types test

# Scores on the real documents of ../shared/realdev (development only; says so when the folder is missing).
eval: setup
	$(PY) scripts/eval_realdev.py $(EVAL_ARGS)

models: setup
	$(PY) scripts/build_models.py

clean-cache:
	rm -rf corpus/clean/.state models/.cache

bench: setup
	@command -v ocrmypdf >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ocrmypdf) >/dev/null; } || echo "ocrmypdf missing: the OCR comparison is skipped (apt-get install ocrmypdf)"
	$(PY) bench/bench.py $(BENCH_ARGS)

# The OCR repair on German rendered and read with Tesseract `eng` (WER before/after, words broken, clean text).
.PHONY: bench-repair
bench-repair: setup
	$(PY) bench/repair_bench.py $(REPAIR_BENCH_ARGS)
