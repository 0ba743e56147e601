// A decided case as a scenario: in the readable suite format
// (docs/scenarios.md) and as a JSON suite case. Values are written from the
// schema of each fact and output, so an enum reads `APS6`, text "Finance",
// a date 2026-03-02, a duration 4 weeks.

const RESERVED = new Set(['yes', 'no', 'true', 'false', 'null', 'missing']);
const UNITS = { Y: 'year', M: 'month', W: 'week', D: 'day' };

function quote(s) {
  return '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

function types(schema) {
  const t = schema && schema.type;
  return Array.isArray(t) ? t : t ? [t] : [];
}

// A value as the readable format writes it; null when it cannot be written
// there (a record: use the JSON suite).
export function writeValue(schema, v) {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'yes';
  if (v === false) return 'no';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    const items = v.map((x) => writeValue(schema && schema.items, x));
    return items.includes(null) ? null : '[' + items.join(', ') + ']';
  }
  if (typeof v === 'object') return null;
  const s = String(v);
  const t = types(schema);
  if (schema && schema.format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  if (schema && Array.isArray(schema.enum)) {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !RESERVED.has(s) ? s : quote(s);
  }
  const d = /^P(\d+)([YMWD])$/.exec(s);
  if (d && schema && schema.pattern && schema.pattern.startsWith('^P')) {
    return d[1] + ' ' + UNITS[d[2]] + (d[1] === '1' ? '' : 's');
  }
  if (t.includes('number') && /^-?\d+(\.\d+)?$/.test(s)) return s;
  return quote(s);
}

// [path, value, schema] for every leaf fact, in form order.
function flatten(facts, schema, prefix, out) {
  const props = (schema && schema.properties) || {};
  for (const [key, value] of Object.entries(facts || {})) {
    const path = prefix ? prefix + '.' + key : key;
    const sub = props[key] || {};
    if (value && typeof value === 'object' && !Array.isArray(value)) flatten(value, sub, path, out);
    else out.push([path, value, sub]);
  }
  return out;
}

// {text, unwritable}: the suite text (a header, then the scenario), and the
// facts or outputs the readable format cannot hold yet.
export function readableScenario({ name, policyId, asOf, facts, factsSchema, outputs, decision, fired }) {
  const unwritable = [];
  const lines = [];
  lines.push('# Saved from the Rulebook workbench. Paste the scenario into a suite for ' + policyId + ',');
  lines.push('# or save the whole text as a .scenarios file beside the policy.');
  lines.push('suite ' + quote('Cases saved from the workbench') + ' for ' + policyId);
  lines.push('');
  lines.push('scenario ' + quote(name || 'A case from the workbench'));
  if (asOf) lines.push('  as of ' + asOf);
  const given = flatten(facts, factsSchema, '', []);
  if (given.length) {
    lines.push('  given');
    for (const [path, value, schema] of given) {
      const w = writeValue(schema, value);
      if (w === null) unwritable.push(path);
      else lines.push('    ' + path + ' = ' + w);
    }
  }
  lines.push('  expect');
  lines.push('    all');
  const schemas = new Map((outputs || []).map((o) => [o.name, o.schema]));
  for (const [out, value] of Object.entries(decision || {})) {
    const w = writeValue(schemas.get(out), value);
    if (w === null) unwritable.push(out);
    else lines.push('    ' + out + ' = ' + w);
  }
  if (fired && fired.length) lines.push('    fired ' + fired.join(',\n          '));
  return { text: lines.join('\n') + '\n', unwritable };
}

// The same case as a JSON suite (a list of one case).
export function jsonScenario({ name, policyId, asOf, facts, decision, fired }) {
  const c = { name: name || 'A case from the workbench', policy: policyId };
  if (asOf) c.as_of = asOf;
  c.facts = facts;
  c.expect = { decision, fired };
  return JSON.stringify([c], null, 2) + '\n';
}
