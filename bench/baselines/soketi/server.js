'use strict';
// The bench's Pusher-protocol peer: Soketi 1.6, the open-source Pusher server that Laravel and pusher-js users
// run, started in this process with one app and the limits its docs ship with lifted (the gateway's bench runs
// lift its own too). Everything it opens is bound to loopback: the WebSocket/HTTP port, the /usage port, and
// the UDP port of its node discovery (which otherwise broadcasts to 255.255.255.255 on the LAN).
//   node server.js --host 127.0.0.1 --port 0 --app-id bench --app-key bench-key --app-secret bench-secret
// prints "listening on http://HOST:PORT" once it accepts connections.
const net = require('net');
const dgram = require('dgram');
const { option, serve } = require('../common.js');

const host = option('--host', '127.0.0.1');
const wanted = Number(option('--port', '0'));

function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  // uWebSockets.js cannot report the port it picked for 0, and Soketi prints the one it was given: choose here
  const port = wanted || await freeTcpPort();
  const metricsPort = await freeTcpPort();
  const discoveryPort = await freeUdpPort();
  const { Server } = require('@soketi/soketi/dist/server');
  const server = new Server({
    host,
    port,
    'metrics.host': host,
    'metrics.port': metricsPort,
    'cluster.hostname': host,
    'cluster.address': host,
    'cluster.unicast': host,
    'cluster.port': discoveryPort,
    'appManager.array.apps': [{
      id: option('--app-id', 'bench'),
      key: option('--app-key', 'bench-key'),
      secret: option('--app-secret', 'bench-secret'),
      maxConnections: -1,
      enableClientMessages: true,
      enabled: true,
      maxBackendEventsPerSecond: -1,
      maxClientEventsPerSecond: -1,
      maxReadRequestsPerSecond: -1,
      webhooks: [],
    }],
  });
  server.start((s) => {
    if (!s.serverProcess) {
      console.error(`soketi could not listen on ${host}:${port}`);
      process.exit(1);
    }
    console.log(`listening on http://${host}:${port}`);
  });
  return () => server.stop();
}

serve(main);
