#!/bin/sh
# Formatting never changes what a policy decides: copy the shipped policies and
# the test fixtures' policies with their suites, disturb their layout (every
# indentation doubled, every space run widened) so the formatter has work to
# do, format the copies, and run every suite against them.
# usage: format_meaning.sh RULEBOOK SOURCE_DIR SCRATCH_DIR
set -eu
rulebook=$1 src=$2 scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
cp -r "$src/policies" "$scratch/policies"
cp -r "$src/tests/scenario/fixtures" "$scratch/fixtures"
# Widen the layout without touching quoted text: only lines without quotes and comments.
find "$scratch" \( -name '*.rules' -o -name '*.scenarios' \) | while read -r f; do
  sed -i '/["#]/!s/ \{1,\}/   /g; /^$/{p;}' "$f"
done
"$rulebook" fmt "$scratch/policies" "$scratch/fixtures/policies" "$scratch/fixtures/suites/passing.scenarios" >/dev/null
# Formatted twice changes nothing.
"$rulebook" fmt --check "$scratch/policies" "$scratch/fixtures/policies"
"$rulebook" test --policies "$scratch/policies"
"$rulebook" test "$scratch/fixtures/suites/passing.scenarios" --policies "$scratch/fixtures/policies"
diff -r "$src/policies" "$scratch/policies"  # the disturbed copies format back to the shipped layout
