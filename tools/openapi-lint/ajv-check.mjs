// Compiles every schema of an OpenAPI 3.1 document with Ajv's JSON Schema
// 2020-12 validator in strict mode: each component schema and each schema of a
// parameter, request body or response. Exits 1 naming each one that does not
// compile. Usage: node ajv-check.mjs openapi.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const file = process.argv[2];
const doc = JSON.parse(readFileSync(file, "utf8"));
if (doc.jsonSchemaDialect && doc.jsonSchemaDialect !== "https://json-schema.org/draft/2020-12/schema") {
  console.error(`${file}: jsonSchemaDialect is ${doc.jsonSchemaDialect}, not JSON Schema 2020-12`);
  process.exit(1);
}

// allowUnionTypes: "type": ["number", "string"] (a decimal as a number or as
// exact text) is plain JSON Schema; Ajv's strict mode only asks it be allowed.
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
// The document itself is registered as one resource so "#/components/..."
// references resolve; its OpenAPI fields are not schema keywords.
for (const key of Object.keys(doc)) ajv.addKeyword(key);
// Schema extensions ("x-rulebook-type") are allowed by OpenAPI; name each one.
const extensions = new Set();
(function collect(x) {
  if (Array.isArray(x)) return x.forEach(collect);
  if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      if (k.startsWith("x-")) extensions.add(k);
      collect(v);
    }
  }
})(doc.components?.schemas ?? {});
for (const k of extensions) ajv.addKeyword(k);

const base = "https://rulebook.invalid/openapi.json";
ajv.addSchema({ ...doc, $id: base });

const pointers = [];
const escape = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");
for (const name of Object.keys(doc.components?.schemas ?? {})) pointers.push(`/components/schemas/${escape(name)}`);
const fromContent = (at, content) => {
  for (const [type, media] of Object.entries(content ?? {})) {
    if (media.schema) pointers.push(`${at}/content/${escape(type)}/schema`);
  }
};
for (const [name, r] of Object.entries(doc.components?.responses ?? {})) fromContent(`/components/responses/${escape(name)}`, r.content);
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const [method, op] of Object.entries(item)) {
    const at = `/paths/${escape(path)}/${method}`;
    (op.parameters ?? []).forEach((p, k) => p.schema && pointers.push(`${at}/parameters/${k}/schema`));
    if (op.requestBody?.content) fromContent(`${at}/requestBody`, op.requestBody.content);
    for (const [code, r] of Object.entries(op.responses ?? {})) {
      if (r.content) fromContent(`${at}/responses/${code}`, r.content);
    }
  }
}

let failed = 0;
for (const pointer of pointers) {
  try {
    ajv.compile({ $ref: `${base}#${pointer}` });
  } catch (e) {
    failed++;
    console.error(`${file}#${pointer}: ${e.message}`);
  }
}
console.log(`${file}: ajv (JSON Schema 2020-12, strict) compiled ${pointers.length - failed} of ${pointers.length} schemas`);
process.exit(failed ? 1 : 0);
