import { strict as assert } from 'node:assert';
import { RpcError, type HostToWebview } from '../../../src/protocol';
import { silentLogger } from '../../../src/core/log';
import { ChatBridge } from '../../../src/vscode/chatBridge';

const STATE = { workspaceName: 'w', workspaceRoots: ['/w'], notice: null, composerDisabledReason: null, pendingApprovals: [] };

function setup(
  respond: (method: string, params: unknown) => Promise<unknown> = async () => ({ ok: true }),
  restricted = false,
  fullAccess = { accepted: false, answer: false },
  deleteThread?: (threadId: string) => Promise<{ deleted: boolean }>,
) {
  const posted: HostToWebview[] = [];
  const opened: string[] = [];
  const calls: string[] = [];
  const sent: unknown[] = [];
  const hostCalls: string[] = [];
  let active: string | null = 'thr-0';
  const bridge = new ChatBridge(
    { request: (method, params) => (calls.push(method), sent.push(params), respond(method, params)) },
    {
      post: (m) => posted.push(m),
      state: () => ({ activeThreadId: active, ...STATE }),
      setActiveThread: (id) => (active = id),
      openLink: (url) => opened.push(url.toString()),
      showChange: (itemId) => hostCalls.push(`show ${itemId}`),
      decideChange: (itemId, decision) => hostCalls.push(`${decision} ${itemId}`),
      copy: (text) => hostCalls.push(`copy ${text}`),
      composerTyping: () => hostCalls.push('typing'),
      reviewCommand: (itemId) => hostCalls.push(`review ${itemId}`),
      openFile: (path, line) => hostCalls.push(`open ${path}:${line}`),
      restricted: () => restricted,
      confirmFullAccess: async () => (fullAccess.accepted ||= fullAccess.answer),
      fullAccessAccepted: () => fullAccess.accepted,
      ...(deleteThread ? { deleteThread } : {}),
    },
    silentLogger,
  );
  return { bridge, posted, opened, calls, sent, hostCalls, active: () => active };
}

describe('vscode/chatBridge', () => {
  it('forwards allow-listed requests and posts the result', async () => {
    const { bridge, posted, calls } = setup();
    await bridge.receive({ kind: 'request', id: 1, method: 'turn/start', params: { threadId: 't' } });
    assert.deepEqual(calls, ['turn/start']);
    assert.deepEqual(posted, [{ kind: 'response', id: 1, result: { ok: true } }]);
  });

  it('refuses methods outside the allow-list without calling the server', async () => {
    const { bridge, posted, calls } = setup();
    await bridge.receive({ kind: 'request', id: 2, method: 'account/logout' });
    assert.deepEqual(calls, []);
    assert.deepEqual(posted, [{ kind: 'error', id: 2, error: { code: -32600, message: 'account/logout is not available to the chat view' } }]);
  });

  it('passes JSON-RPC errors through and drops malformed messages', async () => {
    const { bridge, posted } = setup(async () => {
      throw new RpcError(-32600, 'thread not found: x');
    });
    await bridge.receive({ kind: 'request', id: 3, method: 'thread/read', params: {} });
    await bridge.receive({ kind: 'request', id: 'not-a-number', method: 'thread/read' });
    await bridge.receive({ kind: 'evil' });
    await bridge.receive('text');
    assert.deepEqual(posted, [{ kind: 'error', id: 3, error: { code: -32600, message: 'thread not found: x' } }]);
  });

  it('answers ready with the host state and remembers the active thread', async () => {
    const { bridge, posted, active } = setup();
    await bridge.receive({ kind: 'ready' });
    assert.deepEqual(posted, [{ kind: 'state', state: { activeThreadId: 'thr-0', ...STATE } }]);
    await bridge.receive({ kind: 'setActiveThread', threadId: 'thr-9' });
    assert.equal(active(), 'thr-9');
  });

  it('opens only web and mail links', async () => {
    const { bridge, opened } = setup();
    for (const url of ['https://example.com/a', 'mailto:x@example.com', 'command:workbench.action.reloadWindow', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      await bridge.receive({ kind: 'openLink', url });
    }
    assert.deepEqual(opened, ['https://example.com/a', 'mailto:x@example.com']);
  });

  it('passes change reviews, decisions and copies to the host, and refuses unknown decisions', async () => {
    const { bridge, hostCalls } = setup();
    await bridge.receive({ kind: 'showChange', itemId: 'item-1' });
    await bridge.receive({ kind: 'decideChange', itemId: 'item-1', decision: 'acceptForSession' });
    await bridge.receive({ kind: 'decideChange', itemId: 'item-1', decision: 'runEverything' });
    await bridge.receive({ kind: 'copy', text: 'npm test' });
    assert.deepEqual(hostCalls, ['show item-1', 'acceptForSession item-1', 'copy npm test']);
  });

  it('passes composer typing and command reviews to the host, and drops malformed ones', async () => {
    const { bridge, hostCalls } = setup();
    await bridge.receive({ kind: 'composerTyping' });
    await bridge.receive({ kind: 'reviewCommand', itemId: 'cmd-1' });
    await bridge.receive({ kind: 'reviewCommand' });
    await bridge.receive({ kind: 'reviewCommand', itemId: 'x'.repeat(201) });
    await bridge.receive({ kind: 'reviewCommand', itemId: 7 });
    assert.deepEqual(hostCalls, ['typing', 'review cmd-1']);
  });

  it('opens a review finding’s file at its line, and drops a malformed location', async () => {
    const { bridge, hostCalls } = setup();
    await bridge.receive({ kind: 'openFile', path: '/repo/a.ts', line: 12 });
    await bridge.receive({ kind: 'openFile', path: '/repo/b.ts' });
    await bridge.receive({ kind: 'openFile', path: '', line: 1 });
    await bridge.receive({ kind: 'openFile', path: '/repo/c.ts', line: -3 });
    assert.deepEqual(hostCalls, ['open /repo/a.ts:12', 'open /repo/b.ts:undefined']);
  });

  it('forces threads and turns read-only, asking for everything, in an untrusted workspace', async () => {
    const { bridge, sent } = setup(undefined, true);
    await bridge.receive({ kind: 'request', id: 1, method: 'thread/start', params: { sandbox: 'danger-full-access', approvalPolicy: 'never' } });
    await bridge.receive({ kind: 'request', id: 2, method: 'thread/resume', params: { threadId: 't' } });
    await bridge.receive({ kind: 'request', id: 3, method: 'turn/start', params: { threadId: 't', input: [], sandboxPolicy: { type: 'dangerFullAccess' } } });
    await bridge.receive({ kind: 'request', id: 4, method: 'thread/list', params: { limit: 5 } });
    assert.deepEqual(sent, [
      { sandbox: 'read-only', approvalPolicy: 'untrusted' },
      { threadId: 't', approvalPolicy: 'untrusted', sandbox: 'read-only' },
      { threadId: 't', input: [], sandboxPolicy: { type: 'readOnly' }, approvalPolicy: 'untrusted' },
      { limit: 5 },
    ]);
  });

  it('drops a permissions profile in an untrusted workspace, which would widen the sandbox again', async () => {
    const { bridge, sent } = setup(undefined, true);
    await bridge.receive({ kind: 'request', id: 1, method: 'turn/start', params: { threadId: 't', input: [], permissions: ':danger-full-access', approvalPolicy: 'never' } });
    assert.deepEqual(sent, [{ threadId: 't', input: [], sandboxPolicy: { type: 'readOnly' }, approvalPolicy: 'untrusted' }]);
  });

  it('refuses full access until its warning is accepted, then passes it', async () => {
    const fullAccess = { accepted: false, answer: false };
    const { bridge, posted, calls } = setup(undefined, false, fullAccess);
    const turn = { threadId: 't', input: [], approvalPolicy: 'never', permissions: ':danger-full-access' };
    await bridge.receive({ kind: 'request', id: 1, method: 'turn/start', params: turn });
    await bridge.receive({ kind: 'confirmFullAccess', id: 2 });
    fullAccess.answer = true;
    await bridge.receive({ kind: 'confirmFullAccess', id: 3 });
    await bridge.receive({ kind: 'request', id: 4, method: 'turn/start', params: turn });
    assert.deepEqual(calls, ['turn/start']);
    assert.deepEqual(posted, [
      { kind: 'error', id: 1, error: { code: -32600, message: 'Full access needs its warning accepted first' } },
      { kind: 'response', id: 2, result: false },
      { kind: 'response', id: 3, result: true },
      { kind: 'response', id: 4, result: { ok: true } },
    ]);
  });

  it('reads the defaults of a new thread from the config, VS Code reviewing every patch unless it says otherwise', async () => {
    let config: Record<string, unknown> = { model: 'gpt-x', approval_policy: 'on-request', sandbox_mode: 'workspace-write' };
    const { bridge, posted } = setup(async () => ({ config }));
    await bridge.receive({ kind: 'readDefaults', id: 1 });
    config = { model: 'gpt-x', model_reasoning_effort: 'high', approval_policy: 'on-request', sandbox_mode: 'workspace-write', review_file_changes: false };
    await bridge.receive({ kind: 'readDefaults', id: 2 });
    config = { model: 'gpt-x', approval_policy: 'untrusted', sandbox_mode: 'workspace-write' };
    await bridge.receive({ kind: 'readDefaults', id: 3 });
    assert.deepEqual(posted, [
      { kind: 'response', id: 1, result: { model: 'gpt-x', effort: null, mode: 'review' } },
      { kind: 'response', id: 2, result: { model: 'gpt-x', effort: 'high', mode: 'auto' } },
      { kind: 'response', id: 3, result: { model: 'gpt-x', effort: null, mode: null } },
    ]);
  });

  it('saves defaults as config keys: a mode is three, a default effort removes the key; not wider than read-only when untrusted', async () => {
    const { bridge, sent, posted } = setup();
    await bridge.receive({ kind: 'saveDefaults', id: 1, defaults: { model: 'm', effort: null, mode: 'review' } });
    assert.deepEqual(sent, [
      { keyPath: 'model', value: 'm', mergeStrategy: 'replace' },
      { keyPath: 'model_reasoning_effort', value: null, mergeStrategy: 'replace' },
      { keyPath: 'approval_policy', value: 'on-request', mergeStrategy: 'replace' },
      { keyPath: 'sandbox_mode', value: 'workspace-write', mergeStrategy: 'replace' },
      { keyPath: 'review_file_changes', value: true, mergeStrategy: 'replace' },
    ]);
    await bridge.receive({ kind: 'saveDefaults', id: 2, defaults: { model: 'm', effort: 'low', mode: 'fullAccess' } });
    assert.deepEqual(posted.at(-1), { kind: 'error', id: 2, error: { code: -32600, message: 'Full access needs its warning accepted first' } });
    const restricted = setup(undefined, true);
    await restricted.bridge.receive({ kind: 'saveDefaults', id: 3, defaults: { model: 'm', effort: 'low', mode: 'auto' } });
    assert.deepEqual(restricted.sent.map((p) => (p as { keyPath: string }).keyPath), ['model', 'model_reasoning_effort']);
  });

  it('hands a thread deletion to the host (which asks) and answers with its outcome or its error', async () => {
    const asked: string[] = [];
    const { bridge, posted, calls } = setup(undefined, false, undefined, async (threadId) => {
      asked.push(threadId);
      if (threadId === 'busy') throw new RpcError(-32600, 'thread busy has a turn running; interrupt it before deleting');
      return { deleted: threadId === 'yes' };
    });
    await bridge.receive({ kind: 'deleteThread', id: 7, threadId: 'yes' });
    await bridge.receive({ kind: 'deleteThread', id: 8, threadId: 'kept' });
    await bridge.receive({ kind: 'deleteThread', id: 9, threadId: 'busy' });
    await bridge.receive({ kind: 'deleteThread', id: 10, threadId: '' });
    await bridge.receive({ kind: 'deleteThread', threadId: 'no-id' });
    assert.deepEqual(asked, ['yes', 'kept', 'busy'], 'malformed requests never reach the host');
    assert.deepEqual(calls, [], 'the bridge itself calls nothing on the server');
    assert.deepEqual(posted, [
      { kind: 'response', id: 7, result: { deleted: true } },
      { kind: 'response', id: 8, result: { deleted: false } },
      { kind: 'error', id: 9, error: { code: -32600, message: 'thread busy has a turn running; interrupt it before deleting' } },
      // The chat waits on id 10, so it is told why; a message without an id has no one to answer.
      { kind: 'error', id: 10, error: { code: -32600, message: 'Invalid message from the chat: threadId: is empty' } },
    ]);
  });

  it('refuses a deletion, with an error, where the host cannot ask', async () => {
    const { bridge, posted, calls } = setup();
    await bridge.receive({ kind: 'deleteThread', id: 3, threadId: 'x' });
    assert.deepEqual(calls, []);
    assert.deepEqual(posted, [{ kind: 'error', id: 3, error: { code: -32600, message: 'Deleting threads is not available here' } }]);
  });

  it('keeps thread/delete off the allow-list: only the host deletes, after asking', async () => {
    const { bridge, posted, calls } = setup();
    await bridge.receive({ kind: 'request', id: 4, method: 'thread/delete', params: { threadId: 'x' } });
    assert.deepEqual(calls, []);
    assert.equal(posted[0]?.kind, 'error');
  });
});
