#!/usr/bin/env bash
# Creates or updates the workspace's one Python environment, `.venv` at the root, exactly as uv.lock says.
#
#   setup.sh        install uv.lock into .venv (`nx run python-env:setup`, which every Python target depends on,
#                   so `npm test` and CI create the environment themselves)
#   setup.sh lock   update uv.lock after a pyproject.toml changed (`nx run python-env:lock`), then commit it
#
# Idempotent and quick when nothing changed: uv (pinned with hashes in requirements-uv.txt) is reinstalled only when
# its pin changes, and `uv sync` on an environment that already matches the lock is a no-op.
#
# Environment: CUR_PYTHON, the interpreter to use (default python3.11, Glue 5.1's Python).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/python-env"
uv_home="$here/.uv"
python="${CUR_PYTHON:-python3.11}"
pin="$(sed -n 's/^uv==\([0-9][0-9.]*\).*/\1/p' "$here/requirements-uv.txt")"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "python-env: $python not found. The Python side needs Python 3.11 (Glue 5.1); set CUR_PYTHON to its path." >&2
  exit 1
fi
python_exe="$("$python" -c 'import sys; print(sys.executable)')"

# Two nx invocations in one work tree may run this at once: one at a time.
exec 9>"$here/.setup.lock"
flock 9

if ! [[ "$("$uv_home/bin/uv" --version 2>/dev/null || true)" =~ ^uv\ ${pin//./\\.}(\ |$) ]]; then
  echo "python-env: installing uv $pin into tools/python-env/.uv"
  rm -rf "$uv_home"
  "$python_exe" -m venv "$uv_home"
  "$uv_home/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary :all: --require-hashes \
    -r "$here/requirements-uv.txt"
fi

# Never download a Python: the machine's 3.11 is the one Glue 5.1 runs. uv keeps an existing .venv whose Python
# satisfies requires-python (nx puts node's folder first on PATH, so a shell and nx may find different 3.11 builds:
# the environment must not be rebuilt each time one or the other runs); CUR_PYTHON forces one.
export UV_PYTHON_DOWNLOADS=never
uv_python=()
if [[ -n "${CUR_PYTHON:-}" ]]; then uv_python=(--python "$python_exe"); fi
if [[ "${1:-sync}" == lock ]]; then
  exec "$uv_home/bin/uv" lock "${uv_python[@]}" --project "$root"
fi
# --locked: fail, like `npm ci`, when a pyproject.toml changed without `uv lock`.
exec "$uv_home/bin/uv" sync --locked --all-packages "${uv_python[@]}" --project "$root"
