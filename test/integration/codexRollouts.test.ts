// A CODEX_HOME that codex itself wrote: the pinned codex app-server runs turns (a reply, reasoning, an
// approved command, a patch, an image and a mention, a failed turn), renames the thread and forks it, against
// the fake model; then Tandem, started with only CODEX_HOME set, lists, reads, resumes and forks those
// threads. Every message Tandem sends is checked against the Codex schema by the root hooks.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeCodexHome, spawnCodexServer } from '../support/codexServer';
import { patchReply } from '../support/differentialSteps';
import { completed, FakeModelServer, messageEvents, reasoningEvents, textReply, toolCallReply, type RecordedRequest } from '../support/fakeModel';
import { spawnStdioServer, type ScriptedClient, type SpawnedServer, type WireMessage } from '../support/protocolClient';

// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface Written {
  threadId: string;
  forkId: string;
  /** What codex itself answers to thread/read (includeTurns) for the thread. */
  codexTurns: Array<{ id: string; status: string; items: Array<{ type: string; id: string }> }>;
}

async function codexTurn(client: ScriptedClient, threadId: string, input: unknown[]): Promise<WireMessage> {
  const started = await client.request('turn/start', { threadId, input });
  if (started.error) throw new Error(`codex turn/start: ${started.error.message}`);
  return client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === started.result.turn.id, 30_000);
}

/** Drives codex through the turns whose rollouts Tandem then reads; codex has stopped when this returns. */
async function writeWithCodex(model: FakeModelServer, home: string, workspace: string): Promise<Written> {
  const codex = spawnCodexServer(home, workspace);
  try {
    const client = codex.client;
    await client.initialize();
    const started = await client.request('thread/start', { cwd: workspace, approvalPolicy: 'untrusted', sandbox: 'danger-full-access' });
    if (started.error) throw new Error(`codex thread/start: ${started.error.message}`);
    const threadId: string = started.result.thread.id;

    model.enqueue(textReply('Hello there.'));
    await codexTurn(client, threadId, [{ type: 'text', text: 'hi codex' }]);
    model.enqueue({ events: [{ type: 'response.created', response: {} }, ...reasoningEvents('Thinking it over.'), ...messageEvents('Done thinking.', { outputIndex: 1 }), completed()] });
    await codexTurn(client, threadId, [{ type: 'text', text: 'think' }]);
    model.enqueue(toolCallReply('exec_command', { cmd: 'echo approved-out' }, 'c1'), textReply('ran it'));
    void client.answerNext('item/commandExecution/requestApproval', { decision: 'accept' });
    await codexTurn(client, threadId, [{ type: 'text', text: 'run echo' }]);
    model.enqueue(patchReply('*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch'), textReply('patched'));
    void client.answerNext('item/fileChange/requestApproval', { decision: 'accept' });
    await codexTurn(client, threadId, [{ type: 'text', text: 'write notes' }]);
    fs.writeFileSync(path.join(workspace, 'dot.png'), PNG);
    model.enqueue(textReply('nice picture'));
    await codexTurn(client, threadId, [
      { type: 'text', text: 'look at this' },
      { type: 'localImage', path: path.join(workspace, 'dot.png') },
      { type: 'mention', name: 'notes', path: path.join(workspace, 'notes.txt') },
    ]);
    model.enqueue({ status: 400, body: { error: { message: 'bad request from the fake', type: 'invalid_request_error' } } });
    await codexTurn(client, threadId, [{ type: 'text', text: 'this one fails' }]);
    const renamed = await client.request('thread/name/set', { threadId, name: 'Written by codex' });
    if (renamed.error) throw new Error(`codex thread/name/set: ${renamed.error.message}`);
    const fork = await client.request('thread/fork', { threadId });
    if (fork.error) throw new Error(`codex thread/fork: ${fork.error.message}`);
    const read = await client.request('thread/read', { threadId, includeTurns: true });
    return { threadId, forkId: fork.result.thread.id, codexTurns: read.result.thread.turns };
  } finally {
    await codex.close();
  }
}

function inputTexts(request: RecordedRequest): string[] {
  const texts: string[] = [];
  for (const item of request.body.input as Array<{ type: string; content?: Array<{ text?: string }>; output?: unknown; input?: string }>) {
    if (item.type === 'message') texts.push((item.content ?? []).map((part) => part.text ?? '').join(''));
    else if (item.type.endsWith('_output')) texts.push(String(item.output));
    else if (item.type === 'custom_tool_call') texts.push(String(item.input));
    else texts.push(item.type);
  }
  return texts;
}

describe('rollouts codex wrote, read by Tandem through CODEX_HOME', function () {
  this.timeout(120_000);
  let model: FakeModelServer;
  let home: string;
  let workspace: string;
  let written: Written;
  let tandem: SpawnedServer | undefined;

  // Only CODEX_HOME: Tandem's home comes from it (an empty TANDEM_HOME counts as unset).
  const startTandem = async () => {
    tandem = spawnStdioServer({ env: { CODEX_HOME: home, TANDEM_HOME: '' } });
    await tandem.client.initialize();
    return tandem.client;
  };

  before(async function () {
    model = await new FakeModelServer().start();
    home = makeCodexHome(model.baseUrl, { model: 'gpt-5.5' });
    workspace = fs.mkdtempSync(path.join(path.dirname(home), 'tandem-codex-rollouts-'));
    written = await writeWithCodex(model, home, workspace);
  });

  afterEach(async () => {
    await tandem?.close();
    tandem = undefined;
  });

  after(async () => {
    await model.stop();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('codex wrote its rollouts where Tandem looks for them', () => {
    const sessions = path.join(home, 'sessions');
    const files = fs.readdirSync(sessions, { recursive: true }).map(String).filter((name) => /rollout-.*\.jsonl$/.test(name));
    assert.equal(files.length, 2, `rollouts under ${sessions}: ${files.join(', ')}`);
    assert.equal(written.codexTurns.length, 6);
  });

  it('thread/list shows the threads with their first message, name, model, cwd and times', async () => {
    const client = await startTandem();
    const listed = await client.request('thread/list', { sortKey: 'created_at' });
    assert.equal(listed.error, undefined, JSON.stringify(listed.error));
    const threads: Array<Record<string, any>> = listed.result.data; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(threads.map((t) => t.id), [written.forkId, written.threadId], 'newest first');
    const [fork, thread] = threads as [Record<string, any>, Record<string, any>]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(thread.preview, 'hi codex');
    assert.equal(thread.name, 'Written by codex');
    assert.equal(thread.model, 'gpt-5.5');
    assert.equal(thread.modelProvider, 'fake');
    assert.equal(thread.cwd, workspace);
    assert.equal(thread.forkedFromId, null);
    assert.ok(thread.createdAt > 1_600_000_000 && thread.updatedAt >= thread.createdAt, `times ${thread.createdAt} ${thread.updatedAt}`);
    assert.equal(fork.forkedFromId, written.threadId);
    assert.equal(fork.preview, 'hi codex', 'a codex fork holds no messages of its own; its preview is its source’s');
    assert.ok(fork.createdAt >= thread.createdAt);
  });

  it('thread/read with turns gives every turn and item codex recorded, in the app-server shape', async () => {
    const client = await startTandem();
    const read = await client.request('thread/read', { threadId: written.threadId, includeTurns: true });
    assert.equal(read.error, undefined, JSON.stringify(read.error));
    const turns: Array<{ id: string; status: string; error: { message: string } | null; items: Array<Record<string, any>> }> = read.result.thread.turns; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(
      turns.map((t) => [t.id, t.status, t.items.map((i) => i.type)]),
      written.codexTurns.map((t) => [t.id, t.status, t.items.map((i) => i.type)]),
      'the same turns and item kinds codex itself reads back',
    );
    const [hello, think, command, patch, image, failed] = turns as [(typeof turns)[0], (typeof turns)[0], (typeof turns)[0], (typeof turns)[0], (typeof turns)[0], (typeof turns)[0]];
    assert.deepEqual(hello.items[0]!.content, [{ type: 'text', text: 'hi codex', text_elements: [] }]);
    assert.equal(hello.items[1]!.text, 'Hello there.');
    assert.deepEqual(think.items[1]!.summary, ['Thinking it over.']);
    assert.equal(think.items[2]!.text, 'Done thinking.');
    const exec = command.items.find((i) => i.type === 'commandExecution')!;
    assert.equal(exec.id, 'c1');
    assert.match(exec.command, /echo approved-out/);
    assert.equal(exec.cwd, workspace, 'a plain path, not the file:// URI codex records');
    assert.equal(exec.aggregatedOutput, 'approved-out\n');
    assert.equal(exec.exitCode, 0);
    assert.equal(exec.status, 'completed');
    const change = patch.items.find((i) => i.type === 'fileChange')!;
    assert.equal(change.status, 'completed');
    assert.deepEqual(change.changes, [{ path: path.join(workspace, 'notes.txt'), kind: { type: 'add' }, diff: 'hello\n' }]);
    assert.deepEqual(image.items[0]!.content.slice(1), [
      { type: 'localImage', path: path.join(workspace, 'dot.png'), detail: null },
      { type: 'mention', name: 'notes', path: path.join(workspace, 'notes.txt') },
    ]);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error?.message ?? '', /bad request from the fake/);

    const page = await client.request('thread/turns/list', { threadId: written.threadId });
    assert.equal(page.error, undefined, JSON.stringify(page.error));
    assert.deepEqual(new Set(page.result.data.map((t: { id: string }) => t.id)), new Set(turns.map((t) => t.id)));
  });

  it('thread/resume continues the conversation: the next model request carries what codex recorded', async () => {
    const client = await startTandem();
    const resumed = await client.request('thread/resume', { threadId: written.threadId });
    assert.equal(resumed.error, undefined, JSON.stringify(resumed.error));
    assert.equal(resumed.result.thread.turns.length, 6);
    assert.equal(resumed.result.model, 'gpt-5.5');
    const before = model.requests.length;
    model.enqueue(textReply('continued in Tandem'));
    const started = await client.request('turn/start', { threadId: written.threadId, input: [{ type: 'text', text: 'and now Tandem' }] });
    const done = await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === started.result.turn.id, 20_000);
    assert.equal(done.params.turn.status, 'completed');
    const request = model.requests.slice(before).find((r) => r.path.endsWith('/responses'));
    assert.ok(request, 'Tandem asked the model');
    const texts = inputTexts(request);
    const order = ['hi codex', 'Hello there.', 'think', 'Done thinking.', 'run echo', 'write notes', 'patched', 'look at this', 'nice picture', 'this one fails', 'and now Tandem'];
    // In order; codex sends an image's user message with its placeholder text after the typed text.
    let at = -1;
    for (const text of order) {
      at = texts.findIndex((t, i) => i > at && t.startsWith(text));
      assert.ok(at !== -1, `"${text}" in the history, in order; the model got:\n${texts.join('\n')}`);
    }
    assert.ok(texts.some((t) => t.includes('approved-out')), 'the command output codex recorded');
    assert.ok(texts.some((t) => t.includes('*** Add File: notes.txt')), 'the patch codex applied');

    // A new process reads the rollout codex began and Tandem continued.
    await tandem!.close();
    const again = await startTandem();
    const reread = await again.request('thread/read', { threadId: written.threadId, includeTurns: true });
    assert.equal(reread.result.thread.turns.length, 7);
    assert.equal(reread.result.thread.turns[6].items.at(-1).text, 'continued in Tandem');
    assert.equal(reread.result.thread.name, 'Written by codex');
  });

  it('reads a thread codex forked (its turns live in the source rollout) and forks a codex thread', async () => {
    const client = await startTandem();
    const read = await client.request('thread/read', { threadId: written.forkId, includeTurns: true });
    assert.equal(read.error, undefined, JSON.stringify(read.error));
    assert.equal(read.result.thread.forkedFromId, written.threadId);
    assert.deepEqual(
      read.result.thread.turns.slice(0, 6).map((t: { id: string }) => t.id),
      written.codexTurns.map((t) => t.id),
    );

    const fork = await client.request('thread/fork', { threadId: written.threadId });
    assert.equal(fork.error, undefined, JSON.stringify(fork.error));
    assert.ok(fork.result.thread.turns.length >= 6);
    assert.equal(fork.result.thread.turns[0].items[0].content[0].text, 'hi codex');
  });
});
