// The virtualised conversation's arithmetic: which rows overlap a stretch of pixels, and which run of rows to
// keep in the DOM when the rows on screen come first and those around them only as time allows.
import { strict as assert } from 'node:assert';
import { growSpan, placeRows, rowOffsets, rowsWithin, type RowContainer, type RowSpan } from '../../../webview/rowWindow';

/** Ten rows of 100 px, the fourth one 300 px. */
const offsets = rowOffsets(10, (i) => (i === 3 ? 300 : 100));

describe('webview row window', () => {
  it('adds up each row\'s top and the list\'s height', () => {
    assert.deepEqual(Array.from(offsets), [0, 100, 200, 300, 600, 700, 800, 900, 1000, 1100, 1200]);
    assert.deepEqual(Array.from(rowOffsets(0, () => 1)), [0]);
  });

  it('finds the rows that overlap a stretch of pixels, partly shown ones included', () => {
    assert.deepEqual(rowsWithin(offsets, 0, 100), { start: 0, end: 1 });
    assert.deepEqual(rowsWithin(offsets, 50, 150), { start: 0, end: 2 });
    assert.deepEqual(rowsWithin(offsets, 350, 450), { start: 3, end: 4 }, 'inside the tall row');
    assert.deepEqual(rowsWithin(offsets, 1000, 1200), { start: 8, end: 10 }, 'the end of the list');
  });

  it('clamps a stretch beyond either end to the rows there, and shows at least one row', () => {
    assert.deepEqual(rowsWithin(offsets, -800, 150), { start: 0, end: 2 });
    assert.deepEqual(rowsWithin(offsets, 1100, 2000), { start: 9, end: 10 });
    assert.deepEqual(rowsWithin(offsets, 5000, 6000), { start: 9, end: 10 }, 'scrolled past the end: the last row');
    assert.deepEqual(rowsWithin(offsets, 0, 0), { start: 0, end: 1 });
    assert.deepEqual(rowsWithin(rowOffsets(0, () => 1), 0, 100), { start: 0, end: 0 }, 'no rows');
  });

  describe('growSpan', () => {
    const grow = (visible: RowSpan, wanted: RowSpan, mounted: number[], budget: number) => {
      const built: number[] = [];
      const span = growSpan(visible, wanted, (i) => mounted.includes(i), (i) => built.push(i), () => built.length < budget);
      return { span, built };
    };

    it('builds only the visible rows when there is no time, and nothing new around them', () => {
      assert.deepEqual(grow({ start: 7, end: 10 }, { start: 2, end: 10 }, [], 0), { span: { start: 7, end: 10 }, built: [] });
    });

    it('keeps the rows already built around the visible ones without spending time on them', () => {
      assert.deepEqual(grow({ start: 5, end: 7 }, { start: 2, end: 10 }, [3, 4, 7, 8, 9], 0), { span: { start: 3, end: 10 }, built: [] });
    });

    it('builds the nearest new rows first, below and above in turn, as long as there is time', () => {
      assert.deepEqual(grow({ start: 5, end: 7 }, { start: 2, end: 10 }, [], 3), { span: { start: 4, end: 9 }, built: [7, 4, 8] });
      assert.deepEqual(grow({ start: 5, end: 7 }, { start: 2, end: 10 }, [], 99), { span: { start: 2, end: 10 }, built: [7, 4, 8, 3, 9, 2] });
    });

    it('goes on upwards when nothing is left below: a thread opens at its end', () => {
      assert.deepEqual(grow({ start: 8, end: 10 }, { start: 4, end: 10 }, [], 99), { span: { start: 4, end: 10 }, built: [7, 6, 5, 4] });
    });

    it('keeps the run contiguous: rows built before beyond a gap are left out', () => {
      // Rows 2 and 3 were built for an earlier scroll position; row 4 is not built and there is no time.
      assert.deepEqual(grow({ start: 5, end: 7 }, { start: 2, end: 7 }, [2, 3], 0), { span: { start: 5, end: 7 }, built: [] });
    });
  });

  describe('placeRows', () => {
    /** A container of strings that records what it was asked to do. */
    const container = (children: string[]) => {
      const calls: string[] = [];
      const fake: RowContainer<string> & { calls: string[]; list: string[] } = {
        list: [...children],
        calls,
        get children() {
          return this.list;
        },
        prepend(...nodes) {
          calls.push(`prepend ${nodes.join(',')}`);
          this.list.unshift(...nodes);
        },
        append(...nodes) {
          calls.push(`append ${nodes.join(',')}`);
          this.list.push(...nodes);
        },
        replaceChildren(...nodes) {
          calls.push(`replace ${nodes.join(',')}`);
          this.list = [...nodes];
        },
      };
      return fake;
    };

    it('leaves rows in place alone and puts new ones around them', () => {
      const rows = container(['c', 'd']);
      placeRows(rows, ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(rows.list, ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(rows.calls, ['append e', 'prepend a,b']);
    });

    it('does nothing when the rows are already the ones wanted', () => {
      const rows = container(['a', 'b']);
      placeRows(rows, ['a', 'b']);
      assert.deepEqual(rows.calls, []);
    });

    it('replaces the children when those in place are out of order, or not a run of the rows wanted', () => {
      for (const [before, wanted] of [[['b', 'a'], ['a', 'b', 'c']], [['a', 'c'], ['a', 'b', 'c']], [['x'], ['a']], [[], ['a', 'b']], [['b', 'c'], ['a', 'b']]]) {
        const rows = container(before!);
        placeRows(rows, wanted!);
        assert.deepEqual(rows.list, wanted, before!.join(','));
        assert.deepEqual(rows.calls, [`replace ${wanted!.join(',')}`], before!.join(','));
      }
    });
  });
});
