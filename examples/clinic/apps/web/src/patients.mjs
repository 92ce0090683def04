// The patients screen: a table of patients with their allergies.
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** @param {{ fullName: string, bornOn: string, allergies: { substance: string, severity: string }[] }[]} patients */
export function render(patients) {
  const rows = patients.map((p) => `<tr><td>${escape(p.fullName)}</td><td>${escape(p.bornOn)}</td><td>${p.allergies.map((a) => `${escape(a.substance)} (${a.severity})`).join(', ')}</td></tr>`);
  return `<table><thead><tr><th>Name</th><th>Born on</th><th>Allergies</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
