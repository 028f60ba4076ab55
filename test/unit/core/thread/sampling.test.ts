import { strict as assert } from 'node:assert';
import { appendStreamed } from '../../../../src/core/thread/sampling';

/** Feeds deltas to one streamed text and returns what the client would receive. */
function stream(deltas: string[], start = { text: '', sent: '', diverged: false }) {
  let state = start;
  const fresh: string[] = [];
  for (const delta of deltas) {
    const step = appendStreamed(state.text, state.sent, delta, state.diverged);
    state = { text: step.text, sent: step.sent, diverged: step.diverged };
    if (step.fresh !== undefined) fresh.push(step.fresh);
  }
  return { state, fresh };
}

describe('appendStreamed: deltas the client lacks', () => {
  it('passes every delta through on a first attempt and keeps the whole text', () => {
    const { state, fresh } = stream(['Hel', 'lo', '', ' world']);
    assert.deepEqual(fresh, ['Hel', 'lo', ' world']);
    assert.equal(state.text, 'Hello world');
    assert.equal(state.sent, 'Hello world');
  });

  it('sends only what goes past a retried start, whatever the chunk boundaries', () => {
    const retry = { text: '', sent: 'Partial th', diverged: false };
    const { state, fresh } = stream(['Par', 'tial then', ' whole'], retry);
    assert.deepEqual(fresh, ['en', ' whole']);
    assert.equal(state.text, 'Partial then whole');
    assert.equal(state.sent, 'Partial then whole');
  });

  it('stops sending once a retry diverges from what the client has, even after it grows past it', () => {
    const retry = { text: '', sent: 'Partial th', diverged: false };
    const { state, fresh } = stream(['Part', 'ly different', ' and longer than before'], retry);
    assert.deepEqual(fresh, []);
    assert.equal(state.diverged, true);
    assert.equal(state.sent, 'Partial th', 'the client keeps what it had; item/completed carries the final text');
    assert.equal(state.text, 'Partly different and longer than before');
  });

  it('keeps many small deltas exact', () => {
    const deltas = Array.from({ length: 5_000 }, (_, i) => `${i % 10}`);
    const { state, fresh } = stream(deltas);
    assert.equal(fresh.join(''), deltas.join(''));
    assert.equal(state.text.length, 5_000);
  });
});
