// The host's command approvals against a fake vscode module and a manual clock: a request that arrives
// while the user types shows no modal (the card and a notification say it waits), the modal opens once the
// user is idle or asks, its Enter button and a dismissal leave the command waiting, and only Run, Run for
// This Session or Deny decide.
import { strict as assert } from 'node:assert';
import Module from 'node:module';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/log';
import type { PendingApproval } from '../../../src/protocol';
import { TYPING_QUIET_MS } from '../../../src/vscode/approvalQueue';
import { ManualClock } from './manualClock';

type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver };
type Fake = typeof import('../../support/fakeVscode');
type Approvals = typeof import('../../../src/vscode/approvals');

const request = { threadId: 'thr', turnId: 'turn', itemId: 'cmd-1', startedAtMs: 0, approvalId: null, environmentId: null, command: 'git clean -fdx && git checkout -- .', cwd: '/w', reason: null, commandActions: null };
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('vscode/approvals (fake vscode module)', () => {
  const originalResolve = moduleInternals._resolveFilename;
  let fake: Fake;
  let approvals: Approvals;

  before(() => {
    moduleInternals._resolveFilename = function (this: unknown, name: string, ...rest: unknown[]) {
      if (name === 'vscode') return path.join(__dirname, '..', '..', 'support', 'fakeVscode.ts');
      return originalResolve.call(this, name, ...rest);
    };
    fake = require('../../support/fakeVscode') as Fake; // eslint-disable-line @typescript-eslint/no-require-imports
    approvals = require('../../../src/vscode/approvals') as Approvals; // eslint-disable-line @typescript-eslint/no-require-imports
  });
  after(() => {
    moduleInternals._resolveFilename = originalResolve;
  });
  beforeEach(() => {
    fake.warnings.length = 0;
  });

  function setup() {
    const clock = new ManualClock();
    const opened: string[] = [];
    const reviewer = { openPending: async (key: string) => void opened.push(key), openApplied: async () => undefined, close: async () => undefined };
    const center = new approvals.ApprovalCenter(reviewer as never, silentLogger, () => false, clock);
    const changes: PendingApproval[][] = [];
    center.onDidChange((pending) => changes.push([...pending]));
    let decision: unknown;
    const ask = () => center.answerCommand(7, request).then((result) => (decision = result.decision));
    const modals = () => fake.warnings.filter((w) => w.modal);
    const notices = () => fake.warnings.filter((w) => !w.modal);
    return { clock, center, changes, ask, decision: () => decision, modals, notices, opened };
  }

  it('holds the dialog back while the user types: the card and a notification say the command waits', async () => {
    const { clock, center, ask, decision, modals, notices } = setup();
    center.noteUserTyping();
    void ask();
    await settled();
    assert.equal(modals().length, 0, 'no modal takes the keyboard while the user types');
    assert.deepEqual(center.list(), [{ itemId: 'cmd-1', threadId: 'thr', kind: 'command' }], 'the chat card shows it waiting');
    assert.equal(notices().length, 1);
    assert.equal(notices()[0]!.message, 'Tandem is waiting for your approval to run: git clean -fdx && git checkout -- .');
    assert.deepEqual(notices()[0]!.items, ['Review…']);
    // The user keeps typing, then stops.
    clock.advance(1_500);
    center.noteUserTyping();
    clock.advance(TYPING_QUIET_MS - 1);
    assert.equal(modals().length, 0);
    clock.advance(1);
    assert.equal(modals().length, 1, 'the dialog opens once the user is idle');
    assert.deepEqual(modals()[0]!.items, ['Not Now', 'Run', 'Run for This Session', 'Deny'], 'Enter lands on Not Now');
    assert.match(modals()[0]!.detail!, /git clean -fdx/);
    assert.equal(decision(), undefined);
    center.dispose();
  });

  it('leaves the command waiting on Not Now (Enter) and on Escape; reopens from the card and the notification; Deny decides', async () => {
    const { center, ask, decision, modals, notices } = setup();
    void ask();
    await settled();
    assert.equal(modals().length, 1, 'idle: the dialog opens at once');
    assert.equal(notices().length, 0);
    modals()[0]!.answer('Not Now');
    await settled();
    assert.equal(decision(), undefined, 'Not Now decides nothing');
    assert.equal(center.list().length, 1, 'still waiting');
    assert.equal(notices().length, 1, 'a notification can reopen it');

    center.reviewCommand('cmd-1');
    await settled();
    assert.equal(modals().length, 2, 'the card reopens the dialog');
    modals()[1]!.answer(undefined);
    await settled();
    assert.equal(decision(), undefined, 'Escape decides nothing');
    assert.equal(notices().length, 1, 'the notification still showing is enough');

    notices()[0]!.answer('Review…');
    await settled();
    assert.equal(modals().length, 3, 'the notification reopens the dialog');
    modals()[2]!.answer('Deny');
    await settled();
    assert.equal(decision(), 'decline');
    assert.deepEqual(center.list(), []);
    center.dispose();
  });

  it('runs only on an explicit Run in the dialog; a patch decision naming the command does nothing', async () => {
    const { center, ask, decision, modals } = setup();
    void ask();
    await settled();
    assert.equal(center.decide('cmd-1', 'accept'), false, 'the chat\'s decideChange is for patches only');
    await settled();
    assert.equal(decision(), undefined);
    modals()[0]!.answer('Run');
    await settled();
    assert.equal(decision(), 'accept');
    center.dispose();
  });

  it('opens a dialog the user asks for even while typing, and ignores the answer of one resolved meanwhile', async () => {
    const { center, ask, decision, modals } = setup();
    center.noteUserTyping();
    void ask();
    await settled();
    center.reviewCommand('cmd-1');
    assert.equal(modals().length, 1, 'asked for: opens while typing');
    center.observe({ method: 'serverRequest/resolved', params: { threadId: 'thr', requestId: 7 } });
    await settled();
    assert.equal(decision(), 'cancel', 'the server resolved it (the turn was interrupted)');
    assert.deepEqual(center.list(), []);
    modals()[0]!.answer('Run');
    await settled();
    assert.equal(decision(), 'cancel', 'a stale dialog decides nothing');
    center.reviewCommand('cmd-1');
    assert.equal(modals().length, 1, 'nothing to reopen');
    center.dispose();
  });

  it('holds a new patch review back while the user types, then opens the diff editor', async () => {
    const { clock, center, opened } = setup();
    center.noteUserTyping();
    void center.answerFileChange(8, { threadId: 'thr', turnId: 't', itemId: 'patch-1', startedAtMs: 0, reason: null, grantRoot: null });
    await settled();
    assert.deepEqual(opened, [], 'the diff editor does not take the keyboard while the user types');
    assert.deepEqual(center.list(), [{ itemId: 'patch-1', threadId: 'thr', kind: 'patch' }], 'the chat card shows it waiting');
    clock.advance(TYPING_QUIET_MS);
    await settled();
    assert.deepEqual(opened, ['patch-1'], 'it opens once the user is idle');
    center.dispose();
  });
});
