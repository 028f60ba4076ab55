// Which command outputs collapse and what their collapsed view shows: the end of the output, by lines, or
// by characters when a few lines are very long, never starting inside an ANSI escape.
import { strict as assert } from 'node:assert';
import { COLLAPSED_CHARS, COLLAPSED_LINES, collapsedTail } from '../../../webview/output';

const lines = (count: number, width = 6) => Array.from({ length: count }, (_, i) => `${i + 1}`.padStart(width, '.')).join('\n');

describe('webview: collapsed command output', () => {
  it('shows a short output whole, up to the line and character bounds', () => {
    assert.equal(collapsedTail(''), null);
    assert.equal(collapsedTail(`${lines(COLLAPSED_LINES)}\n`), null, 'a trailing newline is no extra line');
    assert.equal(collapsedTail(lines(COLLAPSED_LINES)), null);
    assert.equal(collapsedTail('x'.repeat(COLLAPSED_CHARS)), null);
  });

  it('shows the last lines of a long output, with its trailing newline', () => {
    assert.deepEqual(collapsedTail(`${lines(COLLAPSED_LINES + 1)}\n`), { text: `${lines(COLLAPSED_LINES + 1).split('\n').slice(1).join('\n')}\n`, note: `Last ${COLLAPSED_LINES} of ${(21).toLocaleString()} lines` });
    assert.deepEqual(collapsedTail(lines(50)), { text: lines(50).split('\n').slice(30).join('\n'), note: `Last 20 of ${(50).toLocaleString()} lines` });
  });

  it('cuts by characters when the last lines are still too long', () => {
    const output = `${lines(30, 200)}\n`;
    const tail = collapsedTail(output)!;
    assert.equal(tail.text, output.slice(-COLLAPSED_CHARS));
    assert.equal(tail.note, `Last ${COLLAPSED_CHARS.toLocaleString()} of ${output.length.toLocaleString()} characters`);
    const oneLine = 'y'.repeat(COLLAPSED_CHARS + 1);
    assert.equal(collapsedTail(oneLine)!.text, oneLine.slice(1));
  });

  it('moves a cut that lands inside an ANSI escape to the escape’s end', () => {
    const output = `${'a'.repeat(100)}\u001b[31m${'b'.repeat(COLLAPSED_CHARS - 2)}`;
    const tail = collapsedTail(output)!;
    assert.equal(tail.text, 'b'.repeat(COLLAPSED_CHARS - 2), 'no half escape like "[31m" shows');
    assert.equal(tail.note, `Last ${(COLLAPSED_CHARS - 2).toLocaleString()} of ${output.length.toLocaleString()} characters`);
    // An escape that ends before the cut is left alone.
    const clear = `${'a'.repeat(100)}\u001b[31m${'b'.repeat(COLLAPSED_CHARS + 10)}`;
    assert.equal(collapsedTail(clear)!.text, 'b'.repeat(COLLAPSED_CHARS));
  });
});
