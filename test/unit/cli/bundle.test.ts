import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../support/protocolClient';

describe('server bundle', () => {
  it('holds one build of zod and of the MCP SDK', async function () {
    this.timeout(30_000);
    // A require() of an SDK module picks its CommonJS build and, through it, zod's: two copies of each beside
    // the ES builds, 0.8 MB more for every start to read and every extension host to keep.
    const result = await esbuild.build({
      entryPoints: [path.join(REPO_ROOT, 'src', 'cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['node-pty', 'bufferutil', 'utf-8-validate'],
      alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.deepEqual(inputs.filter((file) => /node_modules\/zod\/.*\.cjs$/.test(file)), [], "zod's CommonJS build");
    assert.deepEqual(inputs.filter((file) => file.includes('@modelcontextprotocol/sdk/dist/cjs/')), [], "the SDK's CommonJS build");
    assert.ok(inputs.some((file) => file.includes('@modelcontextprotocol/sdk/dist/esm/')), 'the SDK is bundled at all');
  });
});
