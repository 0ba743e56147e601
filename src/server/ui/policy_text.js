// The policy text, highlighted, with each rule's block marked applied, not
// applied or overridden after a decision. Rules are found by the file and
// line GET /v1/policies/{id} gives for each; a block runs from that line to
// the last line before the next item that starts in column 1.

import { el, clear } from './dom.js';
import { ruleAnchor } from './decision.js';

const KEYWORDS = new Set(('policy version in force from until source use module type one of facts outputs define ' +
  'rule cite when and or not then if else exception to is given default optional list table yes no true false ' +
  'missing any all none where record of').split(' '));

const TOKEN = /(#.*$)|("(?:[^"\\]|\\.)*"?)|(\b\d{4}-\d{2}-\d{2}\b)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_.-]*)|(\s+)|(.)/g;

// One line as highlighted spans (text nodes only).
function highlight(line) {
  const out = [];
  let m;
  TOKEN.lastIndex = 0;
  while ((m = TOKEN.exec(line)) !== null) {
    const [text, comment, string, date, number, word] = m;
    let cls = null;
    if (comment) cls = 'tok-comment';
    else if (string) cls = 'tok-string';
    else if (date) cls = 'tok-date';
    else if (number) cls = 'tok-number';
    else if (word && KEYWORDS.has(word)) cls = 'tok-keyword';
    out.push(cls ? el('span', { class: cls, text }) : document.createTextNode(text));
    if (m[0].length === 0) TOKEN.lastIndex++;
  }
  return out;
}

const startsItem = (line) => /^[^\s#]/.test(line);

// Renders every file of the version. Returns {mark(explanation), focusRule(name)}.
export function renderSource(container, source, rules) {
  clear(container);
  const byFile = new Map();
  for (const r of rules || []) {
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file).push(r);
  }
  const blocks = new Map();  // rule name -> block element
  const changed = (source.files || []).filter((f) => f.text !== null && f.text !== undefined && f.matches_loaded === false);
  if (changed.length) {
    container.append(el('p', { class: 'problem', role: 'status' },
      changed.map((f) => f.path).join(', ') + ' changed on disk after the policy was loaded: the text below is the new one, ' +
      'the decisions are still made by the loaded rules, so the marks may be off until the server reloads.'));
  }

  for (const file of source.files || []) {
    const section = el('section', { class: 'source-file' }, el('h3', { class: 'file-name', text: file.path }));
    if (file.text === null || file.text === undefined) {
      section.append(el('p', { class: 'problem', text: file.problem || 'The text of this file is not available.' }));
      container.append(section);
      continue;
    }
    const lines = file.text.replace(/\r\n/g, '\n').split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    const starts = new Map();
    for (const r of byFile.get(file.path) || []) starts.set(r.line, r);
    const code = el('div', { class: 'code', role: 'region', 'aria-label': 'Text of ' + file.path, tabindex: '0' });
    let k = 0;
    while (k < lines.length) {
      const rule = starts.get(k + 1);
      if (!rule) {
        code.append(lineElement(k + 1, lines[k]));
        ++k;
        continue;
      }
      // The rule's block: up to the next item in column 1, without trailing blank or comment lines.
      let end = k + 1;
      while (end < lines.length && !startsItem(lines[end]) && !starts.has(end + 1)) ++end;
      while (end > k + 1 && /^\s*(#.*)?$/.test(lines[end - 1])) --end;
      const badge = el('span', { class: 'mark', hidden: true });
      const block = el('div', { class: 'rule-block', id: ruleAnchor(rule.name), tabindex: '-1',
                                dataset: { rule: rule.name, status: 'none' } }, badge);
      block._badge = badge;
      for (let j = k; j < end; ++j) block.append(lineElement(j + 1, lines[j]));
      code.append(block);
      blocks.set(rule.name, block);
      k = end;
    }
    section.append(code);
    container.append(section);
  }

  const LABEL = { applied: 'applied', not_applied: 'not applied', overridden: 'overridden' };
  return {
    mark(explanation) {
      for (const block of blocks.values()) {
        block.dataset.status = 'none';
        block._badge.hidden = true;
      }
      for (const e of explanation || []) {
        const block = 'rule' in e ? blocks.get(e.rule) : null;
        if (!block) continue;
        block.dataset.status = e.status;
        block._badge.className = 'mark ' + e.status;
        block._badge.textContent = (LABEL[e.status] || e.status) +
          (e.status === 'overridden' && e.overridden_by ? ' by ' + e.overridden_by : '');
        block._badge.hidden = false;
      }
    },
    focusRule(name) {
      const block = blocks.get(name);
      if (!block) return false;
      for (const b of blocks.values()) b.classList.remove('focused');
      block.classList.add('focused');
      block.scrollIntoView({ block: 'center' });
      block.focus({ preventScroll: true });
      return true;
    },
  };
}

function lineElement(number, text) {
  return el('div', { class: 'line' }, el('span', { class: 'ln', 'aria-hidden': 'true', text: String(number) }),
    el('span', { class: 'lt' }, highlight(text)));
}
