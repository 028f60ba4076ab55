import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRollout } from '../../src/core/rollout/listing';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { writeRollout } from '../support/rollouts';
import { runTurn, startThread } from '../support/session';

describe('integration: thread lifecycle and rollouts', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('resumes a thread after the server restarts: turns come back and the model sees the history', async () => {
    const { model, temp } = await fixture.boot();
    let server = fixture.server;
    model.enqueue(textReply('The answer is 42.'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'What is the answer?');

    server = await fixture.restart();
    const notLoaded = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.deepEqual(notLoaded.result.thread.status, { type: 'notLoaded' });
    const resumed = await server.client.request('thread/resume', { threadId });
    const turns = resumed.result.thread.turns;
    assert.equal(turns.length, 1);
    assert.deepEqual(
      turns[0].items.map((i: { type: string; text?: string }) => i.type + (i.text ? `:${i.text}` : '')),
      ['userMessage', 'agentMessage:The answer is 42.'],
    );
    assert.equal(resumed.result.thread.preview, 'What is the answer?');
    assert.equal(resumed.result.model, 'test-model');
    model.enqueue(textReply('Still 42.'));
    await runTurn(server.client, threadId, 'Are you sure?');
    const input = model.requests[1]!.body.input as Array<{ role?: string; content?: Array<{ text: string }> }>;
    const conversation = input.filter((i) => i.role === 'user' || i.role === 'assistant').map((i) => `${i.role}:${i.content?.[0]?.text}`);
    assert.deepEqual(conversation.filter((line) => !line.includes('<environment_context>')), [
      'user:What is the answer?',
      'assistant:The answer is 42.',
      'user:Are you sure?',
    ]);
    assert.equal(input.filter((i) => i.role === 'developer').length, 1, 'the initial context is not injected twice');
  });

  it('skips a truncated last rollout line with a warning instead of failing', async () => {
    const { model, temp } = await fixture.boot();
    let server = fixture.server;
    model.enqueue(textReply('saved'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'keep this');
    await server.close();
    const rollout = (await findRollout(temp.home, threadId, false))!;
    fs.appendFileSync(rollout, '{"timestamp":"2026-01-01T00:00:00Z","type":"event_msg","payload":{"type":"task_st');
    server = await fixture.spawn();
    const resumed = await server.client.request('thread/resume', { threadId });
    assert.equal(resumed.result.thread.turns.length, 1);
    assert.match(server.stderr(), /skipped a truncated last line/);
    // The next turn is appended after the torn line was cut, not glued onto it: it survives another restart.
    model.enqueue(textReply('after the crash'));
    await runTurn(server.client, threadId, 'carry on');
    assert.match(server.stderr(), /cut a torn last line of \d+ bytes/);
    server = await fixture.restart();
    const again = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.equal(again.result.thread.turns.length, 2);
    assert.doesNotMatch(server.stderr(), /skipped/);
  });

  it('pages through 60 threads with cursors, newest first, with filters', async () => {
    const { temp, server } = await fixture.boot();
    const base = Date.parse('2026-03-01T10:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const written = await writeRollout(temp.home, { createdAt: new Date(base + i * 60_000), preview: `thread number ${i}`, provider: i % 3 === 0 ? 'other' : 'fake' });
      ids.push(written.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await server.client.request('thread/list', cursor ? { cursor, limit: 25 } : { limit: 25 });
      const data = page.result.data as Array<{ id: string; status: { type: string } }>;
      seen.push(...data.map((t) => t.id));
      assert.ok(data.every((t) => t.status.type === 'notLoaded'));
      cursor = page.result.nextCursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...ids].reverse(), 'every thread once, newest first');
    const firstPage = await server.client.request('thread/list', {});
    assert.equal(firstPage.result.data.length, 25, 'default limit');
    assert.equal(firstPage.result.data[0].preview, 'thread number 59');
    const other = await server.client.request('thread/list', { modelProviders: ['other'], limit: 100 });
    assert.equal(other.result.data.length, 20);
    const ascending = await server.client.request('thread/list', { sortDirection: 'asc', limit: 1 });
    assert.equal(ascending.result.data[0].id, ids[0]);
    const bad = await server.client.request('thread/list', { cursor: 'garbage' });
    assert.match(bad.error!.message, /invalid cursor: garbage/);
  });

  it('a fork keeps the name of its source, also after a restart', async () => {
    const { model, temp } = await fixture.boot();
    let server = fixture.server;
    model.enqueue(textReply('first'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'hello');
    await server.client.request('thread/name/set', { threadId, name: 'Release plan' });
    const fork = await server.client.request('thread/fork', { threadId });
    const forkId = fork.result.thread.id as string;
    assert.equal(fork.result.thread.name, 'Release plan');
    server = await fixture.restart();
    const read = await server.client.request('thread/read', { threadId: forkId });
    assert.equal(read.result.thread.name, 'Release plan');
    const resumed = await server.client.request('thread/resume', { threadId: forkId });
    assert.equal(resumed.result.thread.name, 'Release plan');
  });

  it('archives and unarchives by moving the rollout, and refuses a running thread', async () => {
    const { model, temp } = await fixture.boot();
    let server = fixture.server;
    model.enqueue(textReply('to be archived'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'hello');
    const before = (await server.client.request('thread/read', { threadId })).result.thread.path as string;
    assert.ok(before.startsWith(path.join(temp.home, 'sessions')));
    await server.client.request('thread/name/set', { threadId, name: 'Kept through the archive' });
    const archived = await server.client.request('thread/archive', { threadId });
    assert.deepEqual(archived.result, {});
    assert.ok(!fs.existsSync(before));
    const archivedPath = path.join(temp.home, 'archived_sessions', path.basename(before));
    assert.ok(fs.existsSync(archivedPath));
    assert.equal(server.client.notifications('thread/archived')[0]!.params.threadId, threadId);
    const listed = await server.client.request('thread/list', { archived: true });
    assert.deepEqual(listed.result.data.map((t: { id: string }) => t.id), [threadId]);
    // Listed under archived, so readable too, with its turns and its name (from a fresh server, not loaded).
    server = await fixture.restart();
    const read = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.equal(read.error, undefined, JSON.stringify(read.error));
    assert.equal(read.result.thread.path, archivedPath);
    assert.equal(read.result.thread.turns.length, 1);
    assert.equal(read.result.thread.name, 'Kept through the archive');
    // The rollout index followed: the first turn added the thread, the archive moved it.
    const indexLines = fs.readFileSync(path.join(temp.home, 'rollout_index.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const mine = indexLines.filter((l: { summary?: { threadId: string } }) => l.summary?.threadId === threadId);
    assert.equal(mine[0].summary.preview, 'hello');
    assert.deepEqual({ archived: mine.at(-1).summary.archived, path: mine.at(-1).summary.path }, { archived: true, path: archivedPath });
    assert.equal((await server.client.request('thread/list', {})).result.data.length, 0);
    const restored = await server.client.request('thread/unarchive', { threadId });
    assert.equal(restored.result.thread.id, threadId);
    assert.ok(fs.existsSync(before));
    assert.ok(!fs.existsSync(archivedPath));
    const resumedAfter = await server.client.request('thread/resume', { threadId });
    assert.equal(resumedAfter.result.thread.name, 'Kept through the archive', 'resumed after unarchive, with its name');
    assert.equal(resumedAfter.result.thread.turns.length, 1);
    await server.client.request('thread/unsubscribe', { threadId });
    const again = await server.client.request('thread/unarchive', { threadId });
    assert.match(again.error!.message, /archived thread not found/);

    model.enqueue(textReply('slowly, slowly, slowly', { chunks: 10, delayMs: 100 }));
    const running = await startThread(server.client, { cwd: temp.workspace });
    await server.client.request('turn/start', { threadId: running, input: [{ type: 'text', text: 'go' }] });
    await server.client.waitFor((m) => m.method === 'item/agentMessage/delta' && m.params.threadId === running);
    const refused = await server.client.request('thread/archive', { threadId: running });
    assert.match(refused.error!.message, /has a turn running; interrupt it before archiving/);
  });

  it('reads, renames, forks, lists turns and loaded threads, and unsubscribes', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('one'), textReply('two'), textReply('forked reply'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const first = await runTurn(server.client, threadId, 'first question');
    await runTurn(server.client, threadId, 'second question');
    await server.client.request('thread/name/set', { threadId, name: 'My thread' });
    assert.deepEqual(server.client.notifications('thread/name/updated')[0]!.params, { threadId, threadName: 'My thread' });
    const read = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.equal(read.result.thread.name, 'My thread');
    assert.equal(read.result.thread.turns.length, 2);
    assert.equal((await server.client.request('thread/read', { threadId })).result.thread.turns.length, 0);
    const turns = await server.client.request('thread/turns/list', { threadId, limit: 1 });
    assert.equal(turns.result.data.length, 1);
    assert.equal(turns.result.data[0].items[0].content[0].text, 'second question', 'newest first');
    const older = await server.client.request('thread/turns/list', { threadId, limit: 1, cursor: turns.result.nextCursor });
    assert.equal(older.result.data[0].id, first.params.turn.id);
    const fork = await server.client.request('thread/fork', { threadId, lastTurnId: first.params.turn.id });
    const forkId = fork.result.thread.id;
    assert.equal(fork.result.thread.forkedFromId, threadId);
    assert.equal(fork.result.thread.turns.length, 1);
    await runTurn(server.client, forkId, 'in the fork');
    const forkInput = model.requests[2]!.body.input as Array<{ role?: string; content?: Array<{ text: string }> }>;
    const texts = forkInput.filter((i) => i.role === 'user' || i.role === 'assistant').map((i) => i.content?.[0]?.text).filter((t) => !t?.startsWith('<environment'));
    assert.deepEqual(texts, ['first question', 'one', 'in the fork']);
    const loaded = await server.client.request('thread/loaded/list', {});
    assert.deepEqual([...loaded.result.data].sort(), [threadId, forkId].sort());
    assert.deepEqual((await server.client.request('thread/unsubscribe', { threadId })).result, { status: 'unsubscribed' });
    assert.deepEqual((await server.client.request('thread/unsubscribe', { threadId })).result, { status: 'notSubscribed' });
    assert.deepEqual((await server.client.request('thread/unsubscribe', { threadId: '01a20000-0000-7000-8000-000000000000' })).result, { status: 'notLoaded' });
  });

  it('writes nothing for an ephemeral thread', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('gone when you close me'));
    const threadId = await startThread(server.client, { cwd: temp.workspace, ephemeral: true });
    await runTurn(server.client, threadId, 'hi');
    const read = await server.client.request('thread/read', { threadId });
    assert.equal(read.result.thread.path, null);
    assert.equal(read.result.thread.ephemeral, true);
    assert.ok(!fs.existsSync(path.join(temp.home, 'sessions')));
  });
});
