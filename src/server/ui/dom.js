// Small DOM helpers. Text always goes in as text nodes, never as HTML, so
// nothing a policy or a server message contains can run as markup.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A value as the rule language shows it: yes/no, [a, b], "not given".
export function showValue(v) {
  if (v === null || v === undefined) return 'not given';
  if (v === true) return 'yes';
  if (v === false) return 'no';
  if (Array.isArray(v)) return '[' + v.map(showValue).join(', ') + ']';
  if (typeof v === 'object') {
    return '{' + Object.entries(v).map(([k, x]) => k + ': ' + showValue(x)).join(', ') + '}';
  }
  return String(v);
}

// An id made safe for the document from any name.
export function idFor(prefix, name) {
  return prefix + '-' + String(name).replace(/[^A-Za-z0-9_-]/g, (c) => '_' + c.charCodeAt(0).toString(16));
}
