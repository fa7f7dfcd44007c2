'use strict';
// The baseline: a pub/sub broadcast server written the way the popular Node.js tutorials write one —
// the `ws` package, JSON.parse on every message, and a plain loop over the channel's clients calling send().
// It speaks the Switchboard envelope for the types the bench uses (subscribe, unsubscribe, publish, echo,
// the bare "ping"), plus a /auth/token stub, so `switchboard bench` runs the exact same load against it.
// Deliberately not tuned: it is what a team would otherwise ship.
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');
const { option, benchHttp } = require('../common.js');


const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '8090'));

const channels = new Map(); // channel name -> Set of sockets
const offsets = new Map(); // channel name -> last offset
let nextConnection = 1;

const server = http.createServer((req, res) => {
  if (!benchHttp(req, res)) {
    res.writeHead(404);
    res.end();
  }
});

const wss = new WebSocketServer({ server, path: '/ws' });

function reply(ws, id, data) {
  if (id !== undefined && id !== null) {
    ws.send(JSON.stringify({ type: 'reply', re: String(id), data }));
  }
}

wss.on('connection', (ws) => {
  ws.id = 'node-' + nextConnection++;
  ws.channels = new Set();
  ws.send(JSON.stringify({ type: 'welcome', connection: ws.id, user: 'bench', endpoint: '/ws', node: 'node', ts: Date.now() }));

  ws.on('message', (raw) => {
    const text = raw.toString();
    if (text === 'ping') {
      ws.send('pong');
      return;
    }
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      ws.send(JSON.stringify({ type: 'error', error: { code: 'bad_json', message: e.message } }));
      return;
    }
    const data = msg.data || {};
    switch (msg.type) {
      case 'subscribe': {
        if (!channels.has(data.channel)) channels.set(data.channel, new Set());
        channels.get(data.channel).add(ws);
        ws.channels.add(data.channel);
        reply(ws, msg.id, { channel: data.channel, offset: offsets.get(data.channel) || 0, epoch: 'node' });
        break;
      }
      case 'unsubscribe': {
        const subs = channels.get(data.channel);
        if (subs) subs.delete(ws);
        ws.channels.delete(data.channel);
        reply(ws, msg.id, { channel: data.channel });
        break;
      }
      case 'publish': {
        const offset = (offsets.get(data.channel) || 0) + 1;
        offsets.set(data.channel, offset);
        const ts = Date.now();
        const out = JSON.stringify({ type: 'message', channel: data.channel, offset, epoch: 'node', ts, from: 'bench', data: data.data });
        const subs = channels.get(data.channel) || new Set();
        for (const client of subs) {
          if (client.readyState === WebSocket.OPEN) {
            client.send(out);
          }
        }
        reply(ws, msg.id, { channel: data.channel, offset, epoch: 'node', ts });
        break;
      }
      case 'echo':
        reply(ws, msg.id, msg.data);
        break;
      default:
        ws.send(JSON.stringify({ type: 'error', re: msg.id, error: { code: 'unknown_type', message: String(msg.type) } }));
    }
  });

  ws.on('close', () => {
    for (const name of ws.channels) {
      const subs = channels.get(name);
      if (subs) subs.delete(ws);
    }
  });
});

server.listen(port, host, () => {
  const addr = server.address();
  console.log(`Baseline listening on http://${addr.address}:${addr.port} (node ${process.version}, ws)`);
});

process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
