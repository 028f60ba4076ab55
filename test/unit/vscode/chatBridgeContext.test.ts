// The chat's `resolveContext` call through the bridge: checked attachments reach the host, its input or its
// error goes back under the call's id, and what the schema refuses never reaches the host.
import { strict as assert } from 'node:assert';
import { RpcError, type ContextAttachment, type HostToWebview } from '../../../src/protocol';
import { silentLogger } from '../../../src/core/log';
import { ChatBridge, type BridgeHost } from '../../../src/vscode/chatBridge';

function setup(resolveContext?: BridgeHost['resolveContext']) {
  const posted: HostToWebview[] = [];
  const calls: string[] = [];
  const ignore = () => undefined;
  const bridge = new ChatBridge(
    { request: async (method) => (calls.push(method), {}) },
    {
      post: (m) => posted.push(m),
      state: () => ({ activeThreadId: null, workspaceName: 'w', workspaceRoots: ['/w'], notice: null, composerDisabledReason: null, pendingApprovals: [] }),
      setActiveThread: ignore,
      openLink: ignore,
      showChange: ignore,
      decideChange: ignore,
      copy: ignore,
      composerTyping: ignore,
      reviewCommand: ignore,
      openFile: ignore,
      restricted: () => false,
      ...(resolveContext ? { resolveContext } : {}),
    },
    silentLogger,
  );
  return { bridge, posted, calls };
}

describe('vscode/chatBridge: context from the editor', () => {
  it('hands the attachments to the host and answers with its input or its error', async () => {
    const asked: ContextAttachment[][] = [];
    const { bridge, posted, calls } = setup(async (attachments) => {
      asked.push([...attachments]);
      if (attachments.some((a) => a.type === 'url')) throw new RpcError(-32600, 'Not sent: you declined fetching https://example.test/. Remove the page to send without it.');
      return [{ type: 'text', text: '# Context from my IDE setup:\n\n## Problems in the workspace:\nNo problems reported.\n\n## My request for Codex:\n', text_elements: [] }];
    });
    await bridge.receive({ kind: 'resolveContext', id: 1, attachments: [{ type: 'problems', path: null }] });
    await bridge.receive({ kind: 'resolveContext', id: 2, attachments: [{ type: 'url', url: 'https://example.test/' }] });
    assert.deepEqual(asked, [[{ type: 'problems', path: null }], [{ type: 'url', url: 'https://example.test/' }]]);
    assert.deepEqual(calls, [], 'nothing goes to the server');
    assert.deepEqual(posted, [
      { kind: 'response', id: 1, result: { input: [{ type: 'text', text: '# Context from my IDE setup:\n\n## Problems in the workspace:\nNo problems reported.\n\n## My request for Codex:\n', text_elements: [] }] } },
      { kind: 'error', id: 2, error: { code: -32600, message: 'Not sent: you declined fetching https://example.test/. Remove the page to send without it.' } },
    ]);
  });

  it('answers malformed calls with an error and never asks the host', async () => {
    let asked = 0;
    const { bridge, posted } = setup(async () => (asked++, []));
    await bridge.receive({ kind: 'resolveContext', id: 3, attachments: [] });
    await bridge.receive({ kind: 'resolveContext', id: 4, attachments: Array.from({ length: 13 }, () => ({ type: 'terminal' })) });
    await bridge.receive({ kind: 'resolveContext', id: 5, attachments: [{ type: 'file', path: '/etc/passwd' }] });
    await bridge.receive({ kind: 'resolveContext', id: 6, attachments: [{ type: 'url', url: `https://example.test/${'a'.repeat(9000)}` }] });
    assert.equal(asked, 0);
    assert.deepEqual(posted.map((m) => [m.kind, (m as { id: number }).id]), [['error', 3], ['error', 4], ['error', 5], ['error', 6]]);
    for (const message of posted) assert.match((message as { error: { message: string } }).error.message, /^Invalid message from the chat: attachments/);
  });

  it('says so where the host cannot gather context', async () => {
    const { bridge, posted } = setup();
    await bridge.receive({ kind: 'resolveContext', id: 7, attachments: [{ type: 'terminal' }] });
    assert.deepEqual(posted, [{ kind: 'error', id: 7, error: { code: -32600, message: 'Context from the editor is not available here' } }]);
  });
});
