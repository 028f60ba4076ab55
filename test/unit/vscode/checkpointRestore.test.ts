// Undo from the chat, host side, against a fake vscode module and a scripted server: a restore shows its plan
// in the changes editor (each file now against how it will be), asks in a modal that names the files changed
// since (left alone, or overwritten with *Overwrite Them Too*), restores, and says what it left; a rewind
// asks and calls thread/revert; *Both* restores first. The bridge passes the chat's requests through.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';
import { silentLogger } from '../../../src/core/log';
import type { Checkpoint, CheckpointRestoreCall, HostToWebview, RestorePlan } from '../../../src/protocol';
import { ChatBridge } from '../../../src/vscode/chatBridge';

type Restorer = typeof import('../../../src/vscode/checkpointRestore');
type Documents = typeof import('../../../src/vscode/checkpointDocuments');
type Uri = { scheme: string; path: string; query: string; fsPath: string; toString(): string };

describe('vscode/checkpointRestore (fake vscode module)', () => {
  let fake: FakeVscode;
  let restorer: Restorer;
  let documents: Documents;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-restore-'));
  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    restorer = modules.load<Restorer>('src/vscode/checkpointRestore');
    documents = modules.load<Documents>('src/vscode/checkpointDocuments');
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  beforeEach(() => {
    fake.recorded.executed.length = 0;
    fake.recorded.messages.length = 0;
    fake.warnings.length = 0;
    for (const name of ['a.txt', 'new.txt', 'edited.txt']) fs.writeFileSync(path.join(workspace, name), `${name} now\n`);
  });

  const PLAN: RestorePlan = {
    workspace,
    write: ['a.txt'],
    recreate: ['gone.txt'],
    delete: ['new.txt'],
    conflicts: [{ path: 'edited.txt', action: 'write', now: 'modified' }],
    unrestorable: [],
  };
  const checkpoint = (turnId: string, extra: Partial<Checkpoint> = {}): Checkpoint => ({
    turnId, kind: 'turn', workspace, scope: 'workspace', limitation: null, files: [], skipped: [], restoredTurnId: null, finished: true, createdAt: 1, ...extra,
  });

  /** A server that answers each checkpoint method, recording every call. */
  function server(plan: RestorePlan = PLAN, fail?: string) {
    const calls: Array<{ method: string; params: Record<string, unknown> }> = [];
    const client = {
      request: async (method: string, params?: unknown) => {
        calls.push({ method, params: params as Record<string, unknown> });
        if (fail === method) throw new Error('boom');
        switch (method) {
          case 'tandem/checkpoint/restorePlan':
            return { plan };
          case 'tandem/checkpoint/restore':
            return { restored: ['a.txt', 'gone.txt', 'new.txt'], conflicts: (params as { overwrite?: string[] }).overwrite ? [] : plan.conflicts, failed: [], unrestorable: [], undo: checkpoint('restore:t1:1', { kind: 'restore' }) };
          case 'tandem/checkpoint/readFile':
            return { contentBase64: (params as { side: string }).side === 'before' ? Buffer.from('as it was\n').toString('base64') : null };
          case 'tandem/checkpoint/list':
            return { data: [checkpoint('t1', { files: [{ path: 'b.txt', oldPath: 'a.txt', status: 'renamed', additions: 1, deletions: 0, binary: false }] })] };
          case 'thread/revert':
            return { thread: {} };
        }
        throw new Error(`unexpected ${method}`);
      },
    };
    return { client, calls, methods: () => calls.map((c) => c.method) };
  }
  const call = (extra: Partial<CheckpointRestoreCall>): CheckpointRestoreCall => ({ kind: 'restoreCheckpoint', id: 1, threadId: 'th', ...extra });
  async function dialog(index = 0) {
    while (fake.warnings.length <= index) await new Promise((resolve) => setImmediate(resolve));
    return fake.warnings[index]!;
  }

  it('shows each file now against how the restore leaves it, asks naming the files changed since, and leaves those alone', async () => {
    const { client, calls, methods } = server();
    const running = new restorer.CheckpointRestorer(client, silentLogger).run(call({ files: { turnId: 't1', includeLater: false } }));
    const asked = await dialog();
    const [changes] = fake.recorded.executed;
    assert.equal(changes!.command, 'vscode.changes');
    assert.equal(changes!.args[0], 'Tandem: files to restore');
    const entries = (changes!.args[1] as Array<[Uri, Uri | undefined, Uri | undefined]>).map(([file, now, after]) => [path.basename(file.fsPath), now?.scheme, now && documents.checkpointRefOf(now as never)?.side, after && documents.checkpointRefOf(after as never)?.side]);
    assert.deepEqual(entries, [
      ['a.txt', 'file', undefined, 'before'],
      // Created again: nothing now (VS Code labels it added).
      ['gone.txt', undefined, undefined, 'before'],
      // Removed: what the turn left, nothing after (labelled deleted).
      ['new.txt', 'tandem-checkpoint', 'after', undefined],
      ['edited.txt', 'file', undefined, 'before'],
    ]);
    assert.equal(asked.modal, true);
    assert.equal(asked.message, 'Undo the changes this turn made to files?');
    assert.deepEqual(asked.items, ['Undo Changes', 'Overwrite Them Too']);
    assert.match(asked.detail!, /Written back as they were: 1\nCreated again: 1\nRemoved: 1/);
    assert.match(asked.detail!, /Changed since, so they will be left as they are:\nedited\.txt \(edited\)/);
    asked.answer('Undo Changes');
    assert.deepEqual(await running, { restored: true, rewound: false });
    assert.deepEqual(methods(), ['tandem/checkpoint/restorePlan', 'tandem/checkpoint/restore']);
    assert.deepEqual(calls[1]!.params, { threadId: 'th', turnId: 't1', includeLater: false });
    const report = await dialog(1);
    assert.equal(report.modal, false);
    assert.equal(report.message, 'Tandem restored 3 of the files. Left as they are, changed since: edited.txt (edited).');
  });

  it('names the files of the restore that have unsaved edits in an editor', async () => {
    const { client } = server();
    const dirty = { isDirty: true, uri: { scheme: 'file', fsPath: path.join(workspace, 'a.txt') } };
    const clean = { isDirty: false, uri: { scheme: 'file', fsPath: path.join(workspace, 'new.txt') } };
    fake.workspace.textDocuments.push(dirty, clean);
    try {
      const running = new restorer.CheckpointRestorer(client, silentLogger).run(call({ files: { turnId: 't1', includeLater: false } }));
      const asked = await dialog();
      assert.match(asked.detail!, /\n\nUnsaved in the editor: a\.txt\. The restore changes these files on disk/);
      assert.doesNotMatch(asked.detail!, /new\.txt\. The restore/);
      asked.answer(undefined);
      assert.deepEqual(await running, { restored: false, rewound: false });
    } finally {
      fake.workspace.textDocuments.length = 0;
    }
  });

  it('serves the restored side of a file from the checkpoint, and names a binary file instead of showing its bytes', async () => {
    const { client, calls } = server();
    const provider = new documents.CheckpointContentProvider(client);
    const uri = documents.checkpointUri(workspace, { threadId: 'th', turnId: 't1', includeLater: true, path: 'src/a.txt', side: 'before' }, 'v1');
    assert.equal((uri as unknown as Uri).path, `${workspace}/src/a.txt`, 'named as the file, for the editor\'s label and language');
    assert.equal(await provider.provideTextDocumentContent(uri), 'as it was\n');
    assert.deepEqual(calls[0], { method: 'tandem/checkpoint/readFile', params: { threadId: 'th', turnId: 't1', includeLater: true, path: 'src/a.txt', side: 'before' } });
    assert.equal(await provider.provideTextDocumentContent(documents.checkpointUri(workspace, { threadId: 'th', turnId: 't1', includeLater: false, path: 'x', side: 'after' }, 'v1')), '');
    assert.equal(documents.textOf(Buffer.from([0x89, 0x50, 0x00, 0x01])), '(binary file, 4 bytes)');
  });

  it('overwrites the files changed since only when the user says Overwrite Them Too', async () => {
    const { client, calls } = server();
    const running = new restorer.CheckpointRestorer(client, silentLogger).run(call({ files: { turnId: 't1', includeLater: false } }));
    (await dialog()).answer('Overwrite Them Too');
    assert.deepEqual(await running, { restored: true, rewound: false });
    assert.deepEqual(calls[1]!.params.overwrite, ['edited.txt']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.warnings.length, 1, 'everything restored: nothing more to say');
  });

  it('restores nothing when the dialog is dismissed', async () => {
    const { client, methods } = server();
    const running = new restorer.CheckpointRestorer(client, silentLogger).run(call({ files: { turnId: 't1', includeLater: true } }));
    const asked = await dialog();
    assert.equal(asked.message, 'Restore the files to how they were before this message? The changes of its turn and every later one are undone.');
    asked.answer(undefined);
    assert.deepEqual(await running, { restored: false, rewound: false });
    assert.deepEqual(methods(), ['tandem/checkpoint/restorePlan']);
  });

  it('restores the files and then rewinds the conversation when both are asked for, in one dialog', async () => {
    const { client, calls, methods } = server();
    const running = new restorer.CheckpointRestorer(client, silentLogger).run(call({ files: { turnId: 't3', includeLater: true }, rewindBeforeTurnId: 't2' }));
    const asked = await dialog();
    assert.equal(asked.message, 'Restore the files and rewind the conversation to before this message?');
    assert.match(asked.detail!, /This message and every later one also leave the conversation/);
    asked.answer('Restore and Rewind');
    assert.deepEqual(await running, { restored: true, rewound: true });
    assert.deepEqual(methods(), ['tandem/checkpoint/restorePlan', 'tandem/checkpoint/restore', 'thread/revert']);
    assert.deepEqual(calls[1]!.params, { threadId: 'th', turnId: 't3', includeLater: true });
    assert.deepEqual(calls[2]!.params, { threadId: 'th', beforeTurnId: 't2' });
  });

  it('rewinds only after asking, without touching files', async () => {
    const { client, methods } = server();
    const first = new restorer.CheckpointRestorer(client, silentLogger).run(call({ rewindBeforeTurnId: 't2' }));
    const asked = await dialog();
    assert.equal(asked.message, 'Rewind the conversation to before this message?');
    assert.deepEqual(asked.items, ['Rewind']);
    asked.answer(undefined);
    assert.deepEqual(await first, { restored: false, rewound: false });
    assert.deepEqual(methods(), []);
    const second = new restorer.CheckpointRestorer(client, silentLogger).run(call({ rewindBeforeTurnId: 't2' }));
    (await dialog(1)).answer('Rewind');
    assert.deepEqual(await second, { restored: false, rewound: true });
    assert.deepEqual(methods(), ['thread/revert']);
  });

  it('undoes a restore by restoring its own checkpoint, and says when there is nothing to restore', async () => {
    const { client } = server();
    const undo = new restorer.CheckpointRestorer(client, silentLogger).run(call({ files: { turnId: 'restore:t1:1', includeLater: false } }));
    const asked = await dialog();
    assert.equal(asked.message, 'Undo the restore, putting the files back as they were before it?');
    asked.answer(undefined);
    await undo;
    const empty = server({ workspace, write: [], recreate: [], delete: [], conflicts: [], unrestorable: [] });
    assert.deepEqual(await new restorer.CheckpointRestorer(empty.client, silentLogger).run(call({ files: { turnId: 't1', includeLater: false } })), { restored: false, rewound: false });
    assert.deepEqual(fake.recorded.messages, ['Nothing to restore: the files are already as they were.']);
    assert.equal(fake.warnings.length, 1, 'no dialog for nothing');
  });

  it('says in an error message when the server cannot plan or restore, and does not rewind then', async () => {
    const planless = server(PLAN, 'tandem/checkpoint/restorePlan');
    assert.deepEqual(await new restorer.CheckpointRestorer(planless.client, silentLogger).run(call({ files: { turnId: 't1', includeLater: false } })), { restored: false, rewound: false });
    assert.deepEqual(fake.recorded.messages, ['Tandem could not work out what to restore: boom']);
    const failing = server(PLAN, 'tandem/checkpoint/restore');
    const running = new restorer.CheckpointRestorer(failing.client, silentLogger).run(call({ files: { turnId: 't1', includeLater: true }, rewindBeforeTurnId: 't1' }));
    (await dialog()).answer('Restore and Rewind');
    assert.deepEqual(await running, { restored: false, rewound: false });
    assert.deepEqual(failing.methods(), ['tandem/checkpoint/restorePlan', 'tandem/checkpoint/restore']);
    assert.equal(fake.recorded.messages[1], 'Tandem could not restore the files: boom');
  });

  it('opens one file of a turn in the diff editor: before the turn (a rename from its old path) against what it left', async () => {
    const { client } = server();
    await new restorer.CheckpointRestorer(client, silentLogger).openDiff({ kind: 'openCheckpointDiff', threadId: 'th', turnId: 't1', path: 'b.txt' });
    const [diff] = fake.recorded.executed;
    assert.equal(diff!.command, 'vscode.diff');
    const [left, right, title] = diff!.args as [Uri, Uri, string];
    assert.deepEqual([documents.checkpointRefOf(left as never), documents.checkpointRefOf(right as never)], [
      { threadId: 'th', turnId: 't1', includeLater: false, path: 'a.txt', side: 'before' },
      { threadId: 'th', turnId: 't1', includeLater: false, path: 'b.txt', side: 'after' },
    ]);
    assert.equal(title, "a.txt → b.txt (Tandem's change in the turn)");
    await new restorer.CheckpointRestorer(client, silentLogger).openDiff({ kind: 'openCheckpointDiff', threadId: 'th', turnId: 't1', path: 'elsewhere.txt' });
    assert.deepEqual(fake.recorded.messages, ['Tandem could not open the diff: elsewhere.txt is not among the files of that checkpoint.']);
  });
});

describe('vscode/chatBridge: checkpoints', () => {
  function bridgeWith(restore?: (call: CheckpointRestoreCall) => Promise<{ restored: boolean; rewound: boolean }>) {
    const posted: HostToWebview[] = [];
    const calls: string[] = [];
    const diffs: unknown[] = [];
    const noop = () => undefined;
    const bridge = new ChatBridge(
      { request: async (method) => (calls.push(method), { data: [] }) },
      {
        post: (m) => posted.push(m),
        state: () => ({ activeThreadId: null, workspaceName: 'w', workspaceRoots: [], notice: null, composerDisabledReason: null, pendingApprovals: [] }),
        setActiveThread: noop, openLink: noop, showChange: noop, decideChange: noop, copy: noop, composerTyping: noop, reviewCommand: noop, openFile: noop,
        restricted: () => false,
        openCheckpointDiff: (call) => diffs.push(call),
        ...(restore ? { restoreCheckpoint: restore } : {}),
      },
      silentLogger,
    );
    return { bridge, posted, calls, diffs };
  }

  it('lets the chat list checkpoints, and answers a restore with what the host did', async () => {
    const { bridge, posted, calls } = bridgeWith(async (call) => ({ restored: call.files?.turnId === 't1', rewound: false }));
    await bridge.receive({ kind: 'request', id: 1, method: 'tandem/checkpoint/list', params: { threadId: 'th' } });
    assert.deepEqual(calls, ['tandem/checkpoint/list']);
    await bridge.receive({ kind: 'restoreCheckpoint', id: 2, threadId: 'th', files: { turnId: 't1', includeLater: false } });
    assert.deepEqual(posted.at(-1), { kind: 'response', id: 2, result: { restored: true, rewound: false } });
  });

  it('refuses restores and other checkpoint methods the chat may not call, and passes diffs to the host', async () => {
    const { bridge, posted, calls, diffs } = bridgeWith();
    await bridge.receive({ kind: 'request', id: 3, method: 'tandem/checkpoint/restore', params: { threadId: 'th', turnId: 't1' } });
    assert.deepEqual(calls, [], 'restoring goes through the host, which asks first');
    await bridge.receive({ kind: 'restoreCheckpoint', id: 4, threadId: 'th', files: { turnId: 't1', includeLater: false } });
    assert.deepEqual(posted.map((m) => (m.kind === 'error' ? [m.id, m.error.message] : m.kind)), [
      [3, 'tandem/checkpoint/restore is not available to the chat view'],
      [4, 'Restoring files is not available here'],
    ]);
    await bridge.receive({ kind: 'openCheckpointDiff', threadId: 'th', turnId: 't1', path: 'a.txt' });
    assert.deepEqual(diffs, [{ kind: 'openCheckpointDiff', threadId: 'th', turnId: 't1', path: 'a.txt' }]);
  });
});
