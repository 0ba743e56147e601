#!/usr/bin/env python3
"""Every line of fuzz/*.dict is one libFuzzer dictionary entry: `name="value"` or
`"value"`, with only the escapes libFuzzer reads (\\\\, \\" and \\xAB). An entry it
cannot read (`\\n` was one) stops the fuzzer before its first run, in CI only."""
import pathlib
import re
import sys

ENTRY = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*=)?"(?:[^"\\]|\\\\|\\"|\\x[0-9A-Fa-f]{2})*"$')

root = pathlib.Path(sys.argv[1])
bad = []
dicts = sorted((root / "fuzz").glob("*.dict"))
for path in dicts:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == "" or line.startswith("#"):
            continue
        if not ENTRY.match(line):
            bad.append(f"{path.relative_to(root)}:{number}: not a libFuzzer entry: {line}")
if not dicts:
    bad.append("no fuzz/*.dict found")
print("\n".join(bad) if bad else f"{len(dicts)} dictionaries, every entry readable")
sys.exit(1 if bad else 0)
