// review/start as codex 0.169 runs it (measured against it with the fake model): a review turn on the thread
// itself, entered and exited with review-mode items, the reviewer in a conversation of its own with
// read-only tools, its JSON answer rendered into findings, and that outcome kept in the thread's history.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply, type RecordedRequest } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { ScriptedClient, WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

type Input = Array<{ type: string; role?: string; content?: Array<{ text?: string }>; output?: unknown }>;
const texts = (request: RecordedRequest) => (request.body.input as Input).map((i) => (i.content ?? []).map((c) => c.text ?? '').join(''));

/** A repository with a `main` branch, a `feature` branch one commit ahead, and an uncommitted edit. */
function makeRepository(dir: string): { head: string; mergeBase: string } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'reviewer@example.com');
  git('config', 'user.name', 'Reviewer');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'one\n');
  git('add', '.');
  git('commit', '-qm', 'first');
  const mergeBase = git('rev-parse', 'HEAD');
  git('checkout', '-qb', 'feature');
  fs.appendFileSync(path.join(dir, 'a.txt'), 'two\n');
  git('commit', '-qam', 'second line');
  fs.appendFileSync(path.join(dir, 'a.txt'), 'three\n');
  return { head: git('rev-parse', 'HEAD'), mergeBase };
}

const finding = (file: string, title: string, start: number, end: number, body: string) => ({
  title,
  body,
  confidence_score: 0.8,
  priority: 1,
  code_location: { absolute_file_path: file, line_range: { start, end } },
});

async function review(client: ScriptedClient, threadId: string, target: Record<string, unknown>): Promise<{ answer: WireMessage; events: WireMessage[] }> {
  const from = client.received.length;
  const answer = await client.request('review/start', { threadId, target });
  assert.ok(answer.result, JSON.stringify(answer.error));
  await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === answer.result.turn.id, 20_000);
  return { answer, events: client.received.slice(from).filter((m) => m.method !== undefined && m.params?.threadId === threadId) };
}

const completedItems = (events: WireMessage[]) => events.filter((m) => m.method === 'item/completed').map((m) => m.params.item);

describe('integration: review/start', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('reviews uncommitted changes in a conversation of its own and renders the JSON findings', async () => {
    const { model, temp, server } = await fixture.boot();
    makeRepository(temp.workspace);
    const file = path.join(temp.workspace, 'a.txt');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(textReply('an earlier answer'));
    await runTurn(server.client, threadId, 'an earlier question about bananas');

    const reviewJson = {
      findings: [finding(file, '[P1] Third line breaks the format', 3, 3, 'The file must hold two lines.'), finding(file, '[P2] Second finding', 1, 2, 'Line one\nline two')],
      overall_correctness: 'patch is incorrect',
      overall_explanation: 'The edit breaks the file format.',
      overall_confidence_score: 0.7,
    };
    model.enqueue(textReply(JSON.stringify(reviewJson), { chunks: 3 }));
    const { answer, events } = await review(server.client, threadId, { type: 'uncommittedChanges' });

    // The answer: the turn not started yet, holding the description under the turn's own id.
    const turn = answer.result.turn;
    assert.equal(answer.result.reviewThreadId, threadId);
    assert.deepEqual(
      { rootTurnId: turn.rootTurnId, itemsView: turn.itemsView, status: turn.status, startedAt: turn.startedAt },
      { rootTurnId: null, itemsView: 'notLoaded', status: 'inProgress', startedAt: null },
    );
    assert.deepEqual(turn.items, [{ type: 'userMessage', id: turn.id, clientId: null, content: [{ type: 'text', text: 'current changes', text_elements: [] }] }]);

    // In codex's order: entered before the thread turns active and the turn starts; the raw answer starts
    // and streams but never completes.
    const order = events.filter((m) => !m.method!.endsWith('/delta') && m.method !== 'thread/tokenUsage/updated').map((m) => `${m.method}${m.params.item ? `:${m.params.item.type}` : ''}`);
    assert.deepEqual(order, [
      'item/started:enteredReviewMode',
      'item/completed:enteredReviewMode',
      'thread/status/changed',
      'turn/started',
      'item/started:userMessage',
      'item/completed:userMessage',
      'item/started:agentMessage',
      'item/started:exitedReviewMode',
      'item/completed:exitedReviewMode',
      'item/started:agentMessage',
      'item/completed:agentMessage',
      'thread/status/changed',
      'turn/completed',
    ]);
    const started = events.find((m) => m.method === 'turn/started')!.params.turn;
    assert.equal(started.rootTurnId, turn.id, 'the turn that starts is rooted at the review turn');
    assert.ok(events.filter((m) => m.params.turnId !== undefined).every((m) => m.params.turnId === turn.id));

    const rendered = [
      'The edit breaks the file format.',
      'Full review comments:',
      `- [P1] Third line breaks the format — ${file}:3-3\n  The file must hold two lines.`,
      `- [P2] Second finding — ${file}:1-2\n  Line one\n  line two`,
    ].join('\n\n');
    const items = completedItems(events);
    assert.equal(items[0].review, 'current changes');
    assert.match(items[1].content[0].text, /not committed/);
    assert.deepEqual(items.slice(2).map((i: { type: string; review?: string; text?: string }) => [i.type, i.review ?? i.text]), [
      ['exitedReviewMode', rendered],
      ['agentMessage', rendered],
    ]);
    const completed = events.at(-1)!.params.turn;
    assert.deepEqual(completed.items.map((i: { text: string }) => i.text), [rendered]);

    // The reviewer's request: guidelines as instructions, context and the request, none of the thread's history.
    const request = model.lastTurnRequest();
    assert.match(request.body.instructions, /Answer with JSON only/);
    assert.deepEqual(request.body.tools.map((t: { name: string }) => t.name), ['exec_command', 'write_stdin']);
    const input = texts(request);
    assert.ok(!input.some((t) => /bananas|earlier answer/.test(t)), 'the thread’s history stays out of the review');
    assert.match(input.at(-1)!, /staged, unstaged and untracked/);
    assert.ok(input.some((t) => t.startsWith('<environment_context>')));

    // The next turn reads the outcome as a user/assistant exchange, after the earlier turn.
    model.enqueue(textReply('will fix'));
    await runTurn(server.client, threadId, 'fix the first one');
    const next = texts(model.lastTurnRequest());
    const at = next.findIndex((t) => t.startsWith('<user_action>'));
    assert.ok(at > next.indexOf('an earlier question about bananas'));
    assert.ok(next[at]!.includes(rendered));
    assert.equal(next[at + 1], rendered);
    assert.equal(next[at + 2], 'fix the first one');
    assert.ok(!next.some((t) => /Answer with JSON only/.test(t)));

    // After a restart the review turn reads back the same, and the next turn still has the outcome.
    const reviewItems = (thread: { turns: Array<{ id: string; items: Array<{ type: string }> }> }) => thread.turns.find((t) => t.id === turn.id)!.items.map((i) => i.type);
    const before = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.deepEqual(reviewItems(before.result.thread), ['enteredReviewMode', 'userMessage', 'exitedReviewMode', 'agentMessage']);
    const restarted = await fixture.restart();
    const resumed = await restarted.client.request('thread/resume', { threadId });
    assert.deepEqual(resumed.result.thread.turns.map((t: { items: unknown }) => t.items), before.result.thread.turns.map((t: { items: unknown }) => t.items));
    model.enqueue(textReply('again'));
    await runTurn(restarted.client, threadId, 'one more');
    const after = texts(model.lastTurnRequest());
    assert.equal(after.filter((t) => t.startsWith('<user_action>')).length, 1);
    assert.equal(after.filter((t) => t === rendered).length, 1);
  });

  it('describes and asks for each target: a base branch from its merge base, a commit, custom instructions', async () => {
    const { model, temp, server } = await fixture.boot();
    const { head, mergeBase } = makeRepository(temp.workspace);
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ type: 'baseBranch', branch: 'main' }, "changes against 'main'", new RegExp(`'main'.*${mergeBase}`)],
      [{ type: 'commit', sha: head, title: 'second line' }, `commit ${head.slice(0, 7)}: second line`, new RegExp(`${head}.*second line`)],
      [{ type: 'commit', sha: head }, `commit ${head.slice(0, 7)}`, new RegExp(head)],
      [{ type: 'custom', instructions: 'Check a.txt for typos.' }, 'Check a.txt for typos.', /^Check a\.txt for typos\.$/],
    ];
    for (const [target, description, asked] of cases) {
      model.enqueue(textReply(JSON.stringify({ findings: [], overall_correctness: 'patch is correct', overall_explanation: 'Nothing to flag.', overall_confidence_score: 0.9 })));
      const { answer, events } = await review(server.client, threadId, target);
      assert.equal(answer.result.turn.items[0].content[0].text, description);
      const items = completedItems(events);
      assert.equal(items[0].review, description);
      assert.match(items[1].content[0].text, asked);
      assert.match(texts(model.lastTurnRequest()).at(-1)!, asked);
      assert.equal(items.find((i: { type: string }) => i.type === 'exitedReviewMode').review, 'Nothing to flag.');
      // Each review is a conversation of its own: no earlier review in it.
      assert.ok(!texts(model.lastTurnRequest()).some((t) => t.startsWith('<user_action>')));
    }
  });

  it('falls back to the reviewer’s plain text, says "Review comment:" for one finding, and lets the reviewer run commands', async () => {
    const { model, temp, server } = await fixture.boot();
    makeRepository(temp.workspace);
    const threadId = await startThread(server.client, { cwd: temp.workspace, approvalPolicy: 'never', sandbox: 'read-only' });

    model.enqueue(textReply('Looks fine to me, nothing to flag.'));
    let { events } = await review(server.client, threadId, { type: 'uncommittedChanges' });
    assert.equal(completedItems(events).find((i: { type: string }) => i.type === 'exitedReviewMode').review, 'Looks fine to me, nothing to flag.');

    const file = path.join(temp.workspace, 'a.txt');
    const fenced = '```json\n' + JSON.stringify({ findings: [finding(file, '[P0] Broken', 2, 2, 'Wrong.')], overall_explanation: '' }) + '\n```';
    model.enqueue(toolCallReply('exec_command', { cmd: 'git diff' }, 'c1'), textReply(fenced));
    ({ events } = await review(server.client, threadId, { type: 'uncommittedChanges' }));
    const items = completedItems(events);
    const command = items.find((i: { type: string }) => i.type === 'commandExecution');
    assert.match(command.aggregatedOutput, /\+three/);
    assert.equal(items.find((i: { type: string }) => i.type === 'exitedReviewMode').review, `Review comment:\n\n- [P0] Broken — ${file}:2-2\n  Wrong.`);
    const second = texts(model.lastTurnRequest());
    assert.ok(!second.some((t) => t.startsWith('<user_action>')), 'the first review’s outcome is the thread’s, not the reviewer’s');
    assert.ok((model.lastTurnRequest().body.input as Input).some((i) => i.type === 'function_call_output'));
  });

  it('refuses a detached review, as codex 0.169 does, and a review while a turn runs', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const detached = await server.client.request('review/start', { threadId, target: { type: 'uncommittedChanges' }, delivery: 'detached' });
    assert.equal(detached.error?.code, -32600);
    model.enqueue(textReply('slow', { delayMs: 400 }));
    await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi' }] });
    const busy = await server.client.request('review/start', { threadId, target: { type: 'uncommittedChanges' } });
    assert.equal(busy.error?.code, -32600);
    await server.client.waitFor((m) => m.method === 'turn/completed');
  });
});
