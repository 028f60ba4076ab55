import { strict as assert } from 'node:assert';
import { discardHunk, hunkKey, hunksOf, linesOf } from '../../../src/vscode/hunks';

const TEN = Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join('');

describe('vscode/hunks', () => {
  it('finds each changed block on the proposed side, with what it replaced', () => {
    const proposed = TEN.replace('line 2\n', 'two\n').replace('line 9\n', 'nine\nnine and a half\n');
    const hunks = hunksOf(TEN, proposed);
    assert.deepEqual(hunks, [
      { start: 1, count: 1, oldText: 'line 2\n', newText: 'two\n' },
      { start: 8, count: 2, oldText: 'line 9\n', newText: 'nine\nnine and a half\n' },
    ]);
  });

  it('discards one hunk of two, leaving the other', () => {
    const proposed = TEN.replace('line 1\n', 'first\n').replace('line 10\n', 'last\n');
    const [first, second] = hunksOf(TEN, proposed);
    assert.equal(discardHunk(proposed, second!), TEN.replace('line 1\n', 'first\n'));
    assert.equal(discardHunk(proposed, first!), TEN.replace('line 10\n', 'last\n'));
    assert.deepEqual(hunksOf(TEN, discardHunk(proposed, second!)).map(hunkKey), [hunkKey(first!)], 'the kept hunk keeps its name');
  });

  it('puts back removed lines and drops added ones, also at the end of a file without a final newline', () => {
    const original = 'a\nb\nc';
    const removal = 'a\nc';
    const [gone] = hunksOf(original, removal);
    assert.deepEqual(gone, { start: 1, count: 0, oldText: 'b\n', newText: '' });
    assert.equal(discardHunk(removal, gone!), original);
    const addition = 'a\nb\nc\nd';
    const [added] = hunksOf(original, addition);
    assert.equal(discardHunk(addition, added!), original);
    const lastLine = 'a\nb\nC';
    const [changed] = hunksOf(original, lastLine);
    assert.equal(discardHunk(lastLine, changed!), original);
    assert.deepEqual(hunksOf(original, original), []);
    assert.deepEqual(linesOf('x\ny'), ['x\n', 'y']);
  });

  it('treats a new file as one hunk of everything', () => {
    const hunks = hunksOf('', 'new\nfile\n');
    assert.deepEqual(hunks, [{ start: 0, count: 2, oldText: '', newText: 'new\nfile\n' }]);
    assert.equal(discardHunk('new\nfile\n', hunks[0]!), '');
  });
});
