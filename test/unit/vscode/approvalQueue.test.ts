// When a command's approval dialog opens: never while the user types in the composer, once they have been
// quiet for TYPING_QUIET_MS, at once when they ask, and one at a time. A manual clock: nothing sleeps.
import { strict as assert } from 'node:assert';
import { ApprovalDialogQueue, TYPING_QUIET_MS } from '../../../src/vscode/approvalQueue';
import { ManualClock } from './manualClock';

function setup() {
  const clock = new ManualClock();
  const opened: string[] = [];
  const closers = new Map<string, () => void>();
  const queue = new ApprovalDialogQueue<string>(
    (key) => {
      opened.push(key);
      return new Promise<void>((resolve) => closers.set(key, resolve));
    },
    clock,
  );
  /** Closes the dialog showing (lets the queue's promise callbacks run). */
  const close = async (key: string) => {
    closers.get(key)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, opened, queue, close };
}

describe('vscode/approvalQueue', () => {
  it('opens a new approval at once when the user is not typing', () => {
    const { queue, opened } = setup();
    assert.equal(queue.offer('a'), true);
    assert.deepEqual(opened, ['a']);
    assert.equal(queue.shown, 'a');
  });

  it('holds an approval back while the user types, and opens it once they have been quiet for the quiet period', () => {
    const { queue, opened, clock } = setup();
    queue.noteTyping();
    clock.advance(300);
    assert.equal(queue.offer('a'), false, 'deferred: the user typed 300 ms ago');
    assert.deepEqual(opened, []);
    // Typing goes on: every keystroke moves the moment the dialog may open.
    for (let i = 0; i < 10; i++) {
      clock.advance(400);
      queue.noteTyping();
    }
    assert.deepEqual(opened, [], 'never while typing, however long it lasts');
    clock.advance(TYPING_QUIET_MS - 1);
    assert.deepEqual(opened, [], 'not a millisecond early');
    clock.advance(1);
    assert.deepEqual(opened, ['a'], 'opens once the user is idle');
  });

  it('counts the user as typing for the quiet period after the last keystroke', () => {
    const { queue, clock } = setup();
    assert.equal(queue.isTyping(), false);
    queue.noteTyping();
    assert.equal(queue.isTyping(), true);
    clock.advance(TYPING_QUIET_MS - 1);
    assert.equal(queue.isTyping(), true);
    clock.advance(1);
    assert.equal(queue.isTyping(), false);
    assert.equal(TYPING_QUIET_MS, 2_000);
  });

  it('opens a dialog the user asks for at once, even while they type', () => {
    const { queue, opened, clock } = setup();
    queue.noteTyping();
    queue.offer('a');
    queue.ask('a');
    assert.deepEqual(opened, ['a']);
    clock.advance(TYPING_QUIET_MS * 2);
    assert.deepEqual(opened, ['a'], 'and not a second time when the user goes quiet');
    assert.equal(clock.armed, 0);
  });

  it('shows one dialog at a time, in order; a dialog closed without a decision does not come back by itself', async () => {
    const { queue, opened, close, clock } = setup();
    queue.offer('a');
    assert.equal(queue.offer('b'), false, 'waits behind the dialog showing');
    assert.equal(queue.offer('a'), true, 'offering the one showing again changes nothing');
    assert.deepEqual(opened, ['a']);
    await close('a');
    assert.deepEqual(opened, ['a', 'b']);
    await close('b');
    clock.advance(TYPING_QUIET_MS * 3);
    assert.deepEqual(opened, ['a', 'b'], 'a dismissed dialog stays closed; the card or the notification reopen it');
    queue.ask('a');
    assert.deepEqual(opened, ['a', 'b', 'a']);
  });

  it('after a dialog closes, waits for the user to stop typing before opening the next', async () => {
    const { queue, opened, close, clock } = setup();
    queue.offer('a');
    queue.offer('b');
    queue.noteTyping();
    await close('a');
    assert.deepEqual(opened, ['a'], 'the user typed: b waits');
    clock.advance(TYPING_QUIET_MS);
    assert.deepEqual(opened, ['a', 'b']);
  });

  it('gives a dialog asked for while another shows the next turn, ahead of those waiting', async () => {
    const { queue, opened, close } = setup();
    queue.offer('a');
    queue.offer('b');
    queue.offer('c');
    queue.noteTyping();
    queue.ask('c');
    await close('a');
    assert.deepEqual(opened, ['a', 'c'], 'asked for: typing does not hold it back');
  });

  it('forgets approvals settled elsewhere, and stops its timer', () => {
    const { queue, opened, clock } = setup();
    queue.noteTyping();
    queue.offer('a');
    assert.equal(clock.armed, 1);
    queue.drop('a');
    assert.equal(clock.armed, 0);
    clock.advance(TYPING_QUIET_MS * 2);
    assert.deepEqual(opened, []);
  });

  it('opens nothing after dispose', () => {
    const { queue, opened, clock } = setup();
    queue.noteTyping();
    queue.offer('a');
    queue.dispose();
    clock.advance(TYPING_QUIET_MS * 2);
    queue.offer('b');
    assert.deepEqual(opened, []);
  });

  it('survives a dialog that fails to open', async () => {
    const clock = new ManualClock();
    const opened: string[] = [];
    const queue = new ApprovalDialogQueue<string>((key) => {
      opened.push(key);
      if (key === 'bad') throw new Error('no dialog');
      return new Promise(() => undefined);
    }, clock);
    queue.offer('bad');
    queue.offer('good');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(opened, ['bad', 'good']);
  });

  it('runs work once the user is idle: now when quiet, else when typing stops, later keystrokes moving it', () => {
    const { clock, queue } = setup();
    const ran: string[] = [];
    queue.whenIdle(() => ran.push('now'));
    assert.deepEqual(ran, ['now']);
    queue.noteTyping();
    queue.whenIdle(() => ran.push('later'));
    clock.advance(TYPING_QUIET_MS - 500);
    queue.noteTyping();
    clock.advance(TYPING_QUIET_MS - 1);
    assert.deepEqual(ran, ['now']);
    clock.advance(1);
    assert.deepEqual(ran, ['now', 'later']);
    queue.dispose();
    queue.whenIdle(() => ran.push('after dispose'));
    assert.deepEqual(ran, ['now', 'later']);
  });
});
