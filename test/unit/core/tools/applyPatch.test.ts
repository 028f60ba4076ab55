import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyChunks, planPatch, summarizePlan, writePlan } from '../../../../src/core/tools/applyPatch/applier';
import { parsePatch } from '../../../../src/core/tools/applyPatch/parser';
import { seekSequence } from '../../../../src/core/tools/applyPatch/seek';

const workspace = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-patch-'));
const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

async function apply(cwd: string, text: string) {
  const plan = await planPatch(parsePatch(text), cwd);
  await writePlan(plan);
  return summarizePlan(plan, cwd);
}

describe('core/tools/applyPatch', () => {
  it('adds, updates, deletes and moves files', async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'one\ntwo\nthree\n');
    fs.writeFileSync(path.join(dir, 'gone.txt'), 'bye\n');
    fs.writeFileSync(path.join(dir, 'old.txt'), 'alpha\nbeta\n');
    const summary = await apply(
      dir,
      patch(
        '*** Add File: sub/new.txt',
        '+hello',
        '+world',
        '*** Update File: keep.txt',
        '@@',
        ' one',
        '-two',
        '+TWO',
        ' three',
        '*** Delete File: gone.txt',
        '*** Update File: old.txt',
        '*** Move to: moved/new-name.txt',
        '@@',
        ' alpha',
        '-beta',
        '+gamma',
      ),
    );
    assert.equal(fs.readFileSync(path.join(dir, 'sub/new.txt'), 'utf8'), 'hello\nworld\n');
    assert.equal(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'one\nTWO\nthree\n');
    assert.ok(!fs.existsSync(path.join(dir, 'gone.txt')));
    assert.ok(!fs.existsSync(path.join(dir, 'old.txt')));
    assert.equal(fs.readFileSync(path.join(dir, 'moved/new-name.txt'), 'utf8'), 'alpha\ngamma\n');
    assert.equal(summary, 'Success. Updated the following files:\nA sub/new.txt\nM keep.txt\nD gone.txt\nM moved/new-name.txt\n');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temp files left');
  });

  it('matches exactly, then ignoring trailing whitespace, surrounding whitespace, and typographic punctuation', () => {
    const file = ['const a = 1;   ', '    indented();', 'say(“hi” – ‘there’)', 'end'];
    assert.deepEqual(seekSequence(['x', 'y'], ['y'], 0), { index: 1, level: 'exact' });
    assert.deepEqual(seekSequence(file, ['const a = 1;'], 0), { index: 0, level: 'trailing-whitespace' });
    assert.deepEqual(seekSequence(file, ['indented();'], 0), { index: 1, level: 'whitespace' });
    assert.deepEqual(seekSequence(file, [`say("hi" - 'there')`], 0), { index: 2, level: 'punctuation' });
    assert.equal(seekSequence(file, ['missing'], 0), undefined);
    assert.equal(seekSequence(['a'], ['a', 'b'], 0), undefined);
  });

  it('uses @@ context lines, End of File anchors and pure additions', () => {
    const source = 'def a():\n    return 1\n\ndef b():\n    return 1\n';
    const updated = applyChunks(source, parsePatchChunks(['@@ def b():', '-    return 1', '+    return 2']), 'f.py');
    assert.equal(updated, 'def a():\n    return 1\n\ndef b():\n    return 2\n');
    const tail = applyChunks('x\ny\nx\n', parsePatchChunks(['@@', '-x', '+z', '*** End of File']), 'f');
    assert.equal(tail, 'x\ny\nz\n');
    const appended = applyChunks('a\n', parsePatchChunks(['@@', '+b']), 'f');
    assert.equal(appended, 'a\nb\n');
  });

  it('accepts a heredoc wrapper and CRLF line ends', () => {
    const ops = parsePatch(`apply_patch <<'EOF'\r\n*** Begin Patch\r\n*** Add File: a.txt\r\n+x\r\n*** End Patch\r\nEOF`);
    assert.deepEqual(ops, [{ kind: 'add', path: 'a.txt', contents: 'x\n' }]);
  });

  it('names the problem in a malformed patch', () => {
    assert.throws(() => parsePatch('hello'), /first line of the patch must be '\*\*\* Begin Patch'/);
    assert.throws(() => parsePatch('*** Begin Patch\n*** Add File: a\n+x'), /last line of the patch must be '\*\*\* End Patch'/);
    assert.throws(() => parsePatch(patch('*** Frobnicate File: a')), /is not a valid hunk header/);
    assert.throws(() => parsePatch(patch('*** Update File: a', '@@', '?what')), /Every hunk line must start with ' ', '\+' or '-'/);
    assert.throws(() => parsePatch(patch('*** Add File: a')), /has no '\+' lines/);
    assert.throws(() => parsePatch(patch()), /changes no files/);
  });

  it('leaves every file untouched when any hunk of a multi-file patch fails, and says which', async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'a1\na2\n');
    fs.writeFileSync(path.join(dir, 'b.txt'), 'b1\nb2\nb3\n');
    const text = patch(
      '*** Add File: c.txt',
      '+new',
      '*** Update File: a.txt',
      '@@',
      '-a1',
      '+A1',
      '*** Update File: b.txt',
      '@@',
      '-b1',
      '+B1',
      '@@',
      '-not there',
      '+nope',
      '*** Delete File: a.txt',
    );
    await assert.rejects(apply(dir, text), /Failed to find expected lines in b\.txt \(hunk 2 of 2\):\nnot there/);
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'a1\na2\n');
    assert.equal(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'b1\nb2\nb3\n');
    assert.ok(!fs.existsSync(path.join(dir, 'c.txt')));
    await assert.rejects(apply(dir, patch('*** Delete File: missing.txt')), /Failed to delete missing\.txt: the file does not exist/);
  });

  it('rolls back what it wrote when a later write fails', async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'original\n');
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file where a folder is needed');
    const text = patch('*** Update File: a.txt', '@@', '-original', '+changed', '*** Add File: blocker/inside.txt', '+x');
    await assert.rejects(apply(dir, text), /rolled back/);
    assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'original\n');
  });

  it('produces unified diffs for each change', async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'one\ntwo\n');
    const plan = await planPatch(parsePatch(patch('*** Update File: a.txt', '@@', ' one', '-two', '+2')), dir);
    assert.match(plan[0]!.diff, /--- a\/a\.txt\n\+\+\+ b\/a\.txt\n@@ -1,2 \+1,2 @@\n one\n-two\n\+2/);
  });
});

function parsePatchChunks(lines: string[]) {
  const ops = parsePatch(patch('*** Update File: f', ...lines));
  const op = ops[0]!;
  if (op.kind !== 'update') throw new Error('expected an update');
  return op.chunks;
}
