import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { appliedFile, proposedFiles } from '../../../src/vscode/proposedChanges';

describe('vscode/proposedChanges', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-proposed-'));
  const file = (name: string) => path.join(dir, name);
  const diff = (before: string, after: string) => createTwoFilesPatch('f', 'f', before, after);

  it('computes the proposed content of an update, an add and a delete without writing', async () => {
    fs.writeFileSync(file('a.ts'), 'one\ntwo\nthree\n');
    fs.writeFileSync(file('gone.txt'), 'bye\n');
    const files = await proposedFiles([
      { path: file('a.ts'), kind: { type: 'update', move_path: file('b.ts') }, diff: diff('one\ntwo\nthree\n', 'one\n2\nthree\n') },
      // As codex reports them: an added file carries its content, a deleted one what it held.
      { path: file('new.md'), kind: { type: 'add' }, diff: '# new\n' },
      { path: file('gone.txt'), kind: { type: 'delete' }, diff: 'bye\n' },
    ]);
    assert.deepEqual(
      files.map((f) => [path.basename(f.path), path.basename(f.targetPath), f.kind, f.current, f.proposed]),
      [
        ['a.ts', 'b.ts', 'update', 'one\ntwo\nthree\n', 'one\n2\nthree\n'],
        ['new.md', 'new.md', 'add', '', '# new\n'],
        ['gone.txt', 'gone.txt', 'delete', 'bye\n', ''],
      ],
    );
    assert.equal(fs.readFileSync(file('a.ts'), 'utf8'), 'one\ntwo\nthree\n', 'nothing is written');
  });

  it('says so when the file changed and the diff no longer applies', async () => {
    fs.writeFileSync(file('c.ts'), 'something else entirely\n');
    await assert.rejects(proposedFiles([{ path: file('c.ts'), kind: { type: 'update', move_path: null }, diff: diff('x\n', 'y\n') }]), /changed since the patch was proposed/);
  });

  it('reconstructs the content before a written change', async () => {
    fs.writeFileSync(file('d.ts'), 'after\n');
    assert.deepEqual(await appliedFile({ path: file('d.ts'), kind: { type: 'update', move_path: null }, diff: diff('before\n', 'after\n') }), { before: 'before\n', after: 'after\n', path: file('d.ts') });
    fs.writeFileSync(file('added.md'), '# added\n');
    assert.deepEqual(await appliedFile({ path: file('added.md'), kind: { type: 'add' }, diff: '# added\n' }), { before: '', after: '# added\n', path: file('added.md') });
    assert.deepEqual(await appliedFile({ path: file('removed.md'), kind: { type: 'delete' }, diff: 'was here\n' }), { before: 'was here\n', after: '', path: file('removed.md') });
  });
});
