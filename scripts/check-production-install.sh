#!/usr/bin/env bash
# Checks that a production install serves: a fresh clone, `npm ci` (builds dist/ in `prepare`), then node_modules
# replaced by `npm ci --omit=dev` (no TypeScript, no tsx), then `vaccinnet serve --demo` must start and store a
# registration sent with the printed `vaccinnet register …` command. Too slow for `npm test` (two installs).
# Usage: scripts/check-production-install.sh [scratch-dir]   (default /tmp/vaccinnet-prod-check, removed first)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/vaccinnet-prod-check}"
rm -rf "$work"
git clone -q "$repo" "$work"
cd "$work"
npm ci --no-audit --no-fund
npm run build
rm -rf node_modules
npm ci --omit=dev --no-audit --no-fund
if [ -e node_modules/typescript ] || [ -e node_modules/tsx ]; then echo "FAIL: dev dependencies installed" >&2; exit 1; fi

data="$(mktemp -d)"
log="$data/serve.stderr"
node bin/vaccinnet.mjs serve --demo --port 0 --data-dir "$data" >"$data/serve.stdout" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  grep -q 'npx vaccinnet get ' "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "FAIL: the registry did not start" >&2; exit 1; }
  sleep 0.5
done
register="$(grep -m1 'npx vaccinnet register ' "$log" | sed 's/^ *npx vaccinnet //')"
[ -n "$register" ] || { cat "$log" >&2; echo "FAIL: no register command printed" >&2; exit 1; }
# The printed line is shell-quoted for pasting: let the shell split it the same way.
out="$(eval "node bin/vaccinnet.mjs $register")"
echo "$out"
echo "$out" | grep -q '^VaccinationId: [0-9A-F]\{32\}$' || { echo "FAIL: no VaccinationId" >&2; exit 1; }
echo "OK: the production install (npm ci --omit=dev after a build) served a registration"
