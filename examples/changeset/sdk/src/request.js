// One call to the API: `{name}` in the path filled from `params`, the answer's JSON, or an error
// naming the status.
export async function request(baseUrl, method, path, params, body) {
  const filled = path.replace(/\{(\w+)\}/g, (_, name) => {
    if (params[name] === undefined) throw new Error(`${method} ${path} needs ${name}`);
    return encodeURIComponent(String(params[name]));
  });
  const res = await fetch(new URL(filled, baseUrl), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${filled}: ${res.status}`);
  return res.json();
}
