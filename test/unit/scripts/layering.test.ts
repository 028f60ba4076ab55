import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkLayering, findCycles, importsOf } from '../../../scripts/checkLayering';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-layers-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('layering check', () => {
  it('finds import, export-from, side-effect, require and dynamic import forms', () => {
    const source = `import a from './a';\nimport type { B } from "../b";\nexport * from './c';\nimport './d';\nconst e = require('./e');\nawait import('./f');`;
    assert.deepEqual(importsOf(source), ['./a', '../b', './c', './d', './e', './f']);
  });

  it('passes a tree that respects protocol ← core ← server ← {vscode, cli}', () => {
    const root = tree({
      'src/protocol/a.ts': `import { z } from 'zod';`,
      'src/core/b.ts': `import { a } from '../protocol/a';\nimport * as fs from 'node:fs';`,
      'src/server/c.ts': `import { b } from '../core/b';`,
      'src/vscode/d.ts': `import * as vscode from 'vscode';\nimport { c } from '../server/c';`,
      'src/cli.ts': `import { c } from './server/c';`,
      'webview/main.ts': `import type { A } from '../src/protocol/a';`,
    });
    assert.deepEqual(checkLayering(root), []);
  });

  it('reports each broken rule', () => {
    const root = tree({
      'src/core/b.ts': `import { s } from '../server/s';`,
      'src/server/s.ts': `import * as vscode from 'vscode';`,
      'src/protocol/p.ts': `import { b } from '../core/b';\nimport ws from 'ws';`,
      'src/cli.ts': `import { x } from './vscode/x';`,
      'webview/main.ts': `import { b } from '../src/core/b';\nimport * as fs from 'node:fs';`,
    });
    const found = checkLayering(root).map((v) => `${v.file} ${v.specifier}`).sort();
    assert.deepEqual(found, [
      'src/cli.ts ./vscode/x',
      'src/core/b.ts ../server/s',
      'src/protocol/p.ts ../core/b',
      'src/protocol/p.ts ws',
      'src/server/s.ts vscode',
      'webview/main.ts ../src/core/b',
      'webview/main.ts node:fs',
    ]);
  });

  it('passes on this repository', () => {
    assert.deepEqual(checkLayering(path.resolve(__dirname, '..', '..', '..')), []);
  });

  it('finds import cycles, type-only ones too, and each only once', () => {
    const root = tree({
      'src/core/a.ts': `import { b } from './b';`,
      'src/core/b.ts': `import type { C } from './sub/c';`,
      'src/core/sub/c.ts': `import { a } from '../a';`,
      'src/core/d.ts': `import { a } from './a';`,
      'src/core/e/index.ts': `export * from '../f';`,
      'src/core/f.ts': `import { e } from './e';`,
      'src/core/g.ts': `import { d } from './d';`,
    });
    assert.deepEqual(findCycles(root).sort(), [
      ['src/core/a.ts', 'src/core/b.ts', 'src/core/sub/c.ts'],
      ['src/core/e/index.ts', 'src/core/f.ts'],
    ]);
  });

  it('finds no import cycle in this repository', () => {
    assert.deepEqual(findCycles(path.resolve(__dirname, '..', '..', '..')), []);
  });
});
