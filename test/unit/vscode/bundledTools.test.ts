import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundledRipgrep } from '../../../src/vscode/bundledTools';

describe('vscode: bundled ripgrep', () => {
  function appRootWith(...dirs: string[]): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-approot-'));
    for (const dir of dirs) {
      const bin = path.join(root, dir, '@vscode', 'ripgrep', 'bin');
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(path.join(bin, 'rg'), '');
    }
    return root;
  }

  it('prefers the copy unpacked from the asar archive, then node_modules, else none', () => {
    const both = appRootWith('node_modules', 'node_modules.asar.unpacked');
    assert.equal(bundledRipgrep(both), path.join(both, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', 'rg'));
    const plain = appRootWith('node_modules');
    assert.equal(bundledRipgrep(plain), path.join(plain, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
    assert.equal(bundledRipgrep(appRootWith()), undefined);
  });
});
