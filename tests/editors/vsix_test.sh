#!/usr/bin/env bash
# Packages the VS Code extension with scripts/package-vscode and checks the
# .vsix holds the manifest, the client and both grammars as the repository has them.
# Usage: vsix_test.sh REPOSITORY_ROOT OUTPUT_DIR
set -euo pipefail
root="$1"
out="$2"
if ! vsix="$("$root/scripts/package-vscode" "$out" | tail -n 1)"; then
  echo "FAIL: scripts/package-vscode did not build the .vsix (is the npm registry reachable? see above)" >&2
  exit 1
fi
python3 - "$root" "$vsix" <<'PY'
import json, sys, zipfile
root, vsix = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(vsix)
names = set(z.namelist())
failures = []
for want in ["extension.vsixmanifest", "extension/package.json", "extension/extension.js",
             "extension/language-configuration.json", "extension/grammars/rulebook.tmLanguage.json",
             "extension/grammars/scenarios.tmLanguage.json",
             "extension/node_modules/vscode-languageclient/package.json"]:
    if want not in names:
        failures.append(f"{want} is not in {vsix}")
manifest = json.loads(z.read("extension/package.json"))
for g in manifest["contributes"]["grammars"]:
    if "extension/" + g["path"].lstrip("./") not in names:
        failures.append(f"package.json names {g['path']}, which is not in the .vsix")
for name in ["rulebook", "scenarios"]:
    packed = z.read(f"extension/grammars/{name}.tmLanguage.json")
    if packed != open(f"{root}/grammar/{name}.tmLanguage.json", "rb").read():
        failures.append(f"the packed {name} grammar differs from grammar/{name}.tmLanguage.json")
if manifest["main"] != "./extension.js" or manifest["name"] != "rulebook":
    failures.append(f"unexpected manifest: main {manifest['main']}, name {manifest['name']}")
for f in failures:
    print("FAIL:", f)
print(f"{vsix}: {len(names)} files, {len(failures)} failures")
sys.exit(1 if failures else 0)
PY
