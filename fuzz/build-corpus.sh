#!/usr/bin/env bash
# Builds the fuzzers' seed corpora from what the repository ships, so they
# start from real inputs: every .rules file under policies/ and the test
# fixtures; every scenario suite (readable and JSON); every example request,
# the small hand-written seeds in fuzz/seeds/, and a request per case of the
# JSON suites when jq is installed.
#   fuzz/build-corpus.sh OUT_DIR    ->  OUT_DIR/{rules,scenarios,facts}/
# Generated at CI time; never committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: fuzz/build-corpus.sh OUT_DIR}"
mkdir -p "$out/rules" "$out/scenarios" "$out/facts"

# Names are the content's hash, so re-running adds nothing twice and inputs
# the fuzzer found and saved into the same folders are kept.
add() {  # add KIND FILE
  local sum
  sum=$(sha1sum "$2" | cut -c1-16)
  cp "$2" "$1/seed-$sum"
}

# (Not tests/robustness/crashes/: those are large, and ctest replays them.)
while IFS= read -r -d '' f; do add "$out/rules" "$f"; done < <(
  find "$root/policies" "$root/tests" "$root/fuzz/seeds/rules" -path '*/crashes' -prune -o \
    -type f -name '*.rules' -print0 2>/dev/null)

while IFS= read -r -d '' f; do add "$out/scenarios" "$f"; done < <(
  find "$root/policies" "$root/tests" "$root/examples" "$root/fuzz/seeds/scenarios" -path '*/crashes' -prune -o \
    -type f \( -name '*.scenarios' -o -name '*.scenarios.json' \) -print0 2>/dev/null)

while IFS= read -r -d '' f; do add "$out/facts" "$f"; done < <(
  find "$root/examples" "$root/fuzz/seeds/facts" -type f -name '*.json' -print0 2>/dev/null)

# One decide body per case of every JSON suite, when jq is here to cut them out.
if command -v jq >/dev/null; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  n=0
  while IFS= read -r -d '' suite; do
    jq -c '.[]? | select(type == "object") | {facts: (.facts // {}), as_of: .as_of}' "$suite" 2>/dev/null |
      while IFS= read -r line; do
        n=$((n + 1))
        printf '%s' "$line" > "$tmp/case"
        add "$out/facts" "$tmp/case"
      done
  done < <(find "$root/policies" "$root/tests" -type f -name '*.scenarios.json' -print0 2>/dev/null)
fi

for kind in rules scenarios facts; do
  echo "$kind: $(find "$out/$kind" -type f | wc -l) inputs in $out/$kind"
done
