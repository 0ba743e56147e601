#!/usr/bin/env bash
# curl requests for every route of the decision service (docs/http-api.md).
#
#   examples/http/curl.sh [BASE_URL]        default http://127.0.0.1:8080
#
# Start a server first:  rulebook serve --policies policies
# For the reload example, export RULEBOOK_ADMIN_TOKEN with the server's token
# (without one the server refuses reloads with 403, and so this script expects 403).
# Each example prints the command, the answer and its status, and checks the
# status; the script exits 1 if any answer was not the one documented.
set -u
BASE=${1:-http://127.0.0.1:8080}
HERE=$(cd "$(dirname "$0")" && pwd)
failed=0

show() {  # show EXPECTED_STATUS TITLE curl ARGS...
  local expect=$1 title=$2
  shift 2
  printf '\n## %s\n$ %s\n' "$title" "$*"
  local out status
  out=$("$@" -w '\n%{http_code}') || { echo "!! curl failed"; failed=1; return; }
  status=${out##*$'\n'}
  printf '%s\n-> HTTP %s\n' "$(printf '%s' "${out%$'\n'*}" | head -c 700)" "$status"
  if [ "$status" != "$expect" ]; then echo "!! expected HTTP $expect"; failed=1; fi
}

JSON=(-H 'Content-Type: application/json')

# Decide one case (Sarah's worked example): outcome approved, date_of_effect 2026-03-30.
show 200 "decide" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary @"$HERE/sarah.json"

# The same with "explain": true: each rule, whether it applied and why not, and how each value was computed.
show 200 "decide with explanation" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary @"$HERE/sarah-explain.json"

# Many cases at once; the bad one in the middle gets {"error": ...}, the others their decisions.
show 200 "batch" curl -sS -X POST "$BASE/v1/decide/aps.s26/batch" "${JSON[@]}" --data-binary @"$HERE/batch.json"

# Facts that fail the policy's declarations: 422 invalid_facts, every problem with its JSON path.
show 422 "invalid facts" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary @"$HERE/invalid-facts.json"

# Not JSON: 400 invalid_json, with line and column.
show 400 "invalid JSON" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary '{"facts": {'

# JSON of the wrong shape: 400 invalid_request.
show 400 "invalid request" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary '{"facts": {}, "as_of": "2026-02-30"}'

# No such policy: 404 unknown_policy.
show 404 "unknown policy" curl -sS -X POST "$BASE/v1/decide/aps.s99" "${JSON[@]}" --data-binary @"$HERE/sarah.json"

# No version in force on as_of: 422 not_in_force.
show 422 "not in force" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary '{"facts": {}, "as_of": "2010-01-01"}'

# Every loaded version of every policy.
show 200 "policies" curl -sS "$BASE/v1/policies"

# One policy: the version in force today, with a JSON Schema of its facts, its outputs and rules.
show 200 "policy" curl -sS "$BASE/v1/policies/aps.s26"

# The version in force on a given day.
show 200 "policy as of a day" curl -sS "$BASE/v1/policies/aps.s26?as_of=2026-03-02"

# Liveness.
show 200 "health" curl -sS "$BASE/healthz"

# What is loaded, since when, and the last reload error (file:line:col) if any.
show 200 "status" curl -sS "$BASE/v1/status"

# Prometheus metrics.
show 200 "metrics" curl -sS "$BASE/metrics"

# The OpenAPI document.
show 200 "openapi" curl -sS "$BASE/openapi.json"

# Reload the policies now (needs the admin token; 403 when the server has none).
if [ -n "${RULEBOOK_ADMIN_TOKEN:-}" ]; then
  show 200 "reload" curl -sS -X POST "$BASE/v1/reload" -H "Authorization: Bearer $RULEBOOK_ADMIN_TOKEN"
else
  show 403 "reload (no token)" curl -sS -X POST "$BASE/v1/reload"
fi

# Bodies over --max-body (default 1 MiB): 413 payload_too_large.
big=$(mktemp)
head -c 2000000 /dev/zero | tr '\0' ' ' > "$big"
show 413 "payload too large" curl -sS -X POST "$BASE/v1/decide/aps.s26" "${JSON[@]}" --data-binary @"$big"
rm -f "$big"

exit $failed
