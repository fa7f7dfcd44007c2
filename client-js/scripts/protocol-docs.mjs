// Writes the reference tables of docs/protocol.md and docs/hooks.md from the one protocol schema, between
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers (prose around them stays hand-written).
//   node scripts/protocol-docs.mjs          rewrites the tables
// test/unit/protocol-docs.test.js fails when the committed docs differ from what this generates.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE } from './protocol-types.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DOCS = ['protocol.md', 'hooks.md'].map((f) => path.resolve(here, '../../docs', f));

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `{"channel", "since"?: Position}`: the fields of an object schema, optional ones marked. */
function fields(defs, s) {
  if (!s) return '—';
  if (s.$ref) return fields(defs, defs[s.$ref.replace('#/$defs/', '')]);
  if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map((b) => fields(defs, b)).join(' or ');
  const props = Object.entries(s.properties || {}).filter(([name]) => name !== 'type');
  if (!props.length) return '`{}`';
  const required = new Set(s.required || []);
  return '`{' + props.map(([name, p]) => `"${name}"${required.has(name) ? '' : '?'}${p && p.$ref ? `: ${p.$ref.replace('#/$defs/', '')}` : ''}`).join(', ') + '}`';
}

const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

export function tables(schema) {
  const defs = schema.$defs;
  const builtins = defs.ClientFrame.allOf.filter((b) => b.if).map((b) => b.if.properties.type.const);
  const pascal = (t) => t[0].toUpperCase() + t.slice(1);
  const frames = defs.ServerFrame.allOf.filter((b) => b.if).map((b) => b.then.$ref.replace('#/$defs/', ''));
  const hooks = [['connect', 'HookConnectRequest', 'HookConnectAnswer'], ['refresh', 'HookRefreshRequest', 'HookRefreshAnswer'],
    ['subscribe, publish', 'HookChannelRequest', 'HookChannelAnswer'], ['rpc', 'HookRpcRequest', 'HookRpcAnswer']];
  return {
    'builtin-types': table(['type', 'data', 'reply data', 'notes'], builtins.map((t) => {
      const request = defs[`${pascal(t)}Request`];
      const reply = defs[`${pascal(t)}Reply`];
      return [`\`${t}\``, fields(defs, request), reply ? fields(defs, reply) : (t === 'cancel' ? 'none: the request ends with `end`, reason `cancelled`' : 'see notes'),
        [request?.description, reply?.description].filter(Boolean).join(' ')];
    })),
    'server-frames': table(['type', 'fields', 'when'], frames.map((name) => {
      const s = defs[name];
      const variants = s.anyOf || s.oneOf;
      const type = name === 'MessageFrame' ? 'message' : name.replace(/Frame$/, '').toLowerCase();
      const described = variants ? variants.map((v) => (v.$ref ? defs[v.$ref.replace('#/$defs/', '')] : v)) : [s];
      return [`\`${type}\``, described.map((v) => fields(defs, v)).join(' or '),
        [s.description, ...described.filter((v) => v !== s).map((v) => v.description)].filter(Boolean).join(' ')];
    })),
    'error-codes': table(['code', 'when'], Object.entries(defs.ErrorCode['x-codes']).map(([code, when]) => [`\`${code}\``, when])),
    'close-codes': table(['code', 'meaning', 'should the client reconnect?'],
      Object.entries(defs.CloseCode['x-codes']).map(([code, [meaning, reconnect]]) => [code, meaning, reconnect])),
    'hook-bodies': table(['hook', 'request body', 'answer'], hooks.map(([hook, req, ans]) =>
      [hook, fields(defs, defs[req]), fields(defs, defs[ans])])),
  };
}

/** `text` with each generated section replaced; throws on a marker it does not know. */
export function rewrite(text, generated) {
  return text.replace(/<!-- generated:([a-z-]+) -->\n[\s\S]*?<!-- \/generated:\1 -->/g, (_, name) => {
    if (!(name in generated)) throw new Error(`no generated table named ${name}`);
    return `<!-- generated:${name} -->\n${generated[name]}\n<!-- /generated:${name} -->`;
  });
}

export function current() {
  const generated = tables(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  return DOCS.map((file) => ({ file, text: rewrite(readFileSync(file, 'utf8'), generated) }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { file, text } of current()) writeFileSync(file, text);
  console.log(`wrote the generated tables of ${DOCS.map((f) => path.basename(f)).join(', ')}`);
}
