#!/usr/bin/python3
"""Real answers of a running `rulebook serve` validated against the schemas of
the OpenAPI documents it serves (GET /openapi.json and, for decisions, the
policy's own GET /v1/policies/{id}/openapi.json), with python3-jsonschema's
JSON Schema 2020-12 validator and its format checks.

Usage: openapi_responses_test.py RULEBOOK_BINARY SOURCE_DIR
Run with Debian's /usr/bin/python3 (it has python3-jsonschema)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

binary, source = sys.argv[1], sys.argv[2]
failures = []
checked = []


def start_server(policies):
    work = tempfile.mkdtemp(prefix="rulebook-openapi-")
    out = open(os.path.join(work, "stdout"), "w+")
    proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", "0", "--policies", policies, "--no-ui"],
                            stdout=out, stderr=subprocess.DEVNULL)
    for _ in range(200):
        out.seek(0)
        line = out.readline()
        if "listening on" in line:
            return proc, line.split("listening on ")[1].split()[0], work
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    sys.exit("rulebook serve did not start")


def call(url, method="GET", body=None):
    req = urllib.request.Request(url, method=method, data=body.encode() if isinstance(body, str) else body,
                                 headers={"Content-Type": "application/json"} if body is not None else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def response_schema(doc, path, method, status):
    op = doc["paths"][path][method]
    responses = op["responses"]
    r = responses.get(str(status), responses.get("default"))
    assert r is not None, f"{method.upper()} {path}: no documented response for {status}"
    while "$ref" in r:
        r = doc["components"]["responses"][r["$ref"].split("/")[-1]]
    return r["content"]


def validate(doc, name, instance, schema):
    validator = Draft202012Validator(schema, resolver=RefResolver.from_schema(doc), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    checked.append(name)
    for e in errors[:5]:
        failures.append(f"{name}: at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}")


def check(doc, url, path_template, method, path, status, body=None, name=None):
    name = name or f"{method.upper()} {path} -> {status}"
    got, ctype, raw = call(url + path, method.upper(), body)
    if got != status:
        failures.append(f"{name}: answered {got}, expected {status}: {raw[:200]!r}")
        return None
    content = response_schema(doc, path_template, method, status)
    if "application/json" in content:
        if not ctype.startswith("application/json"):
            failures.append(f"{name}: Content-Type {ctype}, documented application/json")
            return None
        instance = json.loads(raw)
        validate(doc, name, instance, content["application/json"]["schema"])
        return instance
    if "text/plain" in content:
        checked.append(name)
        if not ctype.startswith("text/plain"):
            failures.append(f"{name}: Content-Type {ctype}, documented text/plain")
        return raw.decode()
    failures.append(f"{name}: documented content {list(content)} not checked")


def main():
    # The shipped policies, copied so nothing here can touch them.
    work_policies = tempfile.mkdtemp(prefix="rulebook-openapi-policies-")
    shutil.copytree(os.path.join(source, "policies"), work_policies, dirs_exist_ok=True)
    proc, url, work = start_server(work_policies)
    try:
        _, _, raw = call(url + "/openapi.json")
        doc = json.loads(raw)
        Draft202012Validator.check_schema(doc["components"]["schemas"]["DecideResponse"])
        assert doc["openapi"].startswith("3.1"), doc["openapi"]
        assert doc["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema"

        sarah = json.load(open(os.path.join(source, "examples/requests/aps.s26.json")))
        check(doc, url, "/v1/status", "get", "/v1/status", 200)
        check(doc, url, "/healthz", "get", "/healthz", 200)
        check(doc, url, "/readyz", "get", "/readyz", 200)
        policies = check(doc, url, "/v1/policies", "get", "/v1/policies", 200)
        check(doc, url, "/v1/policies/{policy_id}", "get", "/v1/policies/aps.s26", 200)
        check(doc, url, "/v1/policies/{policy_id}", "get", "/v1/policies/aps.s26?as_of=2019-03-04", 200)
        check(doc, url, "/v1/policies/{policy_id}", "get", "/v1/policies/nope", 404)
        check(doc, url, "/v1/policies/{policy_id}", "get", "/v1/policies/aps.s26?as_of=2026-02-30", 400)
        check(doc, url, "/v1/policies/{policy_id}", "get", "/v1/policies/aps.s26?as_of=1990-01-01", 422)
        check(doc, url, "/metrics", "get", "/metrics", 200)
        check(doc, url, "/openapi.json", "get", "/openapi.json", 200)

        decide = "/v1/decide/{policy_id}"
        check(doc, url, decide, "post", "/v1/decide/aps.s26", 200, json.dumps(sarah))
        check(doc, url, decide, "post", "/v1/decide/aps.s26", 200, json.dumps(dict(sarah, explain=True)),
              name="decide with explain")
        check(doc, url, decide, "post", "/v1/decide/aps.s26", 400, "{", name="decide: invalid JSON")
        check(doc, url, decide, "post", "/v1/decide/aps.s26", 400, json.dumps({"fact": {}}), name="decide: no facts")
        check(doc, url, decide, "post", "/v1/decide/nope", 404, json.dumps(sarah), name="decide: unknown policy")
        bad = json.loads(json.dumps(sarah))
        bad["facts"]["employee"]["classification"] = "APS9"
        check(doc, url, decide, "post", "/v1/decide/aps.s26", 422, json.dumps(bad), name="decide: invalid facts")
        check(doc, url, decide, "post", "/v1/decide/aps.s26", 422, json.dumps(dict(sarah, as_of="1990-01-01")),
              name="decide: not in force")
        check(doc, url, "/v1/decide/{policy_id}/batch", "post", "/v1/decide/aps.s26/batch", 200,
              json.dumps({"cases": [sarah, bad, dict(sarah, explain=True)]}), name="batch: good, invalid, explained")
        check(doc, url, "/v1/decide/{policy_id}/batch", "post", "/v1/decide/aps.s26/batch", 400,
              json.dumps({"cases": 3}), name="batch: cases not a list")

        # Every policy's own document: served, typed, and its answers match it.
        for pid in sorted({p["id"] for p in policies["policies"]}):
            own = check(doc, url, "/v1/policies/{policy_id}/openapi.json", "get", f"/v1/policies/{pid}/openapi.json", 200)
            if own is None:
                continue
            schemas = own["components"]["schemas"]
            for outputs in [call(url + f"/v1/policies/{pid}")]:
                detail = json.loads(outputs[2])
                names = [o["name"] for o in detail["outputs"]]
                if list(schemas["Decision"]["properties"]) != names:
                    failures.append(f"{pid}: Decision lists {list(schemas['Decision']['properties'])}, outputs are {names}")
                facts = dict(schemas["Facts"])
                expected = dict(detail["facts_schema"])
                expected.pop("$schema")
                if facts != expected:
                    failures.append(f"{pid}: the document's Facts is not GET /v1/policies/{pid}'s facts_schema")
            path = f"/v1/decide/{pid}"
            example = os.path.join(source, "examples/requests", pid + ".json")
            if os.path.exists(example):
                body = json.load(open(example))
                # The request validates against the typed request schema, and the answer against the typed response.
                validate(own, f"{pid}: the example request", body,
                         own["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"])
                check(own, url, path, "post", path, 200, json.dumps(body), name=f"{pid}: decide, typed document")
                check(own, url, path + "/batch", "post", path + "/batch", 200, json.dumps({"cases": [body]}),
                      name=f"{pid}: batch, typed document")
            # A wrong type for a fact fails the typed schema (the document is not vacuous).
            wrong = {"facts": {"no_such_fact_anywhere": 1}}
            v = Draft202012Validator(own["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"],
                                     resolver=RefResolver.from_schema(own))
            if v.is_valid(wrong):
                failures.append(f"{pid}: the typed request schema accepts an unknown fact")
        # And the typed Decision refuses an answer with a value of the wrong type.
        own = json.loads(call(url + "/v1/policies/aps.s26/openapi.json")[2])
        answer = json.loads(call(url + "/v1/decide/aps.s26", "POST", json.dumps(sarah))[2])
        answer["decision"]["outcome"] = "not an outcome"
        schema = own["paths"]["/v1/decide/aps.s26"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        if Draft202012Validator(schema, resolver=RefResolver.from_schema(own)).is_valid(answer):
            failures.append("aps.s26: the typed response schema accepts an outcome outside its enumeration")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(work_policies, ignore_errors=True)

    for f in failures:
        print("FAIL", f)
    print(f"{len(checked)} answers checked against their schemas (python3-jsonschema, JSON Schema 2020-12), {len(failures)} problems")
    sys.exit(1 if failures else 0)


main()
