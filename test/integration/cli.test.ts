// The command line as clients probe it: the version (the codex protocol version Tandem implements too),
// `app-server --help` answering 0, and CODEX_HOME as the home when TANDEM_HOME is not set.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTandemHome } from '../../src/core/home';
import { REPO_ROOT, spawnJsonl } from '../support/protocolClient';

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
});
