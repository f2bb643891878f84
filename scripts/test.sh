#!/usr/bin/env bash
# Install everything the test suite needs into .venv, then run every quality gate and
# the whole test suite. Needs only python3 (>= 3.11) and git; CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

# The site tests drive a real headless Chromium (Debian's package), installed only when missing.
if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi

# Tests build real Git repositories and commit in them.
export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-reqkit tests}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-tests@example.invalid}"
export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-reqkit tests}" GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-tests@example.invalid}"

step() { printf '\n== %s\n' "$*"; }
step "ruff check";            .venv/bin/ruff check .
step "ruff format --check";   .venv/bin/ruff format --check .
step "mypy reqkit/";          .venv/bin/mypy
step "import layers";         .venv/bin/lint-imports
step "generated docs fresh";  .venv/bin/python scripts/generate_docs.py --check
step "schema fresh";          .venv/bin/reqkit schema --check
step "own requirements";      .venv/bin/reqkit check
step "workflows, Action and hook manifest are valid"
.venv/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
.venv/bin/check-jsonschema --builtin-schema vendor.github-actions action.yml
.venv/bin/pre-commit validate-manifest .pre-commit-hooks.yaml
step "zizmor audit (offline)"; .venv/bin/zizmor --offline --no-progress .github/workflows action.yml
# Traceability gate: reqkit's own requirements, as they were when the tests started (a
# copy, so an edit made meanwhile is judged by the next run, not this one), must each be
# verified by this run. Results live in a private temporary folder; the gate runs only
# after the whole suite, since a selection (arguments given) leaves requirements "not run".
results="$(mktemp -d)"; trap 'rm -rf "$results"' EXIT
mkdir "$results/own" && cp -R pyproject.toml reqs "$results/own/"
step "pytest";                .venv/bin/pytest -q -p no:cacheprovider --reqkit-strict --junitxml "$results/junit.xml" "$@"
if [ "$#" -eq 0 ]; then
  step "traceability: own requirements verified by this run"
  .venv/bin/reqkit --root "$results/own" trace --strict --tests "$results/junit.xml" -o "$results/trace.md"
  grep -m1 -F '| **all** |' "$results/trace.md"
fi
