// Tandem against the codex oracle for limits and history details: input counted in characters, a turn
// with no input, resume and fork of a thread that never had a turn, thread/resume's experimental sources
// and first page, thread/list's page bound, search (names and first messages) and folder filter, a stale
// config write, and fuzzy file search sessions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import type { Scenario, ScenarioContext } from '../support/differential';
import { compareScenarios, record, startThread, turn } from '../support/differentialSteps';

const EXPERIMENTAL = { experimentalApi: true };

/** The fuzzy session notifications so far, as (method, query, paths) — scores are each server's own. */
/**
 * The distinct session notifications, sorted: how many progress updates a walk sends (and their order
 * against its completion) depends on timing, in codex as in Tandem; what each says does not.
 */
function sessionNotes(context: ScenarioContext) {
  const notes = context.received
    .filter((m) => m.method?.startsWith('fuzzyFileSearch/session'))
    .map((m) => JSON.stringify([m.method, m.params.query ?? null, (m.params.files ?? []).map((f: { path: string }) => f.path).sort()]));
  return [...new Set(notes)].sort().map((note) => JSON.parse(note));
}

const SCENARIOS: Scenario[] = [
  {
    name: 'text input is counted in characters; an empty input starts a turn',
    async run(context) {
      const threadId = await startThread(context);
      await record(context, 'turn/start', { threadId, input: [{ type: 'text', text: '😀'.repeat((1 << 20) + 1) }] });
      context.model.enqueue(textReply('emoji are fine'), textReply('from the history'));
      await turn(context, threadId, '😀'.repeat(600_000));
      const empty = await context.server.client.request('turn/start', { threadId, input: [] });
      await context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === empty.result.turn.id, 20_000);
    },
  },
  {
    name: 'resume and fork of a thread that never had a turn, and thread/list limits',
    async run(context) {
      const empty = await startThread(context);
      await record(context, 'thread/resume', { threadId: empty });
      await record(context, 'thread/fork', { threadId: empty });
      context.model.enqueue(textReply('one'), textReply('two'));
      await turn(context, await startThread(context), 'first thread');
      await turn(context, await startThread(context), 'second thread');
      await context.restart();
      await record(context, 'thread/resume', { threadId: empty });
      await record(context, 'thread/list', { limit: 0 }, (result) => result.data.length);
      await record(context, 'thread/list', { limit: 1000 }, (result) => [result.data.length, result.nextCursor]);
    },
  },
  {
    name: 'thread/resume by path, from history, and with a first page of turns',
    capabilities: EXPERIMENTAL,
    modelInputsDiffer: 'codex puts its permissions message before given history; the order of history and question is checked in the answers',
    async run(context) {
      const started = await context.server.client.request('thread/start', { cwd: context.workspace });
      const threadId = started.result.thread.id;
      context.model.enqueue(textReply('one'), textReply('two'), textReply('42'));
      await turn(context, threadId, 'one');
      await turn(context, threadId, 'two');
      await record(context, 'thread/resume', { threadId, initialTurnsPage: { limit: 1 } }, (result) => {
        const page = result.initialTurnsPage;
        return { turns: page.data.map((t: { items: unknown[]; status: string }) => [t.items.length, t.status]), more: page.nextCursor !== null };
      });
      const stale = await context.server.client.request('thread/resume', { threadId, path: '/tmp/nope.jsonl' });
      context.answers.push({ method: 'thread/resume stale path', answer: { code: stale.error?.code, message: stale.error?.message.replace(threadId, '<id>').replace(/active `.*`$/, 'active `<rollout>`') } });
      await context.restart();
      const other = '01a20000-0000-7000-8000-000000000001';
      await record(context, 'thread/resume', { threadId: other, path: started.result.thread.path, excludeTurns: true }, (result) => ({
        same: result.thread.id === threadId,
        turns: result.thread.turns.length,
      }));
      const history = [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'remember 42' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok 42' }] },
      ];
      await record(context, 'thread/resume', { threadId: other, history: [] });
      const seeded = await context.server.client.request('thread/resume', { threadId: other, history, cwd: context.workspace });
      context.answers.push({ method: 'thread/resume history', answer: { newThread: seeded.result.thread.id !== other, turns: seeded.result.thread.turns.length } });
      await turn(context, seeded.result.thread.id, 'what number?');
      const texts = (context.model.requests.at(-1)!.body.input as Array<{ content?: Array<{ text?: string }> }>).map((i) => i.content?.[0]?.text ?? '');
      context.answers.push({ method: 'model input', answer: ['remember 42', 'ok 42', 'what number?'].map((t) => texts.indexOf(t) >= 0).concat(texts.indexOf('ok 42') < texts.indexOf('what number?')) });
    },
  },
  {
    name: 'thread/list searches names and first messages, and filters by folder',
    async run(context) {
      const sub = path.join(context.workspace, 'sub');
      fs.mkdirSync(sub);
      context.model.enqueue(textReply('one'), textReply('two'), textReply('three'));
      const login = await startThread(context);
      await turn(context, login, 'Fix the Login bug');
      const readme = await startThread(context);
      await turn(context, readme, 'write the README');
      await context.server.client.request('thread/name/set', { threadId: readme, name: 'Docs work' });
      await turn(context, await startThread(context, { cwd: sub }), 'tidy the sub folder');
      const previews = (result: { data: Array<{ preview: string }> }) => result.data.map((thread) => thread.preview).sort();
      for (const searchTerm of ['Login', 'login', 'Docs', 'docs', 'README', 'the', 'nothing like it']) await record(context, 'thread/list', { searchTerm }, previews);
      await record(context, 'thread/list', { cwd: sub }, previews);
      await record(context, 'thread/list', { cwd: [context.workspace, sub], searchTerm: 'the' }, previews);
    },
  },
  {
    name: 'a config write with a stale expectedVersion, and fuzzy file search sessions',
    capabilities: EXPERIMENTAL,
    async run(context) {
      await record(context, 'config/value/write', { keyPath: 'model', value: 'x', mergeStrategy: 'replace', expectedVersion: 'sha256:0000' });
      for (const file of ['src/alpha.ts', 'src/beta.ts', 'docs/alpha.md']) {
        fs.mkdirSync(path.dirname(path.join(context.workspace, file)), { recursive: true });
        fs.writeFileSync(path.join(context.workspace, file), 'x');
      }
      const completions = (n: number) => context.server.client.waitFor(() => context.received.filter((m) => m.method === 'fuzzyFileSearch/sessionCompleted').length >= n);
      await record(context, 'fuzzyFileSearch/sessionStart', { sessionId: 's1', roots: [context.workspace] });
      await completions(1);
      await record(context, 'fuzzyFileSearch/sessionUpdate', { sessionId: 's1', query: 'alpha' });
      // The update and the completion may come in either order: wait for both.
      await completions(2);
      await context.server.client.waitFor((m) => m.method === 'fuzzyFileSearch/sessionUpdated' && m.params.query === 'alpha' && m.params.files.length > 0);
      context.answers.push({ method: 'session notifications', answer: sessionNotes(context) });
      await record(context, 'fuzzyFileSearch/sessionStop', { sessionId: 's1' });
      await record(context, 'fuzzyFileSearch/sessionUpdate', { sessionId: 's1', query: 'beta' });
      await record(context, 'fuzzyFileSearch/sessionStart', { sessionId: 's2', roots: [] });
    },
  },
];

describe('differential: limits and history details against codex', function () {
  this.timeout(120_000);
  compareScenarios(SCENARIOS);
});
