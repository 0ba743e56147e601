#!/usr/bin/env python3
"""Checks the TextMate grammars in grammar/ against the PEGTL grammars.

1. Every keyword of src/lang/grammar.hpp and src/scenario/scenario_grammar.hpp,
   extracted from their TAO_PEGTL_STRING("...") literals and the g::kw_* rules
   the scenario grammar borrows, is tokenised as a keyword (or a type or a
   constant) by the matching TextMate grammar: a new keyword fails this test
   until the grammar knows it.
2. Shipped files tokenise as expected: scopes of chosen tokens of
   policies/aps/s26-2022.rules and policies/aps/s26-2022.scenarios.

The tokeniser is the subset of TextMate matching the grammars use, on
Python's `re`: `match` with `name` and `captures`, `begin`/`end` with
`patterns`, `include` of `#repository` entries; at each point the pattern
whose match starts first wins, the earlier in the list on a tie, and an
open rule's `end` wins over its patterns on a tie (as in TextMate).
Usage: textmate_test.py REPOSITORY_ROOT
"""
import json
import re
import sys
from pathlib import Path

KEYWORD_SCOPES = ("keyword.", "storage.type.", "constant.language.")


class Grammar:
    def __init__(self, path):
        self.data = json.loads(Path(path).read_text())
        self.repo = self.data.get("repository", {})
        self.cache = {}

    def expand(self, patterns):
        out = []
        for p in patterns:
            if "include" in p:
                ref = p["include"]
                assert ref.startswith("#"), f"only #repository includes are supported, not {ref}"
                entry = self.repo[ref[1:]]
                out.extend(self.expand(entry["patterns"]) if "patterns" in entry and "match" not in entry
                           and "begin" not in entry else [entry])
            elif "patterns" in p and "match" not in p and "begin" not in p:
                out.extend(self.expand(p["patterns"]))
            else:
                out.append(p)
        return out

    def regex(self, text):
        if text not in self.cache:
            self.cache[text] = re.compile(text)
        return self.cache[text]

    def tokenize(self, text):
        """[(token text, (scope, ...)), ...]: runs of characters with the same
        scopes, trimmed; unscoped text is split into words."""
        tokens = []
        stack = []  # open begin/end rules
        top = self.expand(self.data["patterns"])
        for line in text.split("\n"):
            scopes_at = [()] * len(line)

            def assign(start, end, scopes):
                for k in range(start, min(end, len(line))):
                    scopes_at[k] = scopes

            def assign_match(m, scopes, captures):
                if "0" in captures:
                    scopes = scopes + (captures["0"]["name"],)
                assign(m.start(), m.end(), scopes)
                for group, capture in captures.items():
                    if group != "0" and m.group(int(group)) is not None:
                        assign(m.start(int(group)), m.end(int(group)), scopes + (capture["name"],))

            pos = 0
            while pos <= len(line):
                rule = stack[-1] if stack else None
                patterns = self.expand(rule.get("patterns", [])) if rule else top
                scopes = tuple(r["name"] for r in stack if "name" in r)
                best, best_m = None, None
                for p in patterns:
                    m = self.regex(p.get("match") or p["begin"]).search(line, pos)
                    if m and (best_m is None or m.start() < best_m.start()):
                        best, best_m = p, m
                end_m = self.regex(rule["end"]).search(line, pos) if rule else None
                if end_m and (best_m is None or end_m.start() <= best_m.start()):
                    assign(pos, end_m.start(), scopes)
                    assign_match(end_m, scopes, rule.get("endCaptures", {}))
                    stack.pop()
                    pos = end_m.end()
                    continue
                if best_m is None:
                    assign(pos, len(line), scopes)
                    break
                assign(pos, best_m.start(), scopes)
                inner = scopes + ((best["name"],) if "name" in best else ())
                if "begin" in best:
                    assign_match(best_m, inner, best.get("beginCaptures", best.get("captures", {})))
                    stack.append(best)
                else:
                    assign_match(best_m, inner, best.get("captures", {}))
                pos = best_m.end() if best_m.end() > pos else pos + 1  # an empty match must not loop
            k = 0
            while k < len(line):
                j = k
                while j < len(line) and scopes_at[j] == scopes_at[k]:
                    j += 1
                run = line[k:j]
                if scopes_at[k]:
                    if run.strip():
                        tokens.append((run.strip(), scopes_at[k]))
                else:
                    tokens.extend((w, ()) for w in run.split())
                k = j
        return tokens


def keywords(header, borrowed_from=None):
    text = Path(header).read_text()
    words = set(re.findall(r'TAO_PEGTL_STRING\("([^"]+)"\)', text))
    words |= set(re.findall(r'\bseq<TAO_PEGTL_STRING\("([^"]+)"\)', text))
    if borrowed_from:
        base = Path(borrowed_from).read_text()
        for kw in set(re.findall(r"\bg::(kw_[a-z_]+)\b", text)):
            m = re.search(r"struct " + kw + r' : key<TAO_PEGTL_STRING\("([^"]+)"\)>', base)
            assert m, f"{kw} is used by the scenario grammar but not found in the rule grammar"
            words.add(m.group(1))
    return words


failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def scope_of(tokens, text, nth=0):
    found = [s for t, s in tokens if t == text]
    if len(found) <= nth:
        return None
    return found[nth]


def expect(tokens, text, scope, nth=0, where=""):
    got = scope_of(tokens, text, nth)
    check(got is not None and got and got[-1] == scope,
          f"{where}: token {text!r} (#{nth + 1}) has scopes {got}, expected innermost {scope}")


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    rules = Grammar(root / "grammar/rulebook.tmLanguage.json")
    scenarios = Grammar(root / "grammar/scenarios.tmLanguage.json")

    # 1. Keywords, mechanically from the PEGTL grammars.
    rule_words = keywords(root / "src/lang/grammar.hpp")
    scenario_words = keywords(root / "src/scenario/scenario_grammar.hpp", root / "src/lang/grammar.hpp")
    check(len(rule_words) >= 40, f"found only {len(rule_words)} keywords in grammar.hpp: the extraction broke")
    check(len(scenario_words) >= 10, f"found only {len(scenario_words)} keywords in scenario_grammar.hpp")
    for grammar, words, name in ((rules, rule_words, "rulebook"), (scenarios, scenario_words, "scenarios")):
        for word in sorted(words):
            tokens = grammar.tokenize(word)
            ok = len(tokens) == 1 and tokens[0][0] == word and any(
                s.startswith(KEYWORD_SCOPES) for s in tokens[0][1])
            check(ok, f"{name}.tmLanguage.json does not tokenise the keyword {word!r} as a keyword: {tokens}")

    # 2. A shipped policy.
    policy = rules.tokenize((root / "policies/aps/s26-2022.rules").read_text())
    w = "s26-2022.rules"
    expect(policy, "# Movement between APS agencies: section 26 transfers under the Australian",
           "comment.line.number-sign.rulebook", where=w)
    expect(policy, "policy", "keyword.declaration.rulebook", where=w)
    expect(policy, "aps.s26", "entity.name.namespace.rulebook", where=w)
    expect(policy, "version", "keyword.other.rulebook", where=w)
    expect(policy, "2022-02-01", "constant.numeric.date.rulebook", where=w)
    expect(policy, "use", "keyword.declaration.rulebook", where=w)
    expect(policy, "aps.s26.facts", "entity.name.namespace.rulebook", where=w)
    expect(policy, "outputs", "keyword.declaration.rulebook", where=w)
    expect(policy, "outcome", "variable.other.field.rulebook", where=w)
    expect(policy, "yes/no", "storage.type.rulebook", where=w)
    expect(policy, "date", "storage.type.rulebook", where=w)
    expect(policy, "optional", "keyword.other.rulebook", where=w)
    expect(policy, '"what the approved move legally is"', "string.quoted.double.rulebook", where=w)
    expect(policy, "define", "keyword.declaration.rulebook", where=w)
    expect(policy, "by_agreement", "entity.name.variable.define.rulebook", where=w)
    expect(policy, "move.basis", "variable.other.rulebook", where=w)
    expect(policy, "is", "keyword.operator.word.rulebook", where=w)
    expect(policy, "rule", "keyword.declaration.rulebook", where=w)
    expect(policy, "misconduct-defers", "entity.name.function.rule.rulebook", where=w)
    expect(policy, "cite", "keyword.other.rulebook", where=w)
    expect(policy, "when", "keyword.control.rulebook", where=w)
    expect(policy, "then", "keyword.control.rulebook", where=w)
    expect(policy, "employee.misconduct_alleged", "variable.other.rulebook", where=w)
    expect(policy, "4 weeks", "constant.numeric.duration.rulebook", where=w)
    # A string's words keep the string's scope; a keyword inside it is not a keyword.
    quoted = [s for t, s in policy if t == '"Directions' or t.startswith('"Directions 2022 s46')]
    check(bool(quoted) and all(s[-1] == "string.quoted.double.rulebook" for s in quoted),
          f"{w}: the cite text is not one string token: {quoted[:3]}")
    check(all(s[-1] != "keyword.other.rulebook" for t, s in policy if t.startswith('"') and " to " in t),
          f"{w}: a keyword inside quoted text was tokenised as a keyword")

    suite = scenarios.tokenize((root / "policies/aps/s26-2022.scenarios").read_text())
    w = "s26-2022.scenarios"
    expect(suite, "suite", "keyword.declaration.rulebook", where=w)
    expect(suite, "for", "keyword.other.rulebook", where=w)
    expect(suite, "aps.s26", "entity.name.namespace.rulebook", where=w)
    expect(suite, "as", "keyword.other.rulebook", where=w)
    expect(suite, "2026-03-02", "constant.numeric.date.rulebook", where=w)
    expect(suite, "given", "keyword.control.rulebook", where=w)
    expect(suite, "employee.employment", "variable.other.rulebook", where=w)
    expect(suite, "=", "keyword.operator.assignment.rulebook", where=w)
    expect(suite, '"Finance"', "string.quoted.double.rulebook", where=w)
    expect(suite, "scenario", "keyword.declaration.rulebook", where=w)
    expect(suite, "expect", "keyword.control.rulebook", where=w)
    expect(suite, "fired", "keyword.other.rulebook", where=w)
    expect(suite, "ongoing-move-agreed", "entity.name.function.rule.rulebook", where=w)
    expect(suite, "yes", "constant.language.boolean.rulebook", where=w)

    for f in failures:
        print("FAIL:", f)
    checked = len(rule_words) + len(scenario_words)
    print(f"{checked} keywords checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
