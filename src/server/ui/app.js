// The workbench: pick a policy, fill in a case, decide, see why, save it as
// a scenario, run the suites. It talks only to this server's public API.

import { ApiError, getJson, postJson, errorText, policyPath } from './api.js';
import { el, clear } from './dom.js';
import { buildForm } from './form.js';
import { renderDecision, renderError } from './decision.js';
import { renderSource } from './policy_text.js';
import { readableScenario, jsonScenario } from './scenario_text.js';
import { renderSuites } from './suites.js';

const $ = (id) => document.getElementById(id);

const state = {
  versions: [],       // GET /v1/policies
  policyId: null,
  detail: null,       // GET /v1/policies/{id} for the version shown
  form: null,
  sourceView: null,   // the rendered policy text
  sourceVersion: null,
  lastCase: null,     // {policyId, asOf, facts, response}
};

// ---- Errors are shown, never thrown at the reader --------------------------

function showBanner(message) {
  const b = $('banner');
  clear(b).append(el('span', { text: message }),
    el('button', { type: 'button', class: 'small', onclick: () => { b.hidden = true; } }, 'Dismiss'));
  b.hidden = false;
}

function friendly(e) {
  return e instanceof ApiError ? e.message : 'Something went wrong in the workbench (' + (e && e.message ? e.message : e) + ').';
}

window.addEventListener('error', (e) => showBanner('Something went wrong in the workbench: ' + e.message + '. Reload the page to start again.'));
window.addEventListener('unhandledrejection', (e) => { e.preventDefault(); showBanner(friendly(e.reason)); });

function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
}

// ---- Policies --------------------------------------------------------------

function todayIso() {
  const d = new Date();
  return d.getUTCFullYear() + '-' + String(d.getUTCMonth() + 1).padStart(2, '0') + '-' + String(d.getUTCDate()).padStart(2, '0');
}

function renderPolicies() {
  const body = $('policies-table').tBodies[0];
  clear(body);
  const ids = new Set();
  for (const v of state.versions) {
    ids.add(v.id);
    body.append(el('tr', { dataset: { policy: v.id, version: v.version } },
      el('td', {}, el('code', { text: v.id })),
      el('td', { text: v.version }),
      el('td', { text: v.title }),
      el('td', {}, el('span', { class: 'nowrap', text: v.in_force_from }), ' to ',
         el('span', { class: 'nowrap', text: v.in_force_to || 'now' })),
      el('td', { class: 'source-cell', text: v.source || '' }),
      el('td', {}, el('code', { class: 'hash nowrap', title: v.hash, text: (v.hash || '').slice(0, 15) + '…' })),
      el('td', { text: (v.files || []).join(', ') }),
      el('td', {}, el('button', { type: 'button', class: 'small',
        'aria-label': 'Show the text of ' + v.id + ' version ' + v.version,
        onclick: () => choosePolicy(v.id, v.version) }, 'Show'))));
  }
  $('policies-count').textContent = '(' + ids.size + ' policies, ' + state.versions.length + ' versions)';
  const select = $('policy-select');
  clear(select);
  select.append(el('option', { value: '', text: 'choose a policy…' }));
  for (const id of [...ids].sort()) {
    const title = state.versions.find((v) => v.id === id).title;
    select.append(el('option', { value: id, text: id + ': ' + title }));
  }
  select.disabled = false;
}

// The version of a policy in force on a day (or null).
function versionOn(id, day) {
  return state.versions.find((v) => v.id === id && v.in_force_from <= day && (!v.in_force_to || day <= v.in_force_to)) || null;
}

// Loads a policy: its form (schema of the version in force on the case's
// date), and the text of `version` (default: that same version).
async function choosePolicy(id, version, facts) {
  if (!id) return;
  const select = $('policy-select');
  select.value = id;
  const asOf = $('as-of').value || todayIso();
  let detailDay = asOf;
  if (!versionOn(id, asOf)) {
    // Nothing in force that day: show the newest version, and say so.
    const newest = state.versions.filter((v) => v.id === id).pop();
    detailDay = newest ? newest.in_force_from : asOf;
  }
  const keep = state.form && state.policyId === id ? state.form.read() : null;
  const detail = await getJson(policyPath(id) + '?as_of=' + encodeURIComponent(detailDay));
  state.policyId = id;
  state.detail = detail;
  $('case-intro').textContent = detail.title + ': the facts of version ' + detail.version +
    '. Fields marked (required) must be filled in; the others have defaults.';
  $('case-form').hidden = false;
  state.form = buildForm($('facts-fields'), detail.facts_schema);
  if (facts || keep) state.form.fill(facts || keep);
  $('run-suites').disabled = false;
  $('run-suites').textContent = 'Run the suites of ' + id;
  await showSource(id, version || detail.version);
  if (!facts) resetDecision();
}

async function showSource(id, version) {
  const [source, detail] = await Promise.all([
    getJson(policyPath(id) + '/source?version=' + encodeURIComponent(version)),
    version === state.detail.version ? state.detail
      : getJson(policyPath(id) + '?as_of=' + encodeURIComponent(state.versions.find((v) => v.id === id && v.version === version).in_force_from)),
  ]);
  state.sourceVersion = version;
  state.sourceView = renderSource($('source'), source, detail.rules);
  $('source-meta').textContent = id + ' version ' + version + ' · ' + source.hash;
  $('legend').hidden = true;
}

// No decision is shown: nothing marked in the text, nothing to save.
function forgetDecision() {
  state.lastCase = null;
  if (state.sourceView) state.sourceView.mark([]);
  $('legend').hidden = true;
  $('scenario-body').hidden = true;
  $('scenario-intro').hidden = false;
}

function resetDecision() {
  forgetDecision();
  clear($('decision-body')).append(el('p', { class: 'muted', text: 'Fill in the case and press Decide.' }));
}

// ---- Deciding ---------------------------------------------------------------

function focusRule(name) {
  if (!state.sourceView || !state.sourceView.focusRule(name)) {
    showBanner('The rule ' + name + ' is not in the policy text shown.');
  }
}

async function decide(event) {
  event.preventDefault();
  const button = $('decide');
  busy(button, true);
  try {
    const facts = state.form.read();
    const asOf = $('as-of').value;
    const request = { facts, explain: true };
    if (asOf) request.as_of = asOf;
    state.form.clearErrors();
    hideError($('as-of'));
    $('error-summary').hidden = true;
    const r = await postJson('/v1/decide/' + encodeURIComponent(state.policyId), request);
    writeFragment(state.policyId, asOf, facts);
    if (r.status === 200) {
      if (r.body.policy.version !== state.sourceVersion) await showSource(state.policyId, r.body.policy.version);
      renderDecision($('decision-body'), r.body, request, focusRule);
      state.sourceView.mark(r.body.explanation);
      $('legend').hidden = false;
      // The text beside the decision starts at the first rule that applied.
      const first = document.querySelector('#source .rule-block[data-status="applied"]');
      if (first && first.offsetParent === $('policy-text')) $('policy-text').scrollTop = first.offsetTop - 60;
      state.lastCase = { policyId: state.policyId, asOf: r.body.as_of || asOf, facts, response: r.body };
      showScenario();
      return;
    }
    forgetDecision();
    const error = r.body.error || {};
    const details = Array.isArray(error.details) ? error.details : [];
    if (error.code === 'invalid_facts' || (error.code === 'invalid_request' && details.length)) {
      const asOfProblems = details.filter((d) => d.path === 'as_of');
      asOfProblems.forEach((d) => showError($('as-of'), d.problem));
      const unplaced = state.form.showErrors(details.filter((d) => d.path !== 'as_of'));
      summarise(details);
      renderError($('decision-body'), 'The facts were not accepted', errorText(r), unplaced);
    } else {
      renderError($('decision-body'), 'No decision', errorText(r));
    }
  } catch (e) {
    forgetDecision();
    renderError($('decision-body'), 'No decision', friendly(e));
  } finally {
    busy(button, false);
  }
}

function showError(control, message) {
  const box = $(control.id + '-error');
  box.textContent = message;
  box.hidden = false;
  control.setAttribute('aria-invalid', 'true');
}
function hideError(control) {
  $(control.id + '-error').hidden = true;
  control.removeAttribute('aria-invalid');
}

// A list of every problem at the top of the form, each a link to its field.
function summarise(details) {
  const box = $('error-summary');
  clear(box).append(el('p', {}, el('strong', { text: details.length === 1 ? 'One fact needs attention' : details.length + ' facts need attention' })),
    el('ul', {}, details.map((d) => {
      const field = d.path === 'as_of' ? $('as-of').closest('.field') : state.form.fieldFor(d.path);
      const control = field && field.querySelector('input, select, button');
      return el('li', {}, control
        ? el('a', { href: '#' + control.id, onclick: (e) => { e.preventDefault(); control.focus(); } }, d.path + ': ' + d.problem)
        : d.path + ': ' + d.problem);
    })));
  box.hidden = false;
  box.focus();
}

// ---- Save as a scenario, and the link to the case ----------------------------

let downloadUrls = [];

function showScenario() {
  const c = state.lastCase;
  if (!c) return;
  const args = {
    name: $('scenario-name').value.trim(), policyId: c.policyId, asOf: c.asOf, facts: c.facts,
    factsSchema: state.detail.facts_schema, outputs: state.detail.outputs,
    decision: c.response.decision, fired: (c.response.fired || []).map((f) => f.rule),
  };
  const readable = readableScenario(args);
  $('scenario-text').value = readable.text;
  const note = $('scenario-note');
  note.hidden = readable.unwritable.length === 0;
  note.textContent = readable.unwritable.length
    ? 'The readable format cannot hold ' + readable.unwritable.join(', ') + ' yet; the JSON suite has everything.' : '';
  downloadUrls.forEach((u) => URL.revokeObjectURL(u));
  downloadUrls = [
    URL.createObjectURL(new Blob([readable.text], { type: 'text/plain' })),
    URL.createObjectURL(new Blob([jsonScenario(args)], { type: 'application/json' })),
  ];
  $('download-scenario').href = downloadUrls[0];
  $('download-json').href = downloadUrls[1];
  $('case-link').href = caseLink(c.policyId, c.asOf, c.facts);
  $('scenario-body').hidden = false;
  $('scenario-intro').hidden = true;
}

function caseLink(policyId, asOf, facts) {
  const params = new URLSearchParams();
  params.set('policy', policyId);
  if (asOf) params.set('as_of', asOf);
  params.set('facts', JSON.stringify(facts));
  return location.pathname + '#' + params.toString();
}

function writeFragment(policyId, asOf, facts) {
  history.replaceState(null, '', caseLink(policyId, asOf, facts));
}

// Opens the case a link carries: #policy=...&as_of=...&facts={...}
async function openFragment() {
  if (!location.hash.includes('policy=')) return false;
  const params = new URLSearchParams(location.hash.slice(1));
  const id = params.get('policy');
  if (!state.versions.some((v) => v.id === id)) {
    showBanner('The link names a policy this server does not have: ' + id + '.');
    return false;
  }
  let facts = {};
  try {
    facts = JSON.parse(params.get('facts') || '{}');
  } catch (e) {
    showBanner('The facts in the link cannot be read; the form starts empty.');
  }
  $('as-of').value = params.get('as_of') || '';
  await choosePolicy(id, null, facts);
  if (params.get('facts')) $('case-form').requestSubmit();
  return true;
}

// ---- Suites -------------------------------------------------------------------

async function runSuites() {
  const button = $('run-suites');
  busy(button, true);
  clear($('suites-body')).append(el('p', { class: 'muted', text: 'Running…' }));
  try {
    const result = await getJson(policyPath(state.policyId) + '/suites');
    renderSuites($('suites-body'), result, openScenario);
  } catch (e) {
    clear($('suites-body')).append(el('p', { class: 'problem', role: 'alert', text: friendly(e) }));
  } finally {
    busy(button, false);
  }
}

async function openScenario(sc) {
  $('as-of').value = sc.as_of || '';
  if (sc.policy !== state.policyId) await choosePolicy(sc.policy, null, sc.facts);
  else state.form.fill(sc.facts);
  $('scenario-name').value = sc.name;
  resetDecision();
  $('case').scrollIntoView();
  const first = $('case-form').querySelector('input, select');
  if (first) first.focus();
}

// ---- Start -----------------------------------------------------------------------

async function start() {
  $('case-form').addEventListener('submit', (e) => decide(e));
  $('clear-case').addEventListener('click', () => { state.form.fill({}); state.form.clearErrors(); resetDecision(); });
  $('policy-select').addEventListener('change', (e) => {
    $('suites-body').textContent = '';
    choosePolicy(e.target.value).catch((err) => showBanner(friendly(err)));
  });
  $('as-of').addEventListener('change', () => {
    // Another day may be another version, with other facts.
    const day = $('as-of').value || todayIso();
    const v = state.policyId && versionOn(state.policyId, day);
    if (v && state.detail && v.version !== state.detail.version) {
      choosePolicy(state.policyId, v.version).catch((err) => showBanner(friendly(err)));
    }
  });
  $('scenario-name').addEventListener('input', showScenario);
  $('copy-scenario').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('scenario-text').value);
      $('copy-scenario').textContent = 'Copied';
    } catch (e) {
      $('scenario-text').select();
      showBanner('The browser did not allow copying; the text is selected: press Ctrl+C.');
    }
  });
  $('run-suites').addEventListener('click', () => runSuites());
  // A case link pasted into the address bar of an open workbench.
  window.addEventListener('hashchange', () => openFragment().catch((err) => showBanner(friendly(err))));

  try {
    state.versions = (await getJson('/v1/policies')).policies;
    renderPolicies();
    if (!(await openFragment()) && state.versions.length === 1) await choosePolicy(state.versions[0].id);
    if (!state.versions.length) $('case-intro').textContent = 'The server has no policies loaded.';
  } catch (e) {
    showBanner(friendly(e));
    $('case-intro').textContent = 'The policies could not be loaded.';
  }
  document.body.dataset.ready = 'true';
}

start();
