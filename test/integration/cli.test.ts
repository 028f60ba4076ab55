// The command line as clients probe it: the version (the codex protocol version Tandem implements too),
// `app-server --help` answering 0, and CODEX_HOME as the home when TANDEM_HOME is not set.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTandemHome } from '../../src/core/home';
import { REPO_ROOT, spawnJsonl, spawnStdioServer } from '../support/protocolClient';

const CLI = ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts')];

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
}

describe('integration: the command line as clients probe it', function () {
  this.timeout(60_000);

  it('prints its version and the codex protocol version it implements', () => {
    const result = run(['--version']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^tandem \d+\.\d+\.\d+ \(codex app-server protocol 0\.169\.0\)\n$/);
  });

  it('answers app-server --help and exec-server -h with the usage and exit code 0', () => {
    for (const args of [['app-server', '--help'], ['exec-server', '-h']]) {
      const result = run(args);
      assert.equal(result.status, 0, args.join(' '));
      assert.match(result.stdout, /^Usage:\n {2}tandem app-server/);
    }
    assert.equal(run([]).status, 2, 'no command at all is still a usage error');
  });

  it('uses CODEX_HOME when TANDEM_HOME is not set, and TANDEM_HOME first', async () => {
    const codexHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-codex-home-'));
    const env: NodeJS.ProcessEnv = { ...process.env, CODEX_HOME: codexHome };
    delete env.TANDEM_HOME;
    const server = spawnJsonl(process.execPath, [...CLI, 'app-server'], { env });
    try {
      const init = await server.client.initialize('codex_client');
      assert.equal(init.result.codexHome, codexHome);
    } finally {
      await server.close();
    }
    assert.equal(resolveTandemHome({ TANDEM_HOME: '/t', CODEX_HOME: '/c' }, { codexHome: true }), '/t');
    assert.equal(resolveTandemHome({ CODEX_HOME: '/c' }, { codexHome: true }), '/c');
    // The editor extension keeps to its own home whatever the user's shell says.
    assert.equal(resolveTandemHome({ CODEX_HOME: '/c', HOME: os.homedir() }), path.join(os.homedir(), '.tandem'));
  });

  it('saves its code cache once the first initialize is answered, while it keeps serving', async () => {
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-xdg-cache-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cache-home-'));
    const cacheFiles = () => (fs.existsSync(path.join(cacheHome, 'tandem')) ? fs.readdirSync(path.join(cacheHome, 'tandem')).filter((n) => n.endsWith('.v8cache')) : []);
    const server = spawnStdioServer({ entry: 'dist', env: { XDG_CACHE_HOME: cacheHome, TANDEM_HOME: home } });
    try {
      // Waiting for its client (longer than any fixed delay would be): what it compiled so far is not a start.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.deepEqual(cacheFiles(), []);
      await server.client.initialize('codex_client');
      const deadline = Date.now() + 10_000;
      while (cacheFiles().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(cacheFiles().length, 1, 'written while the server runs');
      assert.equal(server.child.exitCode, null);
      const listed = await server.client.request('thread/list', {});
      assert.ok(Array.isArray(listed.result.data), 'it serves on after saving');
    } finally {
      await server.close();
    }
    assert.equal(cacheFiles().length, 1, 'nothing more at exit: this start compiled no more than it saved');
  });

  it('saves its code cache even when its client stops it right after initialize', async () => {
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-xdg-cache-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cache-home-'));
    const cacheFiles = () => (fs.existsSync(path.join(cacheHome, 'tandem')) ? fs.readdirSync(path.join(cacheHome, 'tandem')).filter((n) => n.endsWith('.v8cache')) : []);
    const server = spawnStdioServer({ entry: 'dist', env: { XDG_CACHE_HOME: cacheHome, TANDEM_HOME: home } });
    await server.client.initialize('codex_client');
    await server.close();
    assert.equal(cacheFiles().length, 1, 'the next start has a cache to use');
  });
});
