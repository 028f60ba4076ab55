// Plan and Default collaboration modes: a client switches with thread/settings/update or turn/start, hears
// the mode back, and the model is told once per change; the mode outlives a restart.
import { strict as assert } from 'node:assert';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

/** The `<collaboration_mode>` tags in the input of the model's last request, in order. */
function modesTold(fixture: Fixture): string[] {
  const input = fixture.model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
  return input.flatMap((item) => (item.role === 'developer' ? (item.content ?? []) : [])).flatMap((part) => [...(part.text ?? '').matchAll(/<collaboration_mode mode="(\w+)">/g)].map((m) => m[1]!));
}

describe('integration: collaboration modes', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  it('switches to Plan and back: the client hears the mode, the model is told once per change', async () => {
    const { client } = await fixture.spawn({ capabilities: { experimentalApi: true } });
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(textReply('one'), textReply('two'), textReply('three'), textReply('four'));

    await runTurn(client, threadId, 'hello');
    assert.deepEqual(modesTold(fixture), [], 'Default mode is not announced');

    const update = await client.request('thread/settings/update', { threadId, collaborationMode: { mode: 'plan', settings: { model: 'gpt-5.4', reasoning_effort: 'high', developer_instructions: null } } });
    assert.deepEqual(update.result, {});
    const updated = await client.waitFor((m) => m.method === 'thread/settings/updated');
    assert.deepEqual(updated.params.threadSettings.collaborationMode, { mode: 'plan', settings: { model: 'gpt-5.4', reasoning_effort: 'high', developer_instructions: null } });
    assert.equal(updated.params.threadSettings.model, 'gpt-5.4', "the mode's model applies to the thread");

    await runTurn(client, threadId, 'plan the release');
    assert.deepEqual(modesTold(fixture), ['plan']);
    const request = fixture.model.lastTurnRequest();
    assert.equal(request.body.model, 'gpt-5.4');
    await runTurn(client, threadId, 'and the docs');
    assert.deepEqual(modesTold(fixture), ['plan'], 'told once, not at every turn');

    const last = await client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go ahead' }], collaborationMode: { mode: 'default', settings: null } });
    await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === last.result.turn.id);
    assert.deepEqual(modesTold(fixture), ['plan', 'default'], 'leaving Plan mode is said too');
  });

  it('tells thread/settings/updated only to clients of the experimental API, as codex does', async () => {
    const modelsHeard = async (capabilities?: unknown): Promise<string[]> => {
      const { client } = await fixture.spawn(capabilities ? { capabilities } : {});
      const threadId = await startThread(client, { cwd: fixture.temp.workspace });
      fixture.model.enqueue(textReply('one'));
      const started = await client.request('turn/start', { threadId, model: 'gpt-5.5', input: [{ type: 'text', text: 'on another model' }] });
      await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === started.result.turn.id);
      return client.received.filter((m) => m.method === 'thread/settings/updated').map((m) => m.params.threadSettings.model);
    };
    assert.deepEqual(await modelsHeard({ experimentalApi: true }), ['gpt-5.5']);
    assert.deepEqual(await modelsHeard(), [], 'a stable client never hears the experimental notification');
  });

  it('keeps a thread in Plan mode across a restart, and the resumed history still says so', async () => {
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(textReply('planned'));
    await client.request('turn/start', { threadId, input: [{ type: 'text', text: 'plan it' }], collaborationMode: { mode: 'plan' } });
    await client.waitFor((m) => m.method === 'turn/completed');
    assert.deepEqual(modesTold(fixture), ['plan']);

    const next = await fixture.restart();
    const resumed = await next.client.request('thread/resume', { threadId });
    assert.equal(resumed.result.collaborationMode.mode, 'plan');
    fixture.model.enqueue(textReply('still planning'));
    await runTurn(next.client, threadId, 'more');
    assert.deepEqual(modesTold(fixture), ['plan'], 'the resumed history already says Plan: not said again');
  });
});
