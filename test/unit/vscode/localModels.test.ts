// Local model detection against fake servers on loopback (never the real ports, never the internet):
// Ollama's /api/tags and LM Studio's /v1/models are read; a silent or failing server counts as absent.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ENDPOINTS, detectLocalModels, type LocalEndpoint } from '../../../src/vscode/localModels';

async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const json = (body: unknown): http.RequestListener => (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const at = (provider: 'ollama' | 'lmstudio', url: string): LocalEndpoint => ({ ...LOCAL_ENDPOINTS.find((e) => e.provider === provider)!, url });

describe('vscode/localModels', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('probes the default ports of Ollama and LM Studio on loopback', () => {
    assert.deepEqual(LOCAL_ENDPOINTS.map((e) => e.url), ['http://127.0.0.1:11434/api/tags', 'http://127.0.0.1:1234/v1/models']);
  });

  it('lists the models each server serves', async () => {
    const ollama = await serve(json({ models: [{ name: 'qwen3:8b', size: 1 }, { name: 'llama3.2:3b' }, { nope: true }] }));
    const lmstudio = await serve(json({ object: 'list', data: [{ id: 'openai/gpt-oss-20b', object: 'model' }] }));
    servers.push(ollama, lmstudio);
    const found = await detectLocalModels({ endpoints: [at('ollama', `${ollama.url}/api/tags`), at('lmstudio', `${lmstudio.url}/v1/models`)] });
    assert.deepEqual(found, [
      { provider: 'ollama', name: 'Ollama', models: ['qwen3:8b', 'llama3.2:3b'] },
      { provider: 'lmstudio', name: 'LM Studio', models: ['openai/gpt-oss-20b'] },
    ]);
  });

  it('leaves out a server that is down, fails, or does not answer in time', async () => {
    const failing = await serve((_req, res) => res.writeHead(500).end());
    const silent = await serve(() => undefined);
    const closed = await serve(json({}));
    servers.push(failing, silent);
    await closed.close();
    const started = Date.now();
    const found = await detectLocalModels({
      timeoutMs: 300,
      endpoints: [at('ollama', `${failing.url}/api/tags`), at('lmstudio', `${silent.url}/v1/models`), at('ollama', `${closed.url}/api/tags`)],
    });
    assert.deepEqual(found, []);
    assert.ok(Date.now() - started < 2_000, 'the probes run together, each bounded by the timeout');
  });

  it('reports a running server that serves no model, so the welcome can say to load one', async () => {
    const empty = await serve(json({ data: [] }));
    servers.push(empty);
    assert.deepEqual(await detectLocalModels({ endpoints: [at('lmstudio', `${empty.url}/v1/models`)] }), [{ provider: 'lmstudio', name: 'LM Studio', models: [] }]);
  });
});
