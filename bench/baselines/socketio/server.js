'use strict';
// The Socket.IO baseline: a pub/sub server the way the Socket.IO docs write one — rooms for channels
// (socket.join, io.to(room).emit), acknowledgements for replies, the default JSON parser, WebSocket transport
// only (the bench measures WebSockets, and the long-polling handshake would only add a round trip). With
// --redis URL it is one node of a cluster on @socket.io/redis-adapter (the adapter the docs recommend), so
// `switchboard bench cluster --baseline socketio` compares both clusters on the same Redis.
// Events (the load client speaks Engine.IO/Socket.IO framing for this target):
//   subscribe {channel}        -> ack {channel, offset, epoch}
//   publish {channel, data}    -> every socket in the room gets "message" {channel, offset, epoch, ts, from, data}
//   echo data                  -> ack data
// Deliberately not tuned beyond its documented defaults: it is what a team would otherwise ship.
const http = require('http');
const { Server } = require('socket.io');
const { option, benchHttp } = require('../common.js');


const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '8091'));
const redisUrl = option('--redis', '');
const nodeName = option('--node-id', 'socketio');

const offsets = new Map(); // channel -> last offset seen by this node (a counter, like the node baseline's)

const server = http.createServer((req, res) => {
  // Socket.IO answers its own /socket.io/ requests on this server
  if (!req.url.startsWith('/socket.io/') && !benchHttp(req, res)) {
    res.writeHead(404);
    res.end();
  }
});

const io = new Server(server, {
  transports: ['websocket'],
  serveClient: false,
  // the bench's 2 h runs must not be cut by the default 20 s ping timeout under load: keep the defaults'
  // interval, and a timeout long enough that a loaded load client is not mistaken for a dead one
  pingInterval: 25000,
  pingTimeout: 60000,
});

io.on('connection', (socket) => {
  socket.on('subscribe', (req, ack) => {
    const channel = req && req.channel;
    socket.join(channel);
    if (typeof ack === 'function') ack({ channel, offset: offsets.get(channel) || 0, epoch: nodeName });
  });
  socket.on('unsubscribe', (req, ack) => {
    socket.leave(req && req.channel);
    if (typeof ack === 'function') ack({ channel: req && req.channel });
  });
  socket.on('publish', (req, ack) => {
    const channel = req && req.channel;
    const offset = (offsets.get(channel) || 0) + 1;
    offsets.set(channel, offset);
    const ts = Date.now();
    io.to(channel).emit('message', { channel, offset, epoch: nodeName, ts, from: 'bench', data: req.data });
    if (typeof ack === 'function') ack({ channel, offset, epoch: nodeName, ts });
  });
  socket.on('echo', (data, ack) => {
    if (typeof ack === 'function') ack(data);
  });
});

async function start() {
  let adapter = 'in-memory adapter';
  if (redisUrl) {
    const { createClient } = require('redis');
    const { createAdapter } = require('@socket.io/redis-adapter');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    adapter = 'redis adapter on ' + redisUrl;
  }
  server.listen(port, host, () => {
    const addr = server.address();
    const version = require('socket.io/package.json').version;
    console.log(`Baseline listening on http://${addr.address}:${addr.port} (node ${process.version}, socket.io ${version}, ${adapter})`);
  });
}

start().catch((e) => {
  console.error('socket.io baseline failed to start:', e);
  process.exit(1);
});

process.on('SIGTERM', () => {
  io.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
