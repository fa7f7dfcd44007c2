'use strict';
// A hook backend as a Node team would write it: node:http, keep-alive on (Node's default), no framework.
// POST /rpc answers {"data": <the request>} (so the load client's send stamp comes back) without parsing it;
// POST /connect answers {"user": "bench"}. What the gateway's hook calls cost next to a backend this cheap.
const http = require('http');
const { option, serve } = require('../common.js');

const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '0'));
const CONNECT = Buffer.from('{"user":"bench"}');

serve(async () => {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/connect') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': CONNECT.length });
        res.end(CONNECT);
        return;
      }
      const body = Buffer.concat([Buffer.from('{"data":'), ...chunks, Buffer.from('}')]);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  console.log(`listening on http://${host}:${server.address().port}`);
  return () => new Promise((resolve) => server.close(resolve));
});
