import { strict as assert } from 'node:assert';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn } from '../support/session';

const lookup = { name: 'lookup_ticket', description: 'Look a ticket up.', inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } };

describe('integration: dynamic tools', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  it('round-trips a call through item/tool/call and feeds the content items to the model', async () => {
    const { model, temp } = fixture;
    const server = await fixture.spawn({ capabilities: { experimentalApi: true } });
    const started = await server.client.request('thread/start', { cwd: temp.workspace, dynamicTools: [lookup] });
    const threadId = started.result.thread.id;
    model.enqueue(toolCallReply('lookup_ticket', { id: 'T-42' }, 'd1'), toolCallReply('lookup_ticket', { id: 'T-43' }, 'd2'), textReply('ticket found'));
    const answered = server.client.waitFor((m) => m.method === 'item/tool/call').then((request) => {
      server.client.send({ id: request.id, result: { contentItems: [{ type: 'inputText', text: 'T-42 is open' }], success: true } });
      return request;
    });
    const failed = server.client
      .waitFor((m) => m.method === 'item/tool/call' && m.params.callId === 'd2')
      .then((request) => server.client.send({ id: request.id, error: { code: -32000, message: 'ticket service down' } }));
    const done = await runTurn(server.client, threadId, 'look up T-42');
    assert.equal(done.params.turn.status, 'completed');
    const request = await answered;
    await failed;
    assert.deepEqual(request.params, { threadId, turnId: done.params.turn.id, callId: 'd1', namespace: null, tool: 'lookup_ticket', arguments: { id: 'T-42' } });
    assert.ok(model.requests[0]!.body.tools.some((t: { name: string }) => t.name === 'lookup_ticket'));
    const outputs = (model.requests[2]!.body.input as Array<{ type: string; call_id?: string; output?: unknown }>).filter((i) => i.type === 'function_call_output');
    assert.deepEqual(outputs.find((o) => o.call_id === 'd1')!.output, [{ type: 'input_text', text: 'T-42 is open' }]);
    assert.match(JSON.stringify(outputs.find((o) => o.call_id === 'd2')!.output), /could not run lookup_ticket: ticket service down/);
    const items = server.client.notifications('item/completed').filter((m) => m.params.item.type === 'dynamicToolCall').map((m) => m.params.item);
    assert.deepEqual(items.map((i) => [i.status, i.success]), [['completed', true], ['failed', false]]);
  });

  it('validates specs with clear errors and gates them behind experimentalApi', async () => {
    let server = await fixture.spawn();
    const gated = await server.client.request('thread/start', { dynamicTools: [lookup] });
    assert.deepEqual(gated.error, { code: -32600, message: 'thread/start.dynamicTools requires experimentalApi capability' });
    server = await fixture.restart({ capabilities: { experimentalApi: true } });
    const cases: Array<[unknown[], RegExp]> = [
      [[{ ...lookup, name: 'bad name!' }], /must be 1-128 characters/],
      [[lookup, lookup], /is defined twice/],
      [[{ ...lookup, name: 'exec_command' }], /clashes with a built-in tool/],
      [[{ ...lookup, inputSchema: { type: 'string' } }], /needs an inputSchema of type "object"/],
    ];
    for (const [tools, message] of cases) {
      const response = await server.client.request('thread/start', { dynamicTools: tools });
      assert.equal(response.error?.code, -32600);
      assert.match(response.error!.message, message);
    }
  });
});
