// The protocol schema (protocol/src/main/resources/dev/switchboard/protocol/switchboard.schema.json) as the
// Node and browser tests use it: every frame the SDK sends and the gateway answers, over the `ws` package or
// inside Chromium, is validated against it, so the server, the SDKs and the schema cannot drift apart. A frame
// off the schema fails the test file (its process exits non-zero, with the frame and the problem printed);
// the counts are appended to target/schema-checks.txt when the process exits (the build prints the sum).
import Ajv2020 from 'ajv/dist/2020.js';
import WsWebSocket from 'ws';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SCHEMA_FILE } from '../../scripts/protocol-types.mjs';

const TARGET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target');

const document = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
// strict about unknown keywords and formats; not about `required` inside `not` ("not both") or `if` without a type
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
ajv.addKeyword('x-codes'); // the code tables the docs are generated from
ajv.addSchema(document, 'switchboard');
const validators = new Map();
// compiled now: a schema Ajv refuses fails the file at once, not inside a socket's message handler
for (const name of ['ClientFrame', 'ServerFrame']) validator(name);
const counts = { client_frame: 0, server_frame: 0 };
let problems = 0;
let tolerated = null;

/** Frames containing `marker` are sent off the schema on purpose (a test of the server's refusal). */
export function tolerate(marker) {
  tolerated = marker;
}

function validator(name) {
  // (hoisted: used by the compile-now loop above)
  if (!validators.has(name)) validators.set(name, ajv.getSchema(`switchboard#/$defs/${name}`));
  return validators.get(name);
}

/** Checks `text` against the definition `name`; returns the problems (empty when valid) and counts it. */
export function problemsOf(name, text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    return [`not JSON: ${text}`];
  }
  const validate = validator(name);
  return validate(frame) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

function check(name, kind, text, where) {
  // the bare-text heartbeat shim ("ping" answered "pong", docs/protocol.md) is not JSON
  if (text === (kind === 'server_frame' ? 'pong' : 'ping')) return;
  if (tolerated !== null && kind === 'client_frame' && text.includes(tolerated)) return;
  counts[kind] += 1;
  const found = problemsOf(name, text);
  if (found.length) {
    problems += 1;
    process.exitCode = 1;
    console.error(`[schema] ${where}: a ${kind.replace('_', ' ')} does not match ${name}: ${found.join('; ')}\n  ${text}`);
  }
}

/** A frame the SDK sent (its envelope and, for a built-in type, its request data). */
export const checkSent = (text, where = 'node') => check('ClientFrame', 'client_frame', text, where);
/** A frame the gateway sent. */
export const checkReceived = (text, where = 'node') => check('ServerFrame', 'server_frame', text, where);

/** The `ws` package's WebSocket, with every text frame checked both ways: give it to the SDK as `WebSocket`. */
export class WebSocket extends WsWebSocket {
  constructor(url, ...rest) {
    super(url, ...rest);
    this.on('message', (data, isBinary) => {
      if (!isBinary) checkReceived(data.toString());
    });
  }

  send(data, ...rest) {
    if (typeof data === 'string') checkSent(data);
    return super.send(data, ...rest);
  }
}

/** Checks the native-protocol WebSockets a Chromium page opens (Pusher's are another protocol). */
export function checkPageSockets(page) {
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname.startsWith('/app/')) return;
    socket.on('framesent', (f) => typeof f.payload === 'string' && checkSent(f.payload, 'chromium'));
    socket.on('framereceived', (f) => typeof f.payload === 'string' && checkReceived(f.payload, 'chromium'));
  });
}

process.on('exit', () => {
  if (counts.client_frame + counts.server_frame === 0 || !existsSync(TARGET)) return;
  appendFileSync(path.join(TARGET, 'schema-checks.txt'),
    `node client_frame=${counts.client_frame} server_frame=${counts.server_frame} off_schema=${problems}\n`);
});
