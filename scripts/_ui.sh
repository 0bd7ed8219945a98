# shellcheck shell=bash
# The web UI's build, for scripts/dev and scripts/test. Source it after _setup.sh; do not run it.
#
#   hw_build_ui             npm ci (when package-lock.json changed or node_modules is missing), then
#                           `npm run build` into src/headwater/webserver/static/ — only when a file under
#                           ui/ (outside node_modules) changed since the last good build: the hash of those
#                           files is kept in ui/node_modules/.headwater-ui-stamp.
#   hw_check_ui             tsc --strict, ESLint and the Vitest component tests of ui/, on the same hash
#                           (its own stamp): a second run with ui/ unchanged costs nothing.
#   hw_ensure_chromium      installs Debian's chromium when /usr/bin/chromium is missing (for the browser
#                           tests; never `playwright install`).
#
# Environment knobs:
#   HEADWATER_SKIP_UI=1     do not build the UI (the browser tests then fail and say so)
#   HEADWATER_FORCE_UI=1    build even when the stamp matches

_HW_UI="$HEADWATER_ROOT/ui"
_HW_UI_STAMP="$_HW_UI/node_modules/.headwater-ui-stamp"
_HW_UI_LOCK_STAMP="$_HW_UI/node_modules/.headwater-lock-stamp"
_HW_UI_CHECK_STAMP="$_HW_UI/node_modules/.headwater-check-stamp"

_hw_ui_hash() {
    # Every source file of the UI, by content (node_modules excluded), plus node's version.
    (
        cd "$_HW_UI" &&
            find . -path ./node_modules -prune -o -type f ! -name '*.tsbuildinfo' -print0 |
            LC_ALL=C sort -z | xargs -0 sha256sum
        node --version
    ) | sha256sum | cut -d' ' -f1
}

_hw_ui_packages() {
    command -v npm >/dev/null 2>&1 ||
        _hw_die "npm not found: the web UI needs Node.js >= 20.19 and npm (apt-get install -y nodejs npm)."
    local lock
    lock="$(sha256sum "$_HW_UI/package-lock.json" | cut -d' ' -f1)"
    if [[ ! -d "$_HW_UI/node_modules" || ! -f "$_HW_UI_LOCK_STAMP" || "$(cat "$_HW_UI_LOCK_STAMP")" != "$lock" ]]; then
        _hw_say "installing the web UI's packages (npm ci in ui/)"
        (cd "$_HW_UI" && npm ci --no-audit --no-fund --loglevel=error) || _hw_die "npm ci in ui/ failed (see above)."
        printf '%s\n' "$lock" >"$_HW_UI_LOCK_STAMP"
    fi
}

hw_check_ui() {
    [[ -n "${HEADWATER_SKIP_UI:-}" ]] && return 0
    local want have=""
    want="$(_hw_ui_hash)"
    [[ -f "$_HW_UI_CHECK_STAMP" ]] && have="$(cat "$_HW_UI_CHECK_STAMP")"
    if [[ "$want" == "$have" && -z "${HEADWATER_FORCE_UI:-}" ]]; then
        echo "ui/ unchanged since its last check"
        return 0
    fi
    _hw_ui_packages
    rm -f -- "$_HW_UI_CHECK_STAMP"
    (cd "$_HW_UI" && npm run --silent typecheck) || { echo "tsc --strict found type errors in ui/" >&2; return 1; }
    (cd "$_HW_UI" && npm run --silent lint) || { echo "ESLint found problems in ui/" >&2; return 1; }
    (cd "$_HW_UI" && npm run --silent test) || { echo "the UI's component tests failed" >&2; return 1; }
    printf '%s\n' "$want" >"$_HW_UI_CHECK_STAMP"
}

hw_build_ui() {
    [[ -n "${HEADWATER_SKIP_UI:-}" ]] && return 0
    local want have="" index="$HEADWATER_ROOT/src/headwater/webserver/static/index.html"
    want="$(_hw_ui_hash)"
    [[ -f "$_HW_UI_STAMP" ]] && have="$(cat "$_HW_UI_STAMP")"
    if [[ "$want" == "$have" && -f "$index" && -z "${HEADWATER_FORCE_UI:-}" ]]; then
        return 0
    fi
    _hw_ui_packages
    _hw_say "building the web UI (vite build → src/headwater/webserver/static/)"
    rm -f -- "$_HW_UI_STAMP"
    (cd "$_HW_UI" && npm run --silent build) || _hw_die "the UI build failed (see above)."
    printf '%s\n' "$want" >"$_HW_UI_STAMP"
}

hw_ensure_chromium() {
    [[ -x /usr/bin/chromium ]] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        _hw_die "/usr/bin/chromium is missing and apt-get is not here: install Chromium for the browser tests."
    _hw_say "installing Debian's chromium for the browser tests (apt-get install -y chromium)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
        _hw_die "apt-get install -y chromium failed (see above)."
}
