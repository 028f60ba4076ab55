// The tool search over deferred MCP tools: BM25 ranking over each tool's metadata, matches grouped by
// namespace in rank order, the limit, and the search items as history reads them back.
import { strict as assert } from 'node:assert';
import { searchTools, toolSearchHandler, type SearchableTool } from '../../../../src/core/mcp/mcpToolSearch';
import { isToolCall, isToolOutput, outputFor, toResponseItem } from '../../../../src/core/model/responseItems';

const tool = (server: string, name: string, description: string, properties: Record<string, unknown> = {}): SearchableTool => ({
  server,
  namespace: `mcp__${server}`,
  namespaceDescription: `The ${server} server.`,
  name,
  rawName: name.replace(/_/g, '-'),
  description,
  parameters: { type: 'object', properties },
});

const TOOLS = [
  tool('math', 'get_sum', 'Returns the sum of two numbers', { a: { type: 'number' }, b: { type: 'number' } }),
  tool('math', 'get_product', 'Multiplies numbers'),
  tool('weather', 'forecast', 'Weather forecast for a city', { city: { type: 'string' } }),
  tool('weather', 'alerts', 'Severe weather alerts'),
  tool('notes', 'write_note', 'Saves a note for later'),
];

const names = (found: Record<string, unknown>[]) => found.map((ns) => [ns.name, (ns.tools as Array<{ name: string }>).map((t) => t.name)]);

describe('mcpToolSearch', () => {
  it('ranks by the words of the query and groups the matches by namespace', () => {
    assert.deepEqual(names(searchTools(TOOLS, 'sum of numbers', 8)), [['mcp__math', ['get_sum', 'get_product']]]);
    assert.deepEqual(names(searchTools(TOOLS, 'weather city', 8)), [['mcp__weather', ['forecast', 'alerts']]]);
    // The server's name and an argument's name find a tool too.
    assert.deepEqual(names(searchTools(TOOLS, 'notes', 8)), [['mcp__notes', ['write_note']]]);
    assert.deepEqual(names(searchTools(TOOLS, 'city', 8)), [['mcp__weather', ['forecast']]]);
  });

  it('keeps namespaces in the order of their best match, and stops at the limit', () => {
    // "numbers" weighs more in the shorter text of get_product than in get_sum's.
    assert.deepEqual(names(searchTools(TOOLS, 'forecast numbers', 8)), [
      ['mcp__weather', ['forecast']],
      ['mcp__math', ['get_product', 'get_sum']],
    ]);
    assert.deepEqual(names(searchTools(TOOLS, 'forecast numbers', 2)), [
      ['mcp__weather', ['forecast']],
      ['mcp__math', ['get_product']],
    ]);
    assert.deepEqual(searchTools(TOOLS, 'nothing matches this', 8), []);
  });

  it('offers each tool found as a deferred function of its namespace', () => {
    const [ns] = searchTools(TOOLS, 'sum', 8);
    assert.deepEqual(ns, {
      type: 'namespace',
      name: 'mcp__math',
      description: 'The math server.',
      tools: [{ type: 'function', name: 'get_sum', description: 'Returns the sum of two numbers', strict: false, defer_loading: true, parameters: TOOLS[0]!.parameters }],
    });
  });

  it('answers bad arguments with a message and no tools', async () => {
    const handler = toolSearchHandler(TOOLS);
    const run = (args: unknown) => handler.handle({ type: 'function_call', name: 'tool_search', arguments: JSON.stringify(args), call_id: 'c' }, {} as never);
    assert.equal((await run({})).success, false);
    assert.equal((await run({ query: 'sum', limit: 0 })).success, false);
    const found = await run({ query: 'sum numbers', limit: 1 });
    assert.equal(found.success, true);
    assert.deepEqual(names(found.tools!), [['mcp__math', ['get_sum']]]);
  });

  it('reads the search items into history and answers an unanswered search with no tools', () => {
    const call = toResponseItem({ type: 'tool_search_call', id: 'ts_1', call_id: 'ts1', status: 'completed', execution: 'client', arguments: { query: 'sum', limit: 3 } })!;
    assert.deepEqual(call, { type: 'tool_search_call', call_id: 'ts1', arguments: { query: 'sum', limit: 3 }, status: 'completed', execution: 'client' });
    assert.ok(isToolCall(call));
    const output = toResponseItem({ type: 'tool_search_output', call_id: 'ts1', status: 'completed', execution: 'client', tools: [{ type: 'namespace', name: 'mcp__math', tools: [] }] })!;
    assert.ok(isToolOutput(output));
    assert.deepEqual(outputFor(call as never, 'interrupted'), { type: 'tool_search_output', call_id: 'ts1', status: 'completed', execution: 'client', tools: [] });
    assert.equal(toResponseItem({ type: 'tool_search_call', arguments: {} }), undefined, 'a search without a call id is dropped');
  });
});
