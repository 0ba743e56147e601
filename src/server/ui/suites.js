// The shipped suites of a policy, run by the server
// (GET /v1/policies/{id}/suites): passes, failures with expected against
// actual and the explanation, and rule coverage.

import { el, clear } from './dom.js';

const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');

export function renderSuites(container, result, onOpen) {
  clear(container);
  const total = el('p', { id: 'suites-total', class: 'totals ' + (result.failed ? 'bad' : 'good'),
                          dataset: { passed: result.passed, failed: result.failed } },
    el('strong', { text: result.passed + ' passed, ' + result.failed + ' failed' }),
    ' in ' + plural(result.suites.length, 'suite'));
  container.append(total);
  if (!result.suites.length) {
    container.append(el('p', { class: 'muted', text: 'No suite under the policies folder has a scenario for ' + result.policy + '.' }));
  }

  for (const suite of result.suites) {
    const rows = suite.scenarios.map((sc) => {
      const failed = sc.status === 'failed';
      return el('li', { class: 'scenario ' + sc.status, dataset: { status: sc.status, name: sc.name } },
        el('span', { class: 'mark ' + (failed ? 'failed' : sc.status === 'passed' ? 'passed' : 'skipped'), text: sc.status }), ' ',
        el('span', { class: 'scenario-name', text: sc.name }), ' ',
        el('button', { type: 'button', class: 'small', 'aria-label': 'Open "' + sc.name + '" in the form',
                       onclick: () => onOpen(sc) }, 'Open in the form'),
        failed
          ? el('div', { class: 'failure' },
              el('pre', { class: 'failures', text: sc.failures.join('\n') }),
              sc.detail ? el('details', {}, el('summary', { text: 'Why the policy decided so' }),
                                  el('pre', { text: sc.detail })) : null)
          : null);
    });
    const problems = suite.problems.length
      ? el('pre', { class: 'problem', text: suite.problems.join('\n') }) : null;
    const details = el('details', { class: 'suite', open: suite.failed > 0 || suite.problems.length > 0,
                                    dataset: { path: suite.path, passed: suite.passed, failed: suite.failed } },
      el('summary', {}, el('strong', { text: suite.path }), ' ', suite.title ? '“' + suite.title + '”' : '',
         el('span', { class: 'counts', text: ' ' + suite.passed + ' passed, ' + suite.failed + ' failed' })),
      problems, el('ul', { class: 'scenarios' }, rows));
    container.append(details);
  }

  if (result.coverage && result.coverage.length) {
    container.append(el('h3', { text: 'Rule coverage' }),
      el('ul', { id: 'coverage', class: 'coverage' }, result.coverage.map((line) => el('li', { text: line }))));
  }
}
