// A Switchboard backend in 15 lines of Node (no dependencies): who connects, and an app.* RPC that streams.
import http from 'node:http';
http.createServer(async (req, res) => {
  let body = ''; for await (const chunk of req) body += chunk;
  const hook = JSON.parse(body || '{}');
  res.setHeader('Content-Type', 'application/json');
  if (req.url === '/connect') { // let in whoever sends the right session cookie
    const ok = /session=letmein/.test(hook.headers?.cookie || '');
    return res.end(JSON.stringify(ok ? { user: 'cookie-user', channels: { subscribe: ['chat:*'] } } : { error: { code: 'forbidden', message: 'log in first' } }));
  }
  if (hook.type === 'app.add') return res.end(JSON.stringify({ data: { sum: hook.data.a + hook.data.b } }));
  res.setHeader('Content-Type', 'application/x-ndjson'); // app.tokens: one chunk per line
  for (const word of ['Hello', 'from', 'Node']) res.write(JSON.stringify({ text: word }) + '\n');
  res.end();
}).listen(Number(process.env.PORT || 3000), '127.0.0.1', function () { console.log(`backend on ${this.address().port}`); });
