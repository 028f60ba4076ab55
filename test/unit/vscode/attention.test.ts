// Notifications when Tandem needs the user and they are not looking; none when they are, or when the
// setting is off; each waiting command is announced once.
import { strict as assert } from 'node:assert';
import type { ServerNotification } from '../../../src/protocol';
import { Attention } from '../../../src/vscode/attention';

function setup(initial: { enabled?: boolean; visible?: boolean; focused?: boolean } = {}) {
  const world = { enabled: true, visible: false, focused: true, ...initial };
  const told: string[] = [];
  const attention = new Attention({ enabled: () => world.enabled, chatVisible: () => world.visible, windowFocused: () => world.focused, notify: (m) => told.push(m) });
  return { world, told, attention };
}

const turnCompleted = (status: string, error: { message: string } | null = null) =>
  ({ method: 'turn/completed', params: { threadId: 't', turn: { id: 'u', items: [], status, error } } }) as unknown as ServerNotification;

describe('vscode/attention', () => {
  it('says a turn finished or failed while the chat is hidden; not an interrupted one', () => {
    const { told, attention } = setup({ visible: false });
    attention.observe(turnCompleted('completed'));
    attention.observe(turnCompleted('failed', { message: 'quota exceeded' }));
    attention.observe(turnCompleted('interrupted'));
    attention.observe({ method: 'turn/started', params: {} } as unknown as ServerNotification);
    assert.deepEqual(told, ['Tandem finished its turn.', "Tandem's turn failed: quota exceeded"]);
  });

  it('says so when the window is not focused, even with the chat showing', () => {
    const { told, attention } = setup({ visible: true, focused: false });
    attention.observe(turnCompleted('completed'));
    assert.equal(told.length, 1);
  });

  it('stays quiet while the user watches the chat, or when the setting is off', () => {
    const watching = setup({ visible: true, focused: true });
    watching.attention.observe(turnCompleted('completed'));
    watching.attention.approvalsChanged([{ itemId: 'c1', threadId: 't', kind: 'command' }]);
    assert.deepEqual(watching.told, []);
    const off = setup({ enabled: false });
    off.attention.observe(turnCompleted('completed'));
    assert.deepEqual(off.told, []);
  });

  it('announces each waiting command once; a patch has its own review notification', () => {
    const { told, attention } = setup();
    attention.approvalsChanged([{ itemId: 'c1', threadId: 't', kind: 'command' }]);
    attention.approvalsChanged([{ itemId: 'c1', threadId: 't', kind: 'command' }, { itemId: 'p1', threadId: 't', kind: 'patch' }]);
    attention.approvalsChanged([{ itemId: 'c1', threadId: 't', kind: 'command' }, { itemId: 'c2', threadId: 't', kind: 'command' }, { itemId: 'c3', threadId: 't', kind: 'command' }]);
    assert.deepEqual(told, ['Tandem is waiting for your approval to run a command.', 'Tandem is waiting for your approval to run 2 commands.']);
  });

  it('announces each MCP tool call waiting for approval once', () => {
    const { told, attention } = setup();
    attention.approvalsChanged([{ itemId: 'm1', threadId: 't', kind: 'mcpTool' }]);
    attention.approvalsChanged([{ itemId: 'm1', threadId: 't', kind: 'mcpTool' }]);
    attention.approvalsChanged([{ itemId: 'm1', threadId: 't', kind: 'mcpTool' }, { itemId: 'm2', threadId: 't', kind: 'mcpTool' }, { itemId: 'm3', threadId: 't', kind: 'mcpTool' }]);
    assert.deepEqual(told, ['Tandem is waiting for your approval to run an MCP tool.', 'Tandem is waiting for your approval to run 2 MCP tools.']);
  });
});
