import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../../src/core/log';
import { commandActions, splitSegments } from '../../../../src/core/exec/commandSafety';
import { buildEnvironment, DEFAULT_ENVIRONMENT_POLICY, matchesPattern, policyFromConfig } from '../../../../src/core/exec/environment';
import { HeadTailBuffer, truncateMiddle } from '../../../../src/core/exec/outputBuffer';
import { ProcessManager } from '../../../../src/core/exec/processManager';
import { bwrapArgs, isLikelySandboxDenial, seatbeltProfile, wrapCommand } from '../../../../src/core/exec/sandbox';

describe('core/exec', () => {
  it('splits simple scripts and refuses what it does not model', () => {
    assert.deepEqual(splitSegments(`git status && rg -n "a b" src | head -5; ls 'my dir'`), [['git', 'status'], ['rg', '-n', 'a b', 'src'], ['head', '-5'], ['ls', 'my dir']]);
    for (const complex of ['echo $(rm -rf /)', 'cat > x', 'echo `id`', 'a &', '(ls)', 'echo "$HOME"', "echo 'open"]) assert.equal(splitSegments(complex), undefined, complex);
  });

  it('describes commands as read, listFiles or search, and a script with anything else as one unknown', () => {
    assert.deepEqual(commandActions('cat src/a.ts && rg -n needle src && ls lib', '/w'), [
      { type: 'read', command: 'cat src/a.ts', name: 'a.ts', path: '/w/src/a.ts' },
      { type: 'search', command: 'rg -n needle src', query: 'needle', path: 'src' },
      { type: 'listFiles', command: 'ls lib', path: 'lib' },
    ]);
    assert.deepEqual(commandActions('cat a.txt && make', '/w'), [{ type: 'unknown', command: 'cat a.txt && make' }]);
    // cd and output formatting are not actions of their own.
    assert.deepEqual(commandActions('cd src && ls | head -5', '/w'), [{ type: 'listFiles', command: 'ls', path: null }]);
    assert.deepEqual(commandActions('tail -n 5 log.txt', '/w'), [{ type: 'read', command: 'tail -n 5 log.txt', name: 'log.txt', path: '/w/log.txt' }]);
    assert.deepEqual(commandActions('echo $(date)', '/w'), [{ type: 'unknown', command: 'echo $(date)' }]);
  });

  it('builds the environment: secrets dropped by default, excludes, set, include_only', () => {
    const base = { PATH: '/bin', HOME: '/h', OPENAI_API_KEY: 'sk', GITHUB_TOKEN: 't', DB_SECRET: 's', AWS_REGION: 'x', EDITOR: 'vim' };
    const env = buildEnvironment(DEFAULT_ENVIRONMENT_POLICY, base, { EXTRA: '1' });
    assert.deepEqual(Object.keys(env).sort(), ['AWS_REGION', 'EDITOR', 'EXTRA', 'HOME', 'PATH']);
    const core = buildEnvironment(policyFromConfig({ inherit: 'core', set: { FOO: 'bar' } }), base);
    assert.deepEqual(Object.keys(core).sort(), ['FOO', 'HOME', 'PATH']);
    const custom = buildEnvironment(policyFromConfig({ ignore_default_excludes: true, exclude: ['AWS_*'], include_only: ['*KEY*', 'PATH'] }), base);
    assert.deepEqual(Object.keys(custom).sort(), ['OPENAI_API_KEY', 'PATH']);
    assert.ok(matchesPattern('my_api_key', '*KEY*'));
  });

  it('keeps the head and tail of long output and says what it dropped', () => {
    const buffer = new HeadTailBuffer(10);
    buffer.append('0123456789abcdef');
    buffer.append('XYZ');
    assert.equal(buffer.text(), '01234\n[… 9 bytes omitted …]\nefXYZ');
    assert.equal(buffer.totalBytes, 19);
    const small = new HeadTailBuffer(10);
    small.append('abc');
    small.append(Buffer.from('de'));
    assert.equal(small.text(), 'abcde', 'nothing dropped, nothing said');
    // The ring wraps around many times and keeps the last bytes in order.
    const ring = new HeadTailBuffer(8);
    for (let i = 0; i < 100; i++) ring.append(String(i % 10));
    assert.equal(ring.text(), '0123\n[… 92 bytes omitted …]\n6789');
    // A cut never leaves half a character: the head drops an incomplete one, the tail skips into the next.
    const utf8 = new HeadTailBuffer(8);
    utf8.append('aé😀bc😀xyz');
    assert.equal(utf8.text(), 'aé\n[… 8 bytes omitted …]\nxyz');
    assert.deepEqual(truncateMiddle('abcdefghij', 4), { text: 'ab\n[… 6 characters truncated …]\nij', truncated: true });
  });

  it('builds bubblewrap arguments and a seatbelt profile from the policy', () => {
    const policy = { type: 'workspaceWrite' as const, writableRoots: [], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
    const args = bwrapArgs(policy, '/tmp');
    assert.deepEqual(args.slice(0, 3), ['--ro-bind', '/', '/']);
    assert.ok(args.includes('--unshare-net'));
    assert.deepEqual(args.slice(args.indexOf('--bind'), args.indexOf('--bind') + 3), ['--bind', '/tmp', '/tmp']);
    assert.ok(!bwrapArgs({ ...policy, networkAccess: true }, '/tmp').includes('--unshare-net'));
    const profile = seatbeltProfile(policy, '/work/project');
    assert.match(profile, /\(deny default\)/);
    assert.ok(profile.includes('(allow file-write* (require-all (subpath "/work/project") (require-not (subpath "/work/project/.git")) (require-not (subpath "/work/project/.tandem")) (require-not (subpath "/work/project/.codex")) (require-not (subpath "/work/project/.vscode"))))'));
    assert.doesNotMatch(profile, /allow network/);
    assert.deepEqual(wrapCommand(['ls'], { type: 'dangerFullAccess' }, '/w', { kind: 'bwrap', path: '/usr/bin/bwrap' }), { argv: ['ls'], sandboxed: false });
    assert.deepEqual(wrapCommand(['ls'], policy, '/w', { kind: 'none', reason: 'x' }), { argv: ['ls'], sandboxed: false });
    assert.ok(isLikelySandboxDenial(1, 'bash: /x: Read-only file system'));
    assert.ok(!isLikelySandboxDenial(1, 'syntax error'));
  });

  it('kills the whole process group on terminate and caps the number of processes', async () => {
    const manager = new ProcessManager(silentLogger, { maxProcesses: 1 });
    const proc = manager.spawn({ argv: ['bash', '-c', 'sleep 30 & sleep 30; echo never'], cwd: '/', env: { PATH: process.env.PATH ?? '' }, tty: false });
    assert.throws(() => manager.spawn({ argv: ['true'], cwd: '/', env: {}, tty: false }), /too many running processes/);
    proc.terminate();
    const exit = await proc.exited;
    assert.equal(exit.signal, 'SIGTERM');
    assert.throws(() => manager.spawn({ argv: [], cwd: '/', env: {}, tty: false }), /command must not be empty/);
  });
});
