#!/usr/bin/env bash
# Creates or updates the DAG's own Python environment, libs/pipeline-dag/.venv, exactly as its uv.lock says, with the
# uv that tools/python-env/setup.sh bootstrapped (pinned and hashed there; `nx run pipeline-dag:setup` runs that first).
#
#   setup.sh        install uv.lock into .venv (a dependency of this project's lint, typecheck and test)
#   setup.sh lock   update uv.lock after pyproject.toml changed (`nx run pipeline-dag:lock`), then commit it
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
uv="$root/tools/python-env/.uv/bin/uv"
python="${CUR_PYTHON:-python3.11}"
python_exe="$("$python" -c 'import sys; print(sys.executable)')"

# Two nx invocations may run this at once: one at a time (the lock file sits in the git-ignored uv folder).
exec 9>"$root/tools/python-env/.uv/pipeline-dag-setup.lock"
flock 9

export UV_PYTHON_DOWNLOADS=never
if [[ "${1:-sync}" == lock ]]; then
  exec "$uv" lock --python "$python_exe" --project "$here"
fi
# --locked: fail, like `npm ci`, when pyproject.toml changed without `uv lock`.
exec "$uv" sync --locked --python "$python_exe" --project "$here"
