// MCP tool-call approvals: the dialog's words and buttons from the request's `_meta`, the answer each button
// sends, and the flow through the ApprovalCenter against the fake vscode module: the dialog waits while the
// user types, Not Now leaves the call waiting (its card and the notification reopen it), Allow, Allow for
// This Session and Decline decide, and closing the dialog cancels the call.
import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../src/core/log';
import type { PendingApproval, ThreadItemOf } from '../../../src/protocol';
import { TYPING_QUIET_MS } from '../../../src/vscode/approvalQueue';
import { answerFor } from '../../../src/vscode/approvalPrompts';
import { isMcpToolApproval, mcpToolAnswer, mcpToolPrompt, toolCallItemFor, type McpElicitationParams } from '../../../src/vscode/mcpApproval';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';
import { ManualClock } from './manualClock';

type Approvals = typeof import('../../../src/vscode/approvals');

const settled = () => new Promise((resolve) => setImmediate(resolve));

function approvalRequest(meta: Record<string, unknown> = {}, overrides: Partial<McpElicitationParams> = {}): McpElicitationParams {
  return {
    threadId: 'thr',
    turnId: 'turn',
    serverName: 'notes',
    mode: 'form',
    message: 'Allow the notes MCP server to run tool "write_note"?',
    requestedSchema: { type: 'object', properties: {} },
    _meta: {
      codex_approval_kind: 'mcp_tool_call',
      persist: 'session',
      tool_name: 'write_note',
      tool_description: 'Saves a note.',
      tool_annotations: { readOnlyHint: false, destructiveHint: true },
      tool_params: { text: 'buy milk' },
      tool_params_display: [{ name: 'text', value: 'buy milk', display_name: 'text' }],
      ...meta,
    },
    ...overrides,
  } as McpElicitationParams;
}

function toolCallItem(id: string, args: unknown = { text: 'buy milk' }, tool = 'write_note'): ThreadItemOf<'mcpToolCall'> {
  return { type: 'mcpToolCall', id, server: 'notes', tool, status: 'inProgress', arguments: args, result: null, error: null, durationMs: null };
}

describe('vscode/mcpApproval: the dialog of an MCP tool call', () => {
  it('names the server and the tool, lists the arguments and the description, and warns of a destructive tool', () => {
    const prompt = mcpToolPrompt(approvalRequest({ tool_title: 'Write a note' }));
    assert.equal(prompt.message, 'Allow the notes MCP server to run “Write a note”?');
    assert.equal(
      prompt.detail,
      [
        'Tool: write_note',
        'Saves a note.',
        '',
        'Arguments:',
        '  text: "buy milk"',
        '',
        'The server marks this tool as one that can change or delete data.',
        '',
        'Not Now leaves the call waiting; Cancel or Escape cancel it.',
      ].join('\n'),
    );
    assert.deepEqual(
      prompt.choices.map((c) => [c.title, c.answer]),
      [
        ['Not Now', 'later'],
        ['Allow', 'accept'],
        ['Allow for This Session', 'acceptForSession'],
        ['Decline', 'decline'],
      ],
      'Enter lands on Not Now, which decides nothing',
    );
    assert.equal(answerFor(prompt, undefined), 'cancel', 'closing the dialog cancels the call');
  });

  it('offers "for this session" only when the server says it can remember it', () => {
    const titles = mcpToolPrompt(approvalRequest({ persist: undefined })).choices.map((c) => c.title);
    assert.deepEqual(titles, ['Not Now', 'Allow', 'Decline']);
    assert.ok(mcpToolPrompt(approvalRequest({ persist: ['session', 'always'] })).choices.some((c) => c.answer === 'acceptForSession'));
  });

  it('cuts long values and long argument lists, and falls back to the raw params or "No arguments"', () => {
    const display = Array.from({ length: 15 }, (_, i) => ({ name: `a${i}`, value: i === 0 ? 'x'.repeat(500) : i, display_name: `Arg ${i}` }));
    const detail = mcpToolPrompt(approvalRequest({ tool_params_display: display, tool_description: undefined, tool_annotations: undefined })).detail;
    const lines = detail.split('\n');
    const first = lines.find((l) => l.startsWith('  Arg 0: '))!;
    assert.equal(first.length, '  Arg 0: '.length + 200, 'a long value is cut to 200 characters');
    assert.ok(first.endsWith('…'));
    assert.ok(lines.includes('  Arg 11: 11'));
    assert.ok(!lines.includes('  Arg 12: 12'), 'at most 12 arguments are listed');
    assert.ok(lines.includes('  … and 3 more'));

    const raw = mcpToolPrompt(approvalRequest({ tool_params_display: undefined, tool_params: { path: '/tmp/a' }, tool_description: undefined, tool_annotations: undefined })).detail;
    assert.match(raw, /^Arguments:\n\{"path":"\/tmp\/a"\}\n/);
    const none = mcpToolPrompt(approvalRequest({ tool_params_display: undefined, tool_params: undefined, tool_description: undefined, tool_annotations: undefined })).detail;
    assert.match(none, /^No arguments\.\n/);
  });

  it('still asks, with what it can read, when the _meta is malformed', () => {
    const request = approvalRequest({ tool_params_display: 'not a list', tool_name: 42 });
    assert.equal(isMcpToolApproval(request), true);
    const prompt = mcpToolPrompt(request);
    assert.equal(prompt.message, 'Allow the notes MCP server to run “a tool”?');
    assert.deepEqual(prompt.choices.map((c) => c.title), ['Not Now', 'Allow', 'Decline']);
    assert.equal(isMcpToolApproval({ ...request, _meta: { other: true } }), false, 'a server question is no approval');
    assert.equal(isMcpToolApproval({ ...request, _meta: null }), false);
  });

  it('maps each decision to the answer codex sends', () => {
    assert.deepEqual(mcpToolAnswer('accept'), { action: 'accept', content: null, _meta: null });
    assert.deepEqual(mcpToolAnswer('acceptForSession'), { action: 'accept', content: null, _meta: { persist: 'session' } });
    assert.deepEqual(mcpToolAnswer('decline'), { action: 'decline', content: null, _meta: null });
    assert.deepEqual(mcpToolAnswer('cancel'), { action: 'cancel', content: null, _meta: null });
  });

  it('finds the running call the approval is for: same thread, server and tool, matching arguments first', () => {
    const running = [
      { threadId: 'thr', item: toolCallItem('a', { text: 'buy milk' }) },
      { threadId: 'thr', item: toolCallItem('b', { text: 'other' }) },
      { threadId: 'other-thread', item: toolCallItem('c', { text: 'buy milk' }) },
      { threadId: 'thr', item: toolCallItem('d', { text: 'buy milk' }, 'echo') },
    ];
    assert.equal(toolCallItemFor(running, approvalRequest(), new Set())?.id, 'a');
    assert.equal(toolCallItemFor(running, approvalRequest(), new Set(['a']))?.id, 'b', 'one already waiting is not taken twice');
    assert.equal(toolCallItemFor(running, approvalRequest({}, { threadId: 'nowhere' }), new Set()), undefined);
  });
});

describe('vscode/approvals: MCP tool calls (fake vscode module)', () => {
  let fake: FakeVscode;
  let approvals: Approvals;
  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    approvals = modules.load<Approvals>('src/vscode/approvals');
  });
  beforeEach(() => {
    fake.warnings.length = 0;
  });

  function setup() {
    const clock = new ManualClock();
    const reviewer = { openPending: async () => undefined, openApplied: async () => undefined, close: async () => undefined, label: (f: string) => f };
    const center = new approvals.ApprovalCenter(reviewer as never, silentLogger, () => false, clock);
    const changes: PendingApproval[][] = [];
    center.onDidChange((pending) => changes.push([...pending]));
    center.observe({ method: 'item/started', params: { threadId: 'thr', turnId: 'turn', item: toolCallItem('call-1'), startedAtMs: 0 } });
    let result: unknown;
    const ask = (request = approvalRequest()) => void center.answerMcpTool(11, request).then((answer) => (result = answer));
    const modals = () => fake.warnings.filter((w) => w.modal);
    const notices = () => fake.warnings.filter((w) => !w.modal);
    return { clock, center, changes, ask, result: () => result, modals, notices };
  }

  for (const [button, expected] of [
    ['Allow', { action: 'accept', content: null, _meta: null }],
    ['Allow for This Session', { action: 'accept', content: null, _meta: { persist: 'session' } }],
    ['Decline', { action: 'decline', content: null, _meta: null }],
    [undefined, { action: 'cancel', content: null, _meta: null }],
  ] as const) {
    it(`answers ${JSON.stringify(expected)} when the user ${button ? `presses ${button}` : 'closes the dialog'}`, async () => {
      const { center, ask, result, modals } = setup();
      ask();
      await settled();
      assert.equal(modals().length, 1);
      assert.equal(modals()[0]!.message, 'Allow the notes MCP server to run “write_note”?');
      assert.deepEqual(modals()[0]!.items, ['Not Now', 'Allow', 'Allow for This Session', 'Decline']);
      assert.deepEqual(center.list(), [{ itemId: 'call-1', threadId: 'thr', kind: 'mcpTool' }], 'the tool call card shows it waiting');
      modals()[0]!.answer(button);
      await settled();
      assert.deepEqual(result(), expected);
      assert.deepEqual(center.list(), []);
      center.dispose();
    });
  }

  it('holds the dialog back while the user types; Not Now leaves the call waiting, and the card or the notification reopen it', async () => {
    const { clock, center, ask, result, modals, notices } = setup();
    center.noteUserTyping();
    ask();
    await settled();
    assert.equal(modals().length, 0, 'no modal takes the keyboard while the user types');
    assert.equal(notices().length, 1);
    assert.equal(notices()[0]!.message, 'Tandem is waiting for your approval to run “write_note” of the notes MCP server.');
    clock.advance(TYPING_QUIET_MS);
    assert.equal(modals().length, 1, 'the dialog opens once the user is idle');
    modals()[0]!.answer('Not Now');
    await settled();
    assert.equal(result(), undefined, 'Not Now decides nothing');
    assert.equal(center.list().length, 1);
    center.reviewCommand('call-1');
    await settled();
    assert.equal(modals().length, 2, 'the card reopens the dialog');
    modals()[1]!.answer('Allow');
    await settled();
    assert.deepEqual(result(), { action: 'accept', content: null, _meta: null });
    center.dispose();
  });

  it('cancels the call when its turn ends while it waits, and asks for a call whose item it never saw under a key of its own', async () => {
    const { center, ask, result, changes, modals } = setup();
    ask(approvalRequest({ tool_params: { text: 'elsewhere' } }, { threadId: 'thr-2' }));
    await settled();
    assert.equal(changes.at(-1)![0]!.itemId, 'mcp-approval:11');
    assert.equal(modals().length, 1);
    center.observe({ method: 'turn/completed', params: { threadId: 'thr-2', turn: { id: 'turn', items: [], itemsView: 'notLoaded', status: 'interrupted', error: null, startedAt: null, completedAt: null, durationMs: null } } });
    await settled();
    assert.deepEqual(result(), { action: 'cancel', content: null, _meta: null });
    // The dialog that was showing is stale now: its answer changes nothing.
    modals()[0]!.answer('Allow');
    await settled();
    assert.deepEqual(result(), { action: 'cancel', content: null, _meta: null });
    fake.recorded.messages.length = 0;
    center.reviewCommand('mcp-approval:11');
    assert.deepEqual(fake.recorded.messages, ['Tandem: that tool call is no longer waiting for a decision.'], 'its card or notification says so');
    assert.equal(modals().length, 1);
    center.dispose();
  });
});
