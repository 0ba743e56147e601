#!/usr/bin/env python3
"""The repository stands alone: no file in it may point outside it.

Checks every file git tracks (and every untracked file it does not ignore),
except the fuzzers' crash inputs, which are kept byte for byte:
  - no mention of `../shared` (the workspace folder beside the repository,
    which a clone does not have);
  - every relative link in a Markdown file, [text](target), names a file or
    folder that exists inside the repository.
Prints each problem as `file:line: message` and exits 1 if there is any.
Usage: check_links.py [REPO_ROOT]   (default: the current directory)
"""
import os
import re
import subprocess
import sys

LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = ("http://", "https://", "mailto:", "#")


def repository_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                             check=True, capture_output=True).stdout
        return [f for f in out.decode("utf-8", "replace").split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an exported tarball): every file but build output.
        files = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith((".", "build", "fuzz-out"))]
            files += [os.path.relpath(os.path.join(folder, n), root) for n in names]
        return files


def main():
    root = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []
    for rel in repository_files(root):
        path = os.path.join(root, rel)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (UnicodeDecodeError, OSError):
            continue  # binary files (images) hold no links
        if rel == "tests/repository/check_links.py" or rel.startswith("tests/robustness/crashes/"):
            continue  # this file names what it looks for; crash inputs are kept byte for byte
        for number, line in enumerate(lines, 1):
            if "../shared" in line:
                problems.append(f"{rel}:{number}: points outside the repository: ../shared")
            if not rel.endswith(".md"):
                continue
            for target in LINK.findall(line):
                if target.startswith(EXTERNAL):
                    continue
                target = target.split("#", 1)[0]
                if not target:
                    continue
                resolved = os.path.realpath(os.path.join(os.path.dirname(path), target))
                if not (resolved == root or resolved.startswith(root + os.sep)):
                    problems.append(f"{rel}:{number}: link leaves the repository: {target}")
                elif not os.path.exists(resolved):
                    problems.append(f"{rel}:{number}: link to a file that does not exist: {target}")
    for p in problems:
        print(p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
