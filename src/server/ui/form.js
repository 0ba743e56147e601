// A form generated from a policy's facts schema (the JSON Schema that
// GET /v1/policies/{id} answers), generically: objects become fieldsets,
// arrays lists with Add and Remove (their items may be objects: records),
// and each leaf the control its type needs. Nothing here knows a policy.
//
// buildForm(container, schema) returns {read, fill, showErrors, clearErrors}:
//   read()            -> the facts object, leaving out what is not set
//   fill(facts)       -> sets the controls from a facts object
//   showErrors(list)  -> [{path, problem}] shown at each field; returns those
//                        whose field the form does not have

import { el, clear, idFor, showValue } from './dom.js';

// ---- Reading a schema ------------------------------------------------------

function types(schema) {
  const t = schema.type;
  return Array.isArray(t) ? t : t ? [t] : [];
}

function nullable(schema) {
  return types(schema).includes('null') || (Array.isArray(schema.enum) && schema.enum.includes(null));
}

// The kind of control a schema needs.
function kindOf(schema) {
  const t = types(schema).filter((x) => x !== 'null');
  if (Array.isArray(schema.enum)) return 'choice';
  if (t.includes('object') || schema.properties) return 'object';
  if (t.includes('array')) return 'array';
  if (t.includes('boolean')) return 'boolean';
  if (t.includes('integer')) return 'integer';
  if (t.includes('number')) return 'decimal';  // ["number", "string"]: exact amounts may be text
  if (t.includes('string') && schema.format === 'date') return 'date';
  if (t.includes('string') && schema.pattern && schema.pattern.startsWith('^P')) return 'duration';
  return 'text';
}

const KIND_HELP = {
  decimal: 'A number, e.g. 1250.50.',
  duration: 'A duration: P4W is 4 weeks, P28D 28 days, P1M one month, P2Y two years.',
};

// ---- Building controls -----------------------------------------------------

let serial = 0;
const uid = (path) => idFor('f', path) + '-' + (++serial);

// Each node of the model has: element, read() -> {set, value}, fill(value).
// Its fields carry their JSON path in data-path, where errors are found (fieldFor).

function leafNode(schema, path, label, required) {
  const kind = kindOf(schema);
  const id = uid(path);
  const helpId = id + '-help';
  const errorId = id + '-error';
  const optional = !required;
  const def = schema.default;
  const defText = def !== undefined ? 'default: ' + showValue(def) : '';
  let control;

  if (kind === 'choice' || kind === 'boolean') {
    const values = kind === 'boolean' ? [true, false] : schema.enum.filter((v) => v !== null);
    control = el('select', { id, name: path });
    const blank = optional ? 'not set' + (defText ? ' (' + defText + ')' : '') : 'choose…';
    control.append(el('option', { value: '' , text: blank }));
    values.forEach((v, k) => control.append(el('option', { value: String(k), text: showValue(v) })));
    control._values = values;
  } else if (kind === 'date') {
    control = el('input', { id, name: path, type: 'date' });
  } else if (kind === 'integer') {
    control = el('input', { id, name: path, type: 'number', step: '1', inputmode: 'numeric' });
  } else {
    control = el('input', { id, name: path, type: 'text',
                            inputmode: kind === 'decimal' ? 'decimal' : undefined,
                            placeholder: kind === 'duration' ? 'e.g. P4W' : undefined,
                            autocomplete: 'off' });
  }
  control.dataset.path = path;
  control.setAttribute('aria-describedby', helpId + ' ' + errorId);
  if (required) control.setAttribute('aria-required', 'true');

  const help = [schema.description, KIND_HELP[kind], defText && !(kind === 'choice' || kind === 'boolean') ? defText : '']
    .filter(Boolean).join(' · ');
  const wrapper = el('div', { class: 'field', dataset: { path } },
    el('label', { for: id }, el('span', { class: 'name', text: label }),
       required ? el('span', { class: 'req', text: ' (required)' }) : el('span', { class: 'muted', text: ' (optional)' })),
    control,
    el('p', { class: 'help', id: helpId, text: help, hidden: !help }),
    el('p', { class: 'field-error', id: errorId, hidden: true }));

  function read() {
    if (control.tagName === 'SELECT') {
      if (control.value === '') return { set: false };
      return { set: true, value: control._values[Number(control.value)] };
    }
    const text = control.value.trim();
    if (text === '') {
      // A number input holding something that is not a number reads as ''.
      if (control.validity && control.validity.badInput) return { set: true, value: 'not a number' };
      return { set: false };
    }
    if (kind === 'integer') {
      const n = Number(text);
      return { set: true, value: Number.isInteger(n) ? n : text };
    }
    return { set: true, value: text };  // decimals go as text: exact, and the server checks them
  }

  function fill(value) {
    if (control.tagName === 'SELECT') {
      const k = control._values.findIndex((v) => v === value);
      control.value = value === undefined || value === null || k < 0 ? '' : String(k);
    } else {
      control.value = value === undefined || value === null ? '' : String(value);
    }
  }

  return { element: wrapper, read, fill };
}

function objectNode(schema, path, label, required, isRoot) {
  const props = schema.properties || {};
  const requiredSet = new Set(schema.required || []);
  const children = Object.entries(props).map(([key, sub]) => {
    const childPath = path ? path + '.' + key : key;
    return [key, buildNode(sub, childPath, key, requiredSet.has(key))];
  });
  const body = children.map(([, node]) => node.element);
  let element;
  if (isRoot) {
    element = el('div', { class: 'object root' }, body);
  } else {
    const help = schema.description ? el('p', { class: 'help', text: schema.description }) : null;
    element = el('fieldset', { class: 'object', dataset: { path } },
      el('legend', {}, el('span', { class: 'name', text: label }),
         required ? '' : el('span', { class: 'muted', text: ' (optional)' })),
      help, el('p', { class: 'field-error', hidden: true }), body);
  }

  function read() {
    const out = {};
    let any = false;
    for (const [key, node] of children) {
      const r = node.read();
      if (r.set) { out[key] = r.value; any = true; }
    }
    // A group with nothing in it is left out, unless it is required (the
    // server then names each missing fact in it).
    if (!any && !required && !isRoot) return { set: false };
    return { set: true, value: out };
  }
  function fill(value) {
    const v = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    for (const [key, node] of children) node.fill(v[key]);
  }
  return { element, read, fill };
}

function arrayNode(schema, path, label, required) {
  const itemSchema = schema.items || {};
  const items = [];  // [{node, row}]
  const list = el('ol', { class: 'items' });
  const itemName = itemSchema.title || (kindOf(itemSchema) === 'object' ? 'record' : 'item');
  const addButton = el('button', { type: 'button', class: 'add', text: 'Add ' + itemName + ' to ' + label });
  const element = el('fieldset', { class: 'array', dataset: { path } },
    el('legend', {}, el('span', { class: 'name', text: label }),
       el('span', { class: 'muted', text: ' (list' + (required ? '' : ', optional') + ')' })),
    schema.description ? el('p', { class: 'help', text: schema.description }) : null,
    el('p', { class: 'field-error', hidden: true }),
    list, addButton);

  function renumber() {
    // Paths and labels follow the position, so errors land on the right item.
    items.forEach((item, k) => {
      [item.node.element, ...item.node.element.querySelectorAll('[data-path]')].forEach((n) => {
        n.dataset.path = path + '[' + k + ']' + n.dataset.path.slice(item.prefix.length);
      });
      item.prefix = path + '[' + k + ']';
      item.remove.textContent = 'Remove ' + itemName + ' ' + (k + 1);
      const caption = item.node.element.querySelector(':scope > legend .name, :scope > label .name');
      if (caption) caption.textContent = itemName + ' ' + (k + 1);
    });
  }
  function add(value) {
    const k = items.length;
    const prefix = path + '[' + k + ']';
    const node = buildNode(itemSchema, prefix, itemName + ' ' + (k + 1), true);
    const remove = el('button', { type: 'button', class: 'remove', text: 'Remove ' + itemName + ' ' + (k + 1) });
    const row = el('li', {}, node.element, remove);
    const item = { node, row, remove, prefix };
    remove.addEventListener('click', () => {
      const at = items.indexOf(item);
      items.splice(at, 1);
      row.remove();
      renumber();
      (items[at] ? items[at].remove : addButton).focus();
    });
    items.push(item);
    list.append(row);
    if (value !== undefined) node.fill(value);
    return node;
  }
  addButton.addEventListener('click', () => {
    const node = add();
    const first = node.element.querySelector('input, select, button');
    if (first) first.focus();
  });

  function read() {
    if (items.length === 0 && !required) return { set: false };
    return { set: true, value: items.map((i) => { const r = i.node.read(); return r.set ? r.value : null; }) };
  }
  function fill(value) {
    items.splice(0).forEach((i) => i.row.remove());
    if (Array.isArray(value)) value.forEach((v) => add(v));
  }
  return { element, read, fill };
}

function buildNode(schema, path, label, required) {
  const kind = kindOf(schema);
  if (kind === 'object') return objectNode(schema, path, label, required, false);
  if (kind === 'array') return arrayNode(schema, path, label, required);
  return leafNode(schema, path, label, required);
}

// ---- The form --------------------------------------------------------------

export function buildForm(container, schema) {
  clear(container);
  const root = objectNode(schema, '', '', true, true);
  container.append(root.element);

  // The field wrapper for a JSON path, or the nearest enclosing one.
  function fieldFor(path) {
    let p = path;
    while (p) {
      const found = container.querySelector('.field[data-path="' + CSS.escape(p) + '"], fieldset[data-path="' + CSS.escape(p) + '"]');
      if (found) return found;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
    return null;
  }

  function clearErrors() {
    container.querySelectorAll('.field-error').forEach((e) => { e.hidden = true; e.textContent = ''; });
    container.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    container.querySelectorAll('.invalid').forEach((c) => c.classList.remove('invalid'));
  }

  function showErrors(problems) {
    clearErrors();
    const unplaced = [];
    for (const pr of problems) {
      const field = fieldFor(pr.path || '');
      if (!field) { unplaced.push(pr); continue; }
      const box = field.querySelector(':scope > .field-error');
      box.hidden = false;
      const exact = field.dataset.path === pr.path;
      box.textContent = (box.textContent ? box.textContent + ' ' : '') + (exact ? '' : pr.path + ': ') + pr.problem;
      field.classList.add('invalid');
      const control = field.querySelector(':scope > input, :scope > select');
      if (control) control.setAttribute('aria-invalid', 'true');
    }
    return unplaced;
  }

  return {
    read: () => root.read().value,
    fill: (facts) => root.fill(facts),
    showErrors,
    clearErrors,
    fieldFor,
  };
}
