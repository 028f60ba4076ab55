// Dynamic tools in a namespace: the model gets the namespace as one tool spec, calls a member with
// `namespace` set, and the client gets `item/tool/call` naming both.
import { strict as assert } from 'node:assert';
import { namespacedCall, textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn } from '../support/session';

const lookup = { type: 'function', name: 'lookup', description: 'Look a ticket up.', inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } };
const tickets = { type: 'namespace', name: 'tickets', description: 'Ticket tools.', tools: [lookup] };


describe('integration: dynamic tool namespaces', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  it('offers a namespace to the model and routes a call of its member to the client', async () => {
    const { model, temp } = fixture;
    const { client } = await fixture.spawn({ capabilities: { experimentalApi: true } });
    // A namespace may share its name with a function: they are called differently.
    const plain = { name: 'tickets', description: 'A plain tool.', inputSchema: { type: 'object', properties: {} } };
    const started = await client.request('thread/start', { cwd: temp.workspace, dynamicTools: [tickets, plain] });
    assert.equal(started.error, undefined, JSON.stringify(started.error));
    const threadId = started.result.thread.id;
    model.enqueue(namespacedCall('tickets', 'lookup', { id: 'T-1' }, 'n1'), namespacedCall('tickets', 'close', {}, 'n2'), textReply('done'));
    const answered = client.waitFor((m) => m.method === 'item/tool/call').then((request) => {
      client.send({ id: request.id, result: { contentItems: [{ type: 'inputText', text: 'T-1 is open' }], success: true } });
      return request;
    });
    const done = await runTurn(client, threadId, 'look up T-1');
    assert.equal(done.params.turn.status, 'completed');
    const request = await answered;
    assert.deepEqual(request.params, { threadId, turnId: done.params.turn.id, callId: 'n1', namespace: 'tickets', tool: 'lookup', arguments: { id: 'T-1' } });

    const tools = model.requests[0]!.body.tools as Array<Record<string, unknown>>;
    assert.deepEqual(
      tools.find((t) => t.type === 'namespace'),
      { type: 'namespace', name: 'tickets', description: 'Ticket tools.', tools: [{ type: 'function', name: 'lookup', description: 'Look a ticket up.', strict: false, parameters: lookup.inputSchema }] },
    );
    assert.ok(tools.some((t) => t.type === 'function' && t.name === 'tickets'));
    const item = client.notifications('item/completed').find((m) => m.params.item.type === 'dynamicToolCall')!.params.item;
    assert.deepEqual([item.namespace, item.tool, item.status, item.success], ['tickets', 'lookup', 'completed', true]);
    const input = model.requests[2]!.body.input as Array<{ type: string; call_id?: string; namespace?: string; output?: unknown }>;
    assert.equal(input.find((i) => i.type === 'function_call' && i.call_id === 'n1')!.namespace, 'tickets', 'the call goes back to the model with its namespace');
    assert.match(JSON.stringify(input.find((i) => i.type === 'function_call_output' && i.call_id === 'n2')!.output), /tickets has no tool close/);
  });

  it('validates namespaces with clear errors', async () => {
    const { client } = await fixture.spawn({ capabilities: { experimentalApi: true } });
    const cases: Array<[unknown[], RegExp]> = [
      [[{ ...tickets, name: 'bad name!' }], /dynamic tool namespace "bad name!" must be 1-128 characters/],
      [[{ ...tickets, tools: [] }], /namespace tickets needs at least one tool/],
      [[tickets, tickets], /namespace tickets is defined twice/],
      [[{ ...tickets, name: 'mcp__x' }], /namespace mcp__x is reserved/],
      [[{ ...tickets, tools: [lookup, lookup] }], /dynamic tool tickets.lookup is defined twice/],
      [[{ ...tickets, tools: [{ ...lookup, inputSchema: { type: 'string' } }] }], /tickets.lookup needs an inputSchema of type "object"/],
    ];
    for (const [tools, message] of cases) {
      const response = await client.request('thread/start', { dynamicTools: tools });
      assert.equal(response.error?.code, -32600, JSON.stringify(tools));
      assert.match(response.error!.message, message);
    }
    // A built-in tool's name is free for a namespace, as in codex.
    const free = await client.request('thread/start', { dynamicTools: [{ ...tickets, name: 'exec_command' }] });
    assert.equal(free.error, undefined);
    // A tool to load on demand (the codex TUI sends one) is accepted: Tandem offers it from the start.
    const deferred = await client.request('thread/start', { dynamicTools: [{ ...tickets, tools: [{ ...lookup, deferLoading: true }] }] });
    assert.equal(deferred.error, undefined);
  });
});
