// The decision service's public HTTP API, as the workbench calls it.
// Every call resolves to {status, body} with a JSON body, or throws an
// ApiError whose message is fit to show to people (never a stack trace).

export class ApiError extends Error {}

async function call(url, options) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (e) {
    throw new ApiError('The server cannot be reached (' + url + '). Is rulebook serve still running?');
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new ApiError('The server answered ' + url + ' with status ' + response.status + ' and no JSON.');
  }
  return { status: response.status, body };
}

// A GET that must succeed: anything but 200 throws with the server's message.
export async function getJson(url) {
  const r = await call(url, { headers: { Accept: 'application/json' } });
  if (r.status !== 200) throw new ApiError(errorText(r));
  return r.body;
}

// A POST whose error answers (422 and so on) the caller handles itself.
export function postJson(url, payload) {
  return call(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(payload),
  });
}

export function errorText(r) {
  const e = r.body && r.body.error;
  if (e && typeof e.message === 'string') return e.message + ' (' + e.code + ', HTTP ' + r.status + ')';
  return 'The server answered with status ' + r.status + '.';
}

export const policyPath = (id) => '/v1/policies/' + encodeURIComponent(id);
