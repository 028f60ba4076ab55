import { strict as assert } from 'node:assert';
import { commandCannotWrite } from '../../../../src/core/exec/readOnlyCommands';

describe('core/exec/readOnlyCommands', () => {
  it('knows plain reads, listings and searches change nothing', () => {
    for (const script of ['echo hi', 'cat a.txt', 'ls -la src', 'pwd', 'head -5 x && wc -l x', 'grep -rn foo .', 'rg foo src', 'find . -name "*.ts"', 'sed -n 1,20p file.ts', 'git status', 'git diff HEAD~1', 'cd src && ls']) {
      assert.equal(commandCannotWrite(script), true, script);
    }
  });

  it('takes anything that may write, delete or run another program as writing', () => {
    for (const script of [
      'echo hi > f',
      'cat a > b',
      'cat a | tee b',
      'find . -delete',
      'find . -name x -exec rm {} ;',
      'find . -fprint out.txt',
      'sed -i s/a/b/ x',
      'sed -n 1p -i x',
      'sed -n w/out x',
      'rg --pre ./script foo',
      'rg --pre=./script foo',
      'rg -z foo',
      'git checkout .',
      'git -C .. status',
      'git diff --output=patch.txt',
      'rm -rf build',
      'npm test',
      'touch x',
      'sort -o out in',
      '',
    ]) {
      assert.equal(commandCannotWrite(script), false, script);
    }
  });
});
