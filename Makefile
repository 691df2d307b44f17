# Two commands matter: `make serve` and `make test`. Each builds its own
# pinned environment in .venv from requirements.lock the first time.
.DEFAULT_GOAL := help
SHELL := bash

PYTHON ?= python3
VENV := .venv
# Material prints an end-of-life banner on every build; the README explains the plan.
export NO_MKDOCS_2_WARNING := 1
BIN := $(VENV)/bin
ENV_READY := $(VENV)/.installed-from-lock
# The TypeScript samples' npm project (snippets/ts/): the SDK, tsc and prettier, pinned in
# its package-lock.json, installed by the Node that requirements.lock pins (streamdocs/node.py).
TS_READY := snippets/ts/node_modules/.package-lock.json
# System tools the tests drive, found or installed by streamdocs/tools.py:
# its variable (CHROME_PATH, CURL_PATH...), then PATH, then apt-get, else one line
# naming the command. INSTALL_TOOLS=no turns installing off.
TOOLS := chromium libatomic curl nginx redis

.PHONY: help serve demo demo-scale build zensical test tools lint record record-live outputs fuzz bench lock lock-ts clean audit screenshots wheel

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(ENV_READY): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1)). Set PYTHON=python3.X." >&2; exit 1; }
	@$(PYTHON) -m streamdocs.tools venv
	$(PYTHON) -m venv $(VENV)
	@# uv installs the lock in seconds where pip takes minutes; uv itself comes from the
	@# lock, checked by its hashes like everything else. Compiled here, once, in parallel:
	@# otherwise every process the tests start compiles the SDK again where bytecode is
	@# not written (PYTHONDONTWRITEBYTECODE), ~1 s of CPU each.
	awk '/^uv==/{on=1} on{print} on && !/\\$$/{exit}' requirements.lock > $(VENV)/uv-requirement.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --no-deps --compile-bytecode -r requirements.lock
	@# The site's own package (streamdocs/: Markdown extensions, post-build step) is imported
	@# from this checkout by both generators: a .pth file puts the repository on the path.
	$(BIN)/python -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "streamdocs-checkout.pth").write_text(str(pathlib.Path.cwd()) + "\n")'
	@touch $@

$(TS_READY): snippets/ts/package-lock.json $(ENV_READY)
	$(BIN)/python -m streamdocs.node ci
	@touch $@

serve: $(ENV_READY) ## Build and serve the site on http://127.0.0.1:8000 with live reload
	$(BIN)/python -m streamdocs.site.serve --dev-addr 127.0.0.1:8000

demo: $(ENV_READY) ## Run the browser guide's relay app on http://127.0.0.1:8001, the emulator behind it (no key)
	$(BIN)/python -m streamdocs.demo --port 8001

demo-scale: $(ENV_READY) ## The resumable relay: Redis, 2 workers, nginx on http://127.0.0.1:8002 (restart one mid-answer)
	@$(PYTHON) -m streamdocs.tools nginx redis
	$(BIN)/python -m streamdocs.demo --scale --port 8002

build: $(ENV_READY) ## Build the site into site/ (strict: a broken link or include fails)
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m streamdocs.site.postbuild site

# Zensical reads the same mkdocs.yml and runs the same Markdown extensions (streamdocs/);
# the build prints what it cannot yet do the way MkDocs does (README: Zensical).
zensical: $(ENV_READY) ## Build the site with Zensical into site-zensical/ (strict), then the post-build step
	$(BIN)/python -m streamdocs.site.zensical site-zensical

lint: $(ENV_READY) ## Lint the Python (snippets, tests, streamdocs)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

tools: ## Find or install the system tools the tests drive (chromium, libatomic, curl, nginx, redis)
	@$(PYTHON) -m streamdocs.tools $(TOOLS)

# Four workers on two cores: much of the suite waits (stalls, relays restarting, pages
# loading), and four keep both cores busy (211 s against 253-281 s with two; six were
# slower, 235 s; pytest alone in this checkout, 2026-12-05; `make bench` times the
# suite). So that a busy machine's slowness is not taken for a stall, the answer matrix
# and the generated faults give a client 10 s unless a stall is meant.
# JOBS=0 runs in one process.
JOBS ?= 4
test: tools $(ENV_READY) $(TS_READY) lint ## Run every check CI runs
	$(BIN)/pytest $(if $(filter-out 0,$(JOBS)),-n $(JOBS) --dist loadgroup)

record: $(ENV_READY) $(TS_READY) ## Re-record every cassette (NAME=sample: only that one), then rewrite outputs and the matrix
	$(BIN)/pytest tests/test_samples.py tests/test_curl.py --record-mode=rewrite -q $(if $(NAME),--sample $(NAME))
	$(BIN)/pytest tests/test_samples.py tests/test_curl.py tests/test_paced_samples.py tests/test_answer_matrix.py::test_sample_survives_the_answer tests/test_generated_faults.py::test_the_matrix_page_summarises_what_each_sample_did --update-outputs -q

# With ANTHROPIC_API_KEY: every cassette again from the live API (RECORD_MODEL answers in
# place of the samples' model; LIVE_API_URL points elsewhere), replayed, and a report of
# where the answers' shapes differ from the emulator's. Without the key it says so.
record-live: $(ENV_READY) $(TS_READY) ## Re-record against the live API (needs ANTHROPIC_API_KEY); report shape differences
	$(BIN)/python -m streamdocs.recording.live --report live-report.md

outputs: $(ENV_READY) $(TS_READY) ## Rewrite snippets/output/*.txt from the cassettes, and the answer-matrix page
	$(BIN)/pytest tests/test_samples.py tests/test_curl.py tests/test_paced_samples.py tests/test_answer_matrix.py::test_sample_survives_the_answer tests/test_generated_faults.py::test_the_matrix_page_summarises_what_each_sample_did --update-outputs -q

# Every generated fault and a random search for more (streamdocs/samples/fuzz.py): prints
# a replayable command per failure and keeps each shrunk failure as a shape file.
# FUZZ_ARGS="--seed N --examples N --sample NAME --real-timeouts --no-shapes"; REPLAY=SPEC.
fuzz: $(ENV_READY) $(TS_READY) ## Every generated fault, then a random search (REPLAY=SPEC reruns one failure)
	$(BIN)/python -m streamdocs.samples.fuzz $(FUZZ_ARGS) $(if $(REPLAY),--replay '$(REPLAY)')

# The emulator kit (docs/testing.md): the emulator, its breaks, a pytest plugin and a
# command, as one wheel built from kit/pyproject.toml with the backend the lock pins.
wheel: $(ENV_READY) ## Build the emulator kit's wheel into dist/ (for readers' own tests; published nowhere)
	$(BIN)/python -m streamdocs.wheelhouse dist

bench: $(ENV_READY) $(TS_READY) ## Print timing figures (setup, suite, per sample, build)
	$(BIN)/python -m streamdocs.bench

# The audit's tools come from npm (pinned in package-lock.json); no tool may
# download a browser: they drive Debian's Chromium (apt-get install chromium).
node_modules/.package-lock.json: package-lock.json
	@$(PYTHON) -m streamdocs.tools npm
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

audit: $(ENV_READY) node_modules/.package-lock.json ## Lighthouse + axe on every page of the built site; fails below target
	@$(PYTHON) -m streamdocs.tools chromium libatomic
	$(BIN)/python -m streamdocs.browser.audit

screenshots: $(ENV_READY) ## PNGs of every page, phone and laptop, light and dark, into screenshots/
	@$(PYTHON) -m streamdocs.tools chromium libatomic
	$(BIN)/python -m streamdocs.browser.screenshots

# `make lock UPGRADE=anthropic` moves that one package to its newest version (its
# == pin in pyproject.toml too); every other pin in requirements.lock stays.
lock: ## Re-resolve requirements.lock from pyproject.toml (UPGRADE=NAME: that package to its newest)
	$(PYTHON) -m venv .lock-env
	.lock-env/bin/python -m pip install --quiet uv==0.13.9 packaging==26.3
	$(if $(UPGRADE),.lock-env/bin/python -m streamdocs.lock $(UPGRADE))
	.lock-env/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 $(if $(UPGRADE),--upgrade-package $(UPGRADE)) \
	  -o requirements.lock
	rm -rf .lock-env

# The TypeScript samples' SDK, moved the same way in snippets/ts (npm, the pinned Node).
lock-ts: $(TS_READY) ## Move @anthropic-ai/sdk in snippets/ts/package-lock.json to its newest release
	$(BIN)/python -m streamdocs.node upgrade @anthropic-ai/sdk

clean: ## Remove the environment and build output
	rm -rf $(VENV) site site-zensical .cache .pytest_cache dist
