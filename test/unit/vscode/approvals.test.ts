// The host's approvals against a fake vscode module and a manual clock: a command request that arrives
// while the user types shows no modal (the card and a notification say it waits), the modal opens once the
// user is idle or asks, its Enter button and a dismissal leave the command waiting, and only Run, Run for
// This Session or Deny decide. A patch's notification closes once it is decided or its turn ends, and the
// files picker accepts part of a change.
import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../src/core/log';
import type { FileUpdateChange, PendingApproval } from '../../../src/protocol';
import { TYPING_QUIET_MS } from '../../../src/vscode/approvalQueue';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';
import { ManualClock } from './manualClock';

type Fake = FakeVscode;
type Approvals = typeof import('../../../src/vscode/approvals');

const request = { threadId: 'thr', turnId: 'turn', itemId: 'cmd-1', startedAtMs: 0, approvalId: null, environmentId: null, command: 'git clean -fdx && git checkout -- .', cwd: '/w', reason: null, commandActions: null };
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('vscode/approvals (fake vscode module)', () => {
  let fake: Fake;
  let approvals: Approvals;

  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    approvals = modules.load<Approvals>('src/vscode/approvals');
  });
  beforeEach(() => {
    fake.warnings.length = 0;
    fake.progressShown.length = 0;
    fake.quickPicks.length = 0;
    fake.pickManyAnswers.length = 0;
  });

  function setup() {
    const clock = new ManualClock();
    const opened: string[] = [];
    const applied: Array<{ key: string; files: string[] }> = [];
    const edits = new Map<string, Map<string, string>>();
    const reviewer = {
      openPending: async (key: string) => void opened.push(key),
      editedContents: (key: string) => edits.get(key) ?? new Map<string, string>(),
      openApplied: async (key: string, changes: FileUpdateChange[]) => void applied.push({ key, files: changes.map((c) => c.path) }),
      close: async () => undefined,
      label: (file: string) => file.replace(/^\/w\//, ''),
    };
    const center = new approvals.ApprovalCenter(reviewer as never, silentLogger, () => false, clock);
    const changes: PendingApproval[][] = [];
    center.onDidChange((pending) => changes.push([...pending]));
    let decision: unknown;
    const ask = () => center.answerCommand(7, request).then((result) => (decision = result.decision));
    const modals = () => fake.warnings.filter((w) => w.modal);
    const notices = () => fake.warnings.filter((w) => !w.modal);
    return { clock, center, changes, ask, decision: () => decision, modals, notices, opened, applied, edits };
  }

  const THREE_FILES: FileUpdateChange[] = [
    { path: '/w/src/a.ts', kind: { type: 'update', move_path: null }, diff: '' },
    { path: '/w/new.md', kind: { type: 'add' }, diff: '# new\n' },
    { path: '/w/old.md', kind: { type: 'delete' }, diff: 'old\n' },
  ];

  /** A pending three-file patch (its item seen first, as the server sends it), and its answer once given. */
  async function pendingPatch(center: InstanceType<Approvals['ApprovalCenter']>, itemId = 'patch-3', turnId = 'turn') {
    const item = { type: 'fileChange' as const, id: itemId, changes: THREE_FILES, status: 'inProgress' as const };
    center.observe({ method: 'item/started', params: { threadId: 'thr', turnId, item, startedAtMs: 0 } });
    let answer: unknown;
    void center.answerFileChange(9, { threadId: 'thr', turnId, itemId, startedAtMs: 0, reason: null, grantRoot: null }).then((result) => (answer = result));
    await settled();
    return () => answer;
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

  it('shows a patch in a notification that closes once it is decided, with no buttons of its own', async () => {
    const { center } = setup();
    const answer = await pendingPatch(center);
    assert.equal(fake.progressShown.length, 1, 'a progress notification: VS Code can close that one from code');
    assert.equal(fake.progressShown[0]!.title, 'Tandem wants to change 3 files (a.ts, new.md, old.md). Review the diff, then accept, reject or choose files from its title bar or the chat.');
    assert.equal(fake.progressShown[0]!.closed, false);
    assert.deepEqual(fake.recorded.messages.filter((m) => m.startsWith('Tandem wants')), [], 'no notification with buttons, which could not close');
    assert.equal(center.decide('patch-3', 'decline'), true);
    await settled();
    assert.deepEqual(answer(), { decision: 'decline' });
    assert.equal(fake.progressShown[0]!.closed, true, 'decided: the notification is gone');
    center.dispose();
  });

  it('closes the notification of a patch whose turn ended, and of one the server resolved', async () => {
    const { center } = setup();
    const first = await pendingPatch(center, 'p-ended', 'turn-1');
    center.observe({ method: 'turn/completed', params: { threadId: 'other-thread', turn: { id: 'turn-1', items: [], status: 'interrupted', error: null } } } as never);
    await settled();
    assert.equal(fake.progressShown[0]!.closed, false, 'another thread\'s turn leaves it');
    center.observe({ method: 'turn/completed', params: { threadId: 'thr', turn: { id: 'turn-1', items: [], status: 'interrupted', error: null } } } as never);
    await settled();
    assert.deepEqual(first(), { decision: 'cancel' });
    assert.equal(fake.progressShown[0]!.closed, true, 'the turn ended: the notification is gone');
    assert.deepEqual(center.list(), []);

    const second = await pendingPatch(center, 'p-resolved', 'turn-2');
    center.observe({ method: 'serverRequest/resolved', params: { threadId: 'thr', requestId: 9 } });
    await settled();
    assert.deepEqual(second(), { decision: 'cancel' });
    assert.equal(fake.progressShown[1]!.closed, true);
    center.dispose();
  });

  it('accepts the files checked in the picker, and only those', async () => {
    const { center } = setup();
    const answer = await pendingPatch(center);
    fake.pickManyAnswers.push(['src/a.ts', 'old.md']);
    await center.chooseFiles('patch-3');
    await settled();
    const [pick] = fake.quickPicks;
    assert.equal(pick!.options?.canPickMany, true);
    assert.deepEqual(pick!.items.map((i) => [i.label, (i as { description?: string }).description, i.picked]), [['src/a.ts', 'modified', true], ['new.md', 'added', true], ['old.md', 'deleted', true]]);
    assert.deepEqual(answer(), { decision: 'accept', tandemAcceptedFiles: [{ path: '/w/src/a.ts' }, { path: '/w/old.md' }] });
    assert.equal(fake.progressShown[0]!.closed, true);
    center.dispose();
  });

  it('sends what the user made of reviewed files as their content, with an accept only', async () => {
    const { center, edits } = setup();
    let answer = await pendingPatch(center, 'p-edited');
    edits.set('p-edited', new Map([['/w/src/a.ts', 'kept one hunk\n']]));
    center.decide('p-edited', 'accept');
    await settled();
    assert.deepEqual(answer(), { decision: 'accept', tandemAcceptedFiles: [{ path: '/w/src/a.ts', content: 'kept one hunk\n' }, { path: '/w/new.md' }, { path: '/w/old.md' }] });

    answer = await pendingPatch(center, 'p-picked');
    edits.set('p-picked', new Map([['/w/new.md', '# edited\n']]));
    fake.pickManyAnswers.push(['src/a.ts', 'new.md']);
    await center.chooseFiles('p-picked');
    await settled();
    assert.deepEqual(answer(), { decision: 'accept', tandemAcceptedFiles: [{ path: '/w/src/a.ts' }, { path: '/w/new.md', content: '# edited\n' }] });

    answer = await pendingPatch(center, 'p-declined');
    edits.set('p-declined', new Map([['/w/src/a.ts', 'edited, then declined\n']]));
    center.decide('p-declined', 'decline');
    await settled();
    assert.deepEqual(answer(), { decision: 'decline' }, 'a declined change sends no content');
    center.dispose();
  });

  it('reads every file checked as a plain accept, none as a reject, and a dismissed picker as no decision', async () => {
    const { center } = setup();
    let answer = await pendingPatch(center, 'p-all');
    fake.pickManyAnswers.push(['src/a.ts', 'new.md', 'old.md']);
    await center.chooseFiles('p-all');
    await settled();
    assert.deepEqual(answer(), { decision: 'accept' }, 'what a codex server reads as the whole change');

    answer = await pendingPatch(center, 'p-none');
    fake.pickManyAnswers.push([]);
    await center.chooseFiles('p-none');
    await settled();
    assert.deepEqual(answer(), { decision: 'decline' });

    answer = await pendingPatch(center, 'p-dismissed');
    fake.pickManyAnswers.push(undefined);
    await center.chooseFiles('p-dismissed');
    await settled();
    assert.equal(answer(), undefined, 'Escape decides nothing');
    assert.deepEqual(center.list(), [{ itemId: 'p-dismissed', threadId: 'thr', kind: 'patch' }]);
    center.dispose();
  });

  it('closes the picker when the change is decided elsewhere, and drops its late answer', async () => {
    const { center } = setup();
    const answer = await pendingPatch(center, 'p-raced');
    fake.quickPickHold.hold = true;
    fake.pickManyAnswers.push(['src/a.ts']);
    const choosing = center.chooseFiles('p-raced');
    await settled();
    assert.equal(fake.quickPicks.length, 1, 'the picker is open');
    // Rejected from the diff's title bar while the picker is open.
    center.decide('p-raced', 'decline');
    await choosing;
    assert.deepEqual(answer(), { decision: 'decline' });
    // The picker closed without an answer: the queued choice was never read.
    assert.deepEqual(fake.pickManyAnswers.splice(0), [['src/a.ts']]);
    fake.quickPickHold.hold = false;
    fake.quickPickHold.release = undefined;
    center.dispose();
  });

  it('opens every file of a written change at once', async () => {
    const { center, applied } = setup();
    center.observe({ method: 'item/completed', params: { threadId: 'thr', turnId: 'turn', item: { type: 'fileChange', id: 'done-1', changes: THREE_FILES, status: 'completed' }, completedAtMs: 0 } });
    await center.show('done-1');
    assert.deepEqual(applied, [{ key: 'done-1:applied', files: ['/w/src/a.ts', '/w/new.md', '/w/old.md'] }]);
    center.dispose();
  });
});
