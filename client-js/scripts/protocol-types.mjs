// Generates src/protocol.ts, the TypeScript types of the wire protocol, from the one protocol schema
// (protocol/src/main/resources/dev/switchboard/protocol/switchboard.schema.json).
//   node scripts/protocol-types.mjs          writes src/protocol.ts
// test/unit/protocol-types.test.js fails when the committed file differs from what this generates.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMA_FILE = path.resolve(here, '../../protocol/src/main/resources/dev/switchboard/protocol/switchboard.schema.json');
export const OUTPUT_FILE = path.resolve(here, '../src/protocol.ts');

const ref = (s) => s.$ref.replace('#/$defs/', '');
const literal = (v) => JSON.stringify(v);
const doc = (text, indent = '') => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');

/** The TypeScript type of one schema. */
function typeOf(s) {
  if (s === true || s === undefined) return 'Json';
  if (s.$ref) return ref(s);
  if ('const' in s) return literal(s.const);
  if (s.enum) return s.enum.map(literal).join(' | ');
  if (s['x-codes'] && s.type === 'string') {
    // the known codes, and any other string (handlers and hooks answer codes of their own) without losing completion
    return `${Object.keys(s['x-codes']).map(literal).join(' | ')} | (string & {})`;
  }
  if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(typeOf).join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return types.map((t) => typeOf({ ...s, type: t })).join(' | ');
  switch (types[0]) {
    case 'string': return 'string';
    case 'integer':
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': return `${wrap(typeOf(s.items))}[]`;
    case 'object': return objectType(s, '');
    default: return 'Json';
  }
}

const wrap = (t) => (t.includes('|') || t.includes('&') ? `(${t})` : t);

/** An object schema as a type literal (or an interface body). */
function objectType(s, indent) {
  const props = s.properties || {};
  const required = new Set(s.required || []);
  const lines = Object.entries(props).map(([name, p]) => {
    const description = p && p.description ? doc(p.description, `${indent}  `) : '';
    return `${description}${indent}  ${name}${required.has(name) ? '' : '?'}: ${typeOf(p)};`;
  });
  if (s.additionalProperties && s.additionalProperties !== true) {
    lines.push(`${indent}  [key: string]: ${typeOf(s.additionalProperties)};`);
  } else if (s.additionalProperties !== false && !s.properties) {
    return '{ [key: string]: Json }';
  }
  return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : 'Record<string, never>';
}

/** `if type is X then ...` branches of an allOf: a union told apart by `type`. */
function discriminated(name, s) {
  const base = s.allOf.find((b) => b.$ref);
  const branches = s.allOf.filter((b) => b.if);
  if (base) {
    const members = branches.map((b) => {
      const type = b.if.properties.type.const;
      const data = b.then.properties.data;
      const needs = (b.then.required || []).includes('data');
      return `(${ref(base)} & { type: ${literal(type)}; data${needs ? '' : '?'}: ${typeOf(data)} })`;
    });
    const known = branches.map((b) => literal(b.if.properties.type.const)).join(' | ');
    members.push(`(${ref(base)} & { type: Exclude<string, ${known}> })`);
    return `export type ${name} =\n  | ${members.join('\n  | ')};\n`;
  }
  return `export type ${name} =\n  | ${branches.map((b) => typeOf(b.then)).join('\n  | ')};\n`;
}

export function generate(schema) {
  let out = '// GENERATED from protocol/src/main/resources/dev/switchboard/protocol/switchboard.schema.json by\n'
    + '// client-js/scripts/protocol-types.mjs: do not edit; change the schema and run `npm run types`.\n\n'
    + '/** Any JSON value. */\nexport type Json = string | number | boolean | null | Json[] | { [key: string]: Json };\n';
  for (const [name, s] of Object.entries(schema.$defs)) {
    out += `\n${doc(s.description)}`;
    if (s.allOf && s.allOf.some((b) => b.if)) {
      out += discriminated(name, s);
    } else if ((s.type === 'object' || s.properties) && !s.anyOf && !s.oneOf) {
      const body = objectType(s, '');
      out += body.startsWith('{\n') ? `export interface ${name} ${body}\n` : `export type ${name} = ${body};\n`;
    } else {
      out += `export type ${name} = ${typeOf(s)};\n`;
    }
  }
  return out;
}

export function generated() {
  return generate(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OUTPUT_FILE, generated());
  console.log(`wrote ${path.relative(process.cwd(), OUTPUT_FILE)}`);
}
