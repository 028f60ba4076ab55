import { strict as assert } from 'node:assert';
import { loadPty, ptyCandidates } from '../../../src/vscode/ptyLoader';

describe('vscode/ptyLoader', () => {
  it("prefers VS Code's own node-pty, then the unpacked asar copy, then the bundled one", () => {
    assert.deepEqual(ptyCandidates('/app'), ['/app/node_modules/node-pty', '/app/node_modules.asar.unpacked/node-pty', 'node-pty']);
    const tried: string[] = [];
    const loaded = loadPty('/app', (id) => {
      tried.push(id);
      if (id !== '/app/node_modules.asar.unpacked/node-pty') throw new Error(`Cannot find module '${id}'`);
      return { spawn: 'vscode-copy' };
    });
    assert.deepEqual(tried, ['/app/node_modules/node-pty', '/app/node_modules.asar.unpacked/node-pty']);
    assert.deepEqual(loaded, { module: { spawn: 'vscode-copy' }, from: '/app/node_modules.asar.unpacked/node-pty' });
  });

  it('says why every candidate failed when none loads', () => {
    assert.throws(
      () => loadPty('/app', (id) => { throw new Error(`no ${id}\nstack`); }),
      /no usable node-pty \(\/app\/node_modules\/node-pty: no \/app\/node_modules\/node-pty; .*node-pty: no node-pty\)/,
    );
  });
});
