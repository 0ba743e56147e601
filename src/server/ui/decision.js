// The decision: every output, the rules that fired with their citations,
// and the explanation as sentences, each rule a link to its text.

import { el, clear, showValue, idFor } from './dom.js';

const STATUS_TEXT = { applied: 'applied', not_applied: 'not applied', overridden: 'overridden', unknown: 'unknown',
                      not_evaluated: 'not evaluated' };

export const ruleAnchor = (name) => idFor('rule', name);

function ruleLink(name, onRule) {
  return el('a', { href: '#' + ruleAnchor(name), class: 'rule-link', dataset: { rule: name },
                   onclick: (e) => { e.preventDefault(); onRule(name); } }, name);
}

function valuesText(values) {
  const parts = Object.entries(values || {}).map(([k, v]) => k + ' is ' + showValue(v));
  return parts.join(', ');
}

// One sentence for a rule's entry of the explanation.
function ruleSentence(entry) {
  const values = valuesText(entry.values);
  switch (entry.status) {
    case 'applied': {
      let s = 'applied' + (entry.cite ? ' (' + entry.cite + ')' : '') + (values ? ': ' + values : '');
      if (entry.overrode && entry.overrode.length) s += '; it overrides ' + entry.overrode.join(', ');
      return s;
    }
    case 'not_applied':
      return entry.failed_condition
        ? 'did not apply: ' + entry.failed_condition + ' does not hold' + (values ? ' (' + values + ')' : '')
        : 'did not apply';
    case 'overridden':
      return 'held but was overridden by the exception ' + entry.overridden_by;
    default:
      return STATUS_TEXT[entry.status] || entry.status;
  }
}

export function renderDecision(container, response, request, onRule) {
  clear(container);
  const p = response.policy || {};
  container.append(el('p', { class: 'decided-by' },
    'Decided by ', el('strong', { text: p.id + ' version ' + p.version }),
    ' as of ', el('strong', { id: 'decided-as-of', text: response.as_of || request.as_of || 'today' }),
    el('br'), el('span', { class: 'muted hash', text: p.hash || '' })));

  const rows = Object.entries(response.decision || {}).map(([name, value]) =>
    el('tr', { dataset: { output: name } },
       el('th', { scope: 'row', text: name }),
       el('td', { class: 'value' + (value === null ? ' none' : ''), dataset: { value: JSON.stringify(value) },
                  text: value === null ? 'none' : showValue(value) })));
  container.append(el('h3', { text: 'Outputs' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'outputs' },
      el('caption', { class: 'visually-hidden', text: 'Every output of the decision' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Output' }), el('th', { scope: 'col', text: 'Value' }))),
      el('tbody', {}, rows))));

  const fired = response.fired || [];
  container.append(el('h3', { text: 'Rules that fired' }),
    fired.length
      ? el('ol', { id: 'fired' }, fired.map((f) =>
          el('li', { dataset: { rule: f.rule } }, ruleLink(f.rule, onRule), el('span', { class: 'cite', text: ' ' + (f.cite || '') }))))
      : el('p', { id: 'fired', class: 'muted', text: 'No rule fired.' }));

  const explanation = response.explanation || [];
  const rules = explanation.filter((e) => 'rule' in e);
  const derived = explanation.filter((e) => !('rule' in e));
  container.append(el('h3', { text: 'Why' }),
    el('ul', { id: 'explanation', class: 'explanation' }, rules.map((e) =>
      el('li', { class: 'status-' + e.status, dataset: { rule: e.rule, status: e.status } },
        el('span', { class: 'mark ' + e.status, text: STATUS_TEXT[e.status] || e.status }), ' ',
        ruleLink(e.rule, onRule), ' ', ruleSentence(e),
        e.title ? el('span', { class: 'muted', text: ' (' + e.title + ')' }) : null))));
  if (derived.length) {
    container.append(el('h3', { text: 'How each value was computed' }),
      el('ul', { id: 'derivations', class: 'explanation' }, derived.map((e) => {
        const name = e.output || e.define;
        const inputs = valuesText(e.inputs);
        const parts = [el('code', { text: name + ' = ' + showValue(e.value) })];
        if (e.output && e.decided_by) {
          parts.push(', by ', ruleLink(e.decided_by, onRule), ': ' + e.expression);
        } else if (e.output) {
          parts.push(e.from === 'default' ? ' (the default: no rule set it)' : ' (no rule set it)');
        } else {
          parts.push(', from ' + e.expression);
        }
        if (inputs) parts.push(' where ' + inputs);
        return el('li', { dataset: { [e.output ? 'output' : 'define']: name } }, parts);
      })));
  }
}

// The answer to facts the policy refused, or any other error, in place of a decision.
export function renderError(container, title, message, unplaced) {
  clear(container);
  container.append(el('div', { class: 'problem', role: 'alert' },
    el('p', {}, el('strong', { text: title })), el('p', { text: message }),
    unplaced && unplaced.length
      ? el('ul', {}, unplaced.map((u) => el('li', { text: (u.path ? u.path + ': ' : '') + u.problem })))
      : null));
}
