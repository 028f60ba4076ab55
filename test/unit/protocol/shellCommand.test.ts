import { strict as assert } from 'node:assert';
import { joinCommand, quoteWord, shellScriptOf, splitCommand } from '../../../src/protocol/shellCommand';

describe('protocol/shellCommand: the shell invocation a command item names', () => {
  it('quotes only words that need it, and round-trips through the splitter', () => {
    assert.equal(quoteWord('ls'), 'ls');
    assert.equal(quoteWord(''), "''");
    assert.equal(joinCommand(['/bin/bash', '-lc', 'touch f && echo x']), "/bin/bash -lc 'touch f && echo x'");
    for (const script of ["echo 'it''s' \"$HOME\"", 'a\\b', "printf '%s\\n' \"$(ls)\" | grep -v x > out", '', 'tab\there']) {
      assert.deepEqual(splitCommand(joinCommand(['/bin/bash', '-lc', script])), ['/bin/bash', '-lc', script], script);
    }
  });

  it('gives back the script of a shell invocation, and anything else as it is', () => {
    assert.equal(shellScriptOf("/bin/bash -lc 'touch f && echo x'"), 'touch f && echo x');
    assert.equal(shellScriptOf('/usr/bin/zsh -c ls'), 'ls');
    assert.equal(shellScriptOf('npm test'), 'npm test');
    assert.equal(shellScriptOf("/bin/bash -lc 'unterminated"), "/bin/bash -lc 'unterminated");
    assert.equal(shellScriptOf('python -c "print(1)"'), 'python -c "print(1)"', 'not a shell');
  });

  it('reads double quotes and backslashes as a shell does', () => {
    assert.deepEqual(splitCommand('a "b \\" c" d\\ e'), ['a', 'b " c', 'd e']);
    assert.equal(splitCommand('"open'), undefined);
  });
});
