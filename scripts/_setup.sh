# shellcheck shell=bash
# Shared setup for scripts/dev, scripts/test and scripts/bench. Source it; do not run it.
#
# After sourcing:
#   HEADWATER_ROOT  absolute path of the repository root (also the current directory)
#   VENV            $HEADWATER_ROOT/.venv, created with `python3 -m venv` if missing
#   PY              $VENV/bin/python
#   PATH            starts with $VENV/bin, so ruff, mypy, pytest, lint-imports, headwater resolve there
#
# The project is installed with `pip install -e '.[dev,celery,dask,duckdb,parquet,examples]'` only when pyproject.toml (or the Python
# interpreter, or the checkout's location) changed since the last successful install; the hash of
# those is kept in $VENV/.headwater-install-stamp, so a second run costs a few milliseconds.
#
# Environment knobs:
#   HEADWATER_PYTHON         interpreter used to create the venv (default: python3)
#   HEADWATER_FORCE_INSTALL  set to 1 to reinstall even when the stamp matches

if [[ -n "${_HEADWATER_SETUP_DONE:-}" ]]; then
    return 0
fi

# The repository root is the parent of the directory holding this file, whatever the caller's cwd.
HEADWATER_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
export HEADWATER_ROOT
cd "$HEADWATER_ROOT" || exit 1

VENV="$HEADWATER_ROOT/.venv"
PY="$VENV/bin/python"
_HW_STAMP="$VENV/.headwater-install-stamp"

export PIP_NO_INPUT=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

_hw_say() { printf '==> %s\n' "$*" >&2; }
_hw_die() {
    printf '\nERROR: %s\n' "$*" >&2
    exit 1
}

_hw_create_venv() {
    local base="${HEADWATER_PYTHON:-python3}"
    if ! command -v "$base" >/dev/null 2>&1; then
        _hw_die "'$base' not found on PATH. Install Python >= 3.11 (or set HEADWATER_PYTHON=/path/to/python3.11)."
    fi
    if ! "$base" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
        _hw_die "$("$base" --version 2>&1) is too old: Headwater needs Python >= 3.11 (set HEADWATER_PYTHON to a newer interpreter)."
    fi
    _hw_say "creating virtualenv .venv with $("$base" --version 2>&1)"
    "$base" -m venv "$VENV" || _hw_die "'$base -m venv .venv' failed (on Debian: apt-get install python3-venv)."
}

_hw_install_hash() {
    # Anything that should trigger a reinstall when it changes goes into this hash.
    {
        cat "$HEADWATER_ROOT/pyproject.toml"
        printf '\n--root=%s\n' "$HEADWATER_ROOT"
        "$PY" -c 'import sys; print("--python=" + sys.version)'
    } | sha256sum | cut -d' ' -f1
}

_hw_setup() {
    # A venv whose interpreter no longer runs (moved checkout, removed base Python) is rebuilt.
    if [[ -e "$VENV" ]] && ! "$PY" -c '' >/dev/null 2>&1; then
        _hw_say ".venv exists but its python does not run; recreating it"
        rm -rf -- "$VENV"
    fi
    if [[ ! -x "$PY" ]]; then
        _hw_create_venv
    fi

    local want have=""
    want="$(_hw_install_hash)"
    [[ -f "$_HW_STAMP" ]] && have="$(cat "$_HW_STAMP")"
    if [[ "$want" == "$have" && -x "$VENV/bin/headwater" && -x "$VENV/bin/dbt" && -z "${HEADWATER_FORCE_INSTALL:-}" ]]; then
        return 0
    fi

    _hw_say "installing headwater and its dev tools into .venv (pip install -e '.[dev,celery,dask,duckdb,parquet,examples]')"
    rm -f -- "$_HW_STAMP"
    if ! "$PY" -m pip install --quiet --progress-bar off -e "${HEADWATER_ROOT}[dev,celery,dask,duckdb,parquet,examples]"; then
        _hw_die "pip install -e '.[dev,celery,dask,duckdb,parquet,examples]' failed (see pip's output above)."
    fi
    _hw_setup_dbt
    printf '%s\n' "$want" >"$_HW_STAMP"
}

_hw_setup_dbt() {
    # dbt (the `dbt` extra) goes into its own venv: dbt-core's pins clash with mypy's (pathspec). Headwater
    # runs dbt as a program, so a link to it in .venv/bin is all the project's venv needs.
    local dbt_venv="$HEADWATER_ROOT/.venv-dbt" reqs
    reqs="$("$PY" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["dbt"]))')"
    if [[ ! -x "$dbt_venv/bin/python" ]] || ! "$dbt_venv/bin/python" -c '' >/dev/null 2>&1; then
        rm -rf -- "$dbt_venv"
        "${HEADWATER_PYTHON:-python3}" -m venv "$dbt_venv" || _hw_die "creating .venv-dbt failed."
    fi
    _hw_say "installing dbt into .venv-dbt ($(echo "$reqs" | tr '\n' ' '))"
    # shellcheck disable=SC2086
    if ! "$dbt_venv/bin/python" -m pip install --quiet --progress-bar off $(echo "$reqs" | tr '\n' ' '); then
        _hw_die "pip install of the dbt extra into .venv-dbt failed (see pip's output above)."
    fi
    ln -sf "$dbt_venv/bin/dbt" "$VENV/bin/dbt"
}

[[ -f "$HEADWATER_ROOT/pyproject.toml" ]] || _hw_die "no pyproject.toml in $HEADWATER_ROOT"

# Serialize concurrent runs (say scripts/dev and scripts/test started together) around the install.
# The lock is taken on pyproject.toml itself (flock works on a read-only descriptor), so no lock file
# is left behind in the checkout.
if command -v flock >/dev/null 2>&1 && exec {_HW_LOCK_FD}<"$HEADWATER_ROOT/pyproject.toml"; then
    flock "$_HW_LOCK_FD"
    _hw_setup
    exec {_HW_LOCK_FD}<&-
else
    _hw_setup
fi

export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
_HEADWATER_SETUP_DONE=1
