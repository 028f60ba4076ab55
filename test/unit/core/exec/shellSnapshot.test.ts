import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyDelta, captureLoginEnvironment, environmentDelta, parseEnvironment, ShellSnapshots } from '../../../../src/core/exec/shellSnapshot';

function homeWithProfile(profile: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-snapshot-'));
  fs.writeFileSync(path.join(home, '.bash_profile'), profile);
  return home;
}

const baseEnv = (home: string) => ({ HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', KEEP: 'same', DROP_ME: 'x' });
const identity = (argv: string[]) => argv;

describe('core/exec/shellSnapshot', () => {
  it('finds the environment after whatever the profile printed, values with newlines included', () => {
    const out = 'Welcome!\n__TANDEM_SHELL_SNAPSHOT__A=1\0B=two\nlines\0C=\0';
    assert.deepEqual(parseEnvironment(out), { A: '1', B: 'two\nlines', C: '' });
    assert.equal(parseEnvironment('no marker here'), null);
  });

  it('keeps what the profile set, changed or removed, and not what every shell sets for itself', () => {
    const delta = environmentDelta({ A: '1', B: '2', GONE: 'x', PWD: '/a' }, { A: '1', B: '3', NEW: 'n', PWD: '/b', SHLVL: '1', _: '/usr/bin/env' });
    assert.deepEqual(delta, { set: { B: '3', NEW: 'n' }, unset: ['GONE'] });
    assert.deepEqual(applyDelta({ A: '1', B: '2', GONE: 'x', TERM: 'xterm' }, delta), { A: '1', B: '3', NEW: 'n', TERM: 'xterm' });
  });

  it('captures what a bash login profile exports and unsets', async () => {
    const home = homeWithProfile('echo "hello from the profile"\nexport FROM_PROFILE="a b\nc"\nexport PATH="$HOME/bin:$PATH"\nunset DROP_ME\n');
    const delta = await captureLoginEnvironment({ shell: '/bin/bash', env: baseEnv(home), cwd: home, wrap: identity });
    assert.ok(delta);
    assert.equal(delta.set.FROM_PROFILE, 'a b\nc');
    // The system profile may rewrite PATH first (Debian's does); the user's profile then prepends to it.
    assert.ok(delta.set.PATH?.startsWith(`${home}/bin:`), delta.set.PATH);
    assert.deepEqual(delta.unset, ['DROP_ME']);
    assert.equal('KEEP' in delta.set, false);
  });

  it('gives up (null) on a profile that fails, and when the capture may not run', async () => {
    const failing = homeWithProfile('exit 4\n');
    assert.equal(await captureLoginEnvironment({ shell: '/bin/bash', env: baseEnv(failing), cwd: failing, wrap: identity }), null);
    const fine = homeWithProfile('export X=1\n');
    assert.equal(await captureLoginEnvironment({ shell: '/bin/bash', env: baseEnv(fine), cwd: fine, wrap: () => null }), null);
  });

  it('does not wait on a profile that reads its input', async () => {
    const home = homeWithProfile('read answer\nexport ANSWER="[$answer]"\n');
    const started = Date.now();
    const delta = await captureLoginEnvironment({ shell: '/bin/bash', env: baseEnv(home), cwd: home, wrap: identity });
    assert.equal(delta?.set.ANSWER, '[]');
    assert.ok(Date.now() - started < 5_000, 'the profile got end of file at once');
  });

  it('runs the profile once per shell, however many commands ask at once', async () => {
    const home = homeWithProfile('echo run >> "$HOME/runs"\nexport N=1\n');
    const snapshots = new ShellSnapshots();
    const request = { shell: '/bin/bash', env: baseEnv(home), cwd: home, wrap: identity };
    const results = await Promise.all([snapshots.deltaFor(request), snapshots.deltaFor(request), snapshots.deltaFor(request)]);
    assert.ok(results.every((d) => d?.set.N === '1'));
    await snapshots.deltaFor(request);
    assert.equal(fs.readFileSync(path.join(home, 'runs'), 'utf8'), 'run\n');
  });
});
