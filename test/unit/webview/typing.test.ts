// The composer's typing reports: throttled to one per interval, and the last keystroke is always reported
// (the host must never think the user went quiet before they did). A manual clock: nothing sleeps.
import { strict as assert } from 'node:assert';
import { TYPING_REPORT_INTERVAL_MS, TypingReporter, type TypingClock } from '../../../webview/typing';
import { TYPING_QUIET_MS } from '../../../src/vscode/approvalQueue';

function setup() {
  let time = 0;
  const timers: Array<{ at: number; callback: () => void }> = [];
  const clock: TypingClock = { now: () => time, setTimer: (callback, ms) => void timers.push({ at: time + ms, callback }) };
  const reports: number[] = [];
  const reporter = new TypingReporter(() => reports.push(time), clock);
  const advance = (ms: number) => {
    const end = time + ms;
    for (let due = timers.sort((a, b) => a.at - b.at)[0]; due && due.at <= end; due = timers.sort((a, b) => a.at - b.at)[0]) {
      timers.shift();
      time = due.at;
      due.callback();
    }
    time = end;
  };
  return { reporter, reports, advance, pendingTimers: () => timers.length };
}

describe('webview/typing', () => {
  it('reports the first keystroke at once and at most one per interval after', () => {
    const { reporter, reports, advance } = setup();
    reporter.keystroke();
    assert.deepEqual(reports, [0]);
    // Fast typing for 2 s: a key every 50 ms.
    for (let t = 50; t <= 2_000; t += 50) {
      advance(50);
      reporter.keystroke();
    }
    advance(TYPING_REPORT_INTERVAL_MS);
    assert.ok(reports.length <= 2_000 / TYPING_REPORT_INTERVAL_MS + 2, `throttled (${reports.length} reports)`);
    for (let i = 1; i < reports.length; i++) assert.ok(reports[i]! - reports[i - 1]! >= TYPING_REPORT_INTERVAL_MS);
  });

  it('always reports the last keystroke, no later than one interval after it', () => {
    const { reporter, reports, advance, pendingTimers } = setup();
    reporter.keystroke();
    advance(100);
    reporter.keystroke(); // the last key, inside the interval
    assert.deepEqual(reports, [0]);
    assert.equal(pendingTimers(), 1, 'a trailing report is due');
    advance(TYPING_REPORT_INTERVAL_MS);
    assert.deepEqual(reports, [0, TYPING_REPORT_INTERVAL_MS], 'the last key is reported, after it, never dropped');
    assert.equal(pendingTimers(), 0);
  });

  it('reports often enough for the host to see typing without a gap as long as its quiet period', () => {
    assert.ok(TYPING_REPORT_INTERVAL_MS * 2 < TYPING_QUIET_MS);
  });
});
