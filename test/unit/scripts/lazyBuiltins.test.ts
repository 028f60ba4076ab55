import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

/** The plugin the CLI bundle is built with (esbuild.mjs). */
const PLUGIN = pathToFileURL(path.resolve(__dirname, '../../../scripts/lazyBuiltins.mjs')).href;

/** Bundles `source` (TypeScript) for node as the CLI is bundled, runs it, and returns what it printed. */
async function bundleAndRun(source: string, files: Record<string, string> = {}): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lazy-builtins-'));
  for (const [name, text] of Object.entries({ 'entry.ts': source, ...files })) fs.writeFileSync(path.join(dir, name), text);
  const { lazyBuiltins } = (await import(PLUGIN)) as { lazyBuiltins(): esbuild.Plugin };
  await esbuild.build({
    entryPoints: [path.join(dir, 'entry.ts')],
    outfile: path.join(dir, 'out.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    plugins: [lazyBuiltins()],
  });
  return JSON.parse(execFileSync(process.execPath, [path.join(dir, 'out.js')], { encoding: 'utf8' }));
}

describe('esbuild plugin: Node built-ins loaded on first use', function () {
  this.timeout(30_000);

  it('loads a lazy built-in only when the code first reads it, through every import form', async () => {
    const out = await bundleAndRun(`
import * as crypto from 'node:crypto';
import { createHash } from 'crypto';
import http from 'node:http';
import * as path from 'node:path';
const loaded = (name: string) => process.moduleLoadList.includes('NativeModule ' + name);
const before = { crypto: loaded('crypto'), http: loaded('http') };
const hash = createHash('sha256').update('x').digest('hex').slice(0, 8);
const same = crypto.createHash === createHash;
const afterCrypto = { crypto: loaded('crypto'), http: loaded('http') };
console.log(JSON.stringify({ before, hash, same, afterCrypto, statusText: http.STATUS_CODES[404], joined: path.join('a', 'b') }));
`);
    assert.deepEqual(out, {
      before: { crypto: false, http: false },
      hash: '2d711642',
      same: true,
      afterCrypto: { crypto: true, http: false },
      statusText: 'Not Found',
      joined: path.join('a', 'b'),
    });
  });

  it('gives a package’s require the built-in itself, so a class stays a class', async () => {
    const out = await bundleAndRun(
      `
import { Emitter } from './emitter.cjs';
import { EventEmitter } from 'node:events';
const emitter = new Emitter();
let heard = '';
emitter.on('x', (value: string) => (heard = value));
emitter.emit('x', 'hello');
console.log(JSON.stringify({ heard, isEmitter: emitter instanceof EventEmitter, lazyRequire: typeof require('node:zlib').gzipSync }));
`,
      { 'emitter.cjs': `const EventEmitter = require('events');\nclass Emitter extends EventEmitter {}\nmodule.exports = { Emitter };\n` },
    );
    assert.deepEqual(out, { heard: 'hello', isEmitter: true, lazyRequire: 'function' });
  });
});
