import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../support/protocolClient';

describe('webview bundle', () => {
  it('leaves out zod and the protocol schemas: the page needs protocol values, not validators', async function () {
    this.timeout(20_000);
    // The schemas made the page three times bigger and built ~2,000 zod objects before its first paint.
    const result = await esbuild.build({ entryPoints: [path.join(REPO_ROOT, 'webview', 'main.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    assert.deepEqual(inputs.filter((file) => file.includes('node_modules/zod/')), []);
    const schemaModules = inputs.filter((file) => /^src\/protocol\//.test(file) && /from ['"]zod['"]/.test(result.metafile.inputs[file]!.imports.map((i) => `from '${i.path}'`).join('\n')));
    assert.deepEqual(schemaModules, []);
  });

  it('leaves highlight.js to the highlighter script, which runs its modules on first use, not when it loads', async function () {
    this.timeout(20_000);
    // The page's script leaves highlight.js out (a third of its size to parse before the chat can show).
    const page = await esbuild.build({ entryPoints: [path.join(REPO_ROOT, 'webview', 'main.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, metafile: true, logLevel: 'silent' });
    assert.deepEqual(Object.keys(page.metafile.inputs).filter((file) => file.includes('node_modules/highlight.js/')), []);
    // An import of highlight.js's ES build runs its core and every grammar's module with the script;
    // require()d CommonJS modules run when the first code block in their language is highlighted.
    const result = await esbuild.build({ entryPoints: [path.join(REPO_ROOT, 'webview', 'highlighter.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs).filter((file) => file.includes('node_modules/highlight.js/'));
    assert.deepEqual(inputs.filter((file) => !/^node_modules\/highlight\.js\/lib\//.test(file)), [], 'only the CommonJS build');
    assert.equal(inputs.filter((file) => file.includes('/lib/languages/')).length, 14, 'the fourteen grammars');
    const output = result.outputFiles[0]!.text;
    assert.doesNotMatch(output, /^\s*var import_\w+ = __toESM\(require_(core|bash|typescript)\(\)/m, 'nothing requires them at load');
    assert.match(output, /require_core\(\)/, 'the core is there, behind a require');
  });
});
