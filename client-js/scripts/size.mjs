// The SDK's size as an application ships it: the entry bundled with everything it imports, minified, gzipped.
//   node scripts/size.mjs [entry ...]      default: dist/index.js and dist/shared/worker.js
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const entries = process.argv.slice(2).length ? process.argv.slice(2) : ['dist/index.js', 'dist/shared/worker.js'];
for (const entry of entries) {
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false,
    external: ['react'], logLevel: 'silent' });
  const code = result.outputFiles[0].contents;
  console.log(`${entry}: ${code.length} B minified, ${gzipSync(code, { level: 9 }).length} B minified + gzip`);
}
