// The Durable Streams server conformance suite (@durable-streams/server-conformance-tests), run by vitest
// against a gateway's /streams/ prefix: CONFORMANCE_TEST_URL names it. The suite sends no credentials; the
// gateway wants its API key on every request, as a deployment would, so every request but a CORS preflight
// (which must work without credentials) gets Authorization: Bearer CONFORMANCE_API_KEY.
const key = process.env.CONFORMANCE_API_KEY;
const plain = globalThis.fetch;
globalThis.fetch = (input, init = {}) => {
  const method = (init.method || (input instanceof Request ? input.method : 'GET')).toUpperCase();
  if (!key || method === 'OPTIONS') return plain(input, init);
  const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
  return plain(input, { ...init, headers });
};

const { runConformanceTests } = await import('@durable-streams/server-conformance-tests');
runConformanceTests({ baseUrl: process.env.CONFORMANCE_TEST_URL });
