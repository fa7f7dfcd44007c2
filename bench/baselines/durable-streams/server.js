'use strict';
// The reference Durable Streams server (the protocol's own, in memory), bound to loopback, as the bench's
// baseline for /streams: node server.js --host 127.0.0.1 --port 0 prints "listening on http://HOST:PORT".
const { option, serve } = require('../common.js');

async function main() {
  const { DurableStreamTestServer } = await import('@durable-streams/server');
  const server = new DurableStreamTestServer({
    host: option('--host', '127.0.0.1'),
    port: Number(option('--port', '0')),
    longPollTimeout: 30000,
    compression: false, // the gateway does not compress either: compare the protocol, not gzip
  });
  const url = await server.start();
  console.log(`listening on ${url}`);
  return () => server.stop();
}

serve(main);
