import { strict as assert } from 'node:assert';
import { installedShells, resolveShell } from '../../../../src/core/exec/shells';

describe('core/exec/shells: only a real shell runs a command', () => {
  it('takes an installed shell by path or name, and the default when none is named', () => {
    assert.ok(installedShells().includes('/bin/sh'));
    assert.deepEqual(resolveShell('/bin/sh'), { shell: '/bin/sh' });
    const bash = resolveShell('bash');
    assert.ok('shell' in bash && bash.shell.endsWith('/bash'));
    assert.ok('shell' in resolveShell(undefined));
  });

  it('refuses any other binary, a relative path, or a program listed in /etc/shells that is no shell', () => {
    for (const requested of ['./evil.sh', '/tmp/bash', 'evil', '/usr/bin/tmux', 'tmux', '/usr/bin/python3', 42]) {
      const result = resolveShell(requested);
      assert.ok('error' in result, String(requested));
      assert.match(result.error, /shell must be one of the installed shells/);
    }
  });
});
