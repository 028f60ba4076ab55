import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../../src/core/log';
import { ModelClient, type ModelAuth, type ResponseEvent } from '../../../../src/core/model/responsesClient';
import { providerFromTable } from '../../../../src/core/model/provider';
import { FakeModelServer, textReply } from '../../../support/fakeModel';

describe('core/model/responsesClient', function () {
  this.timeout(10_000);
  let model: FakeModelServer;
  beforeEach(async () => {
    model = await new FakeModelServer().start();
  });
  afterEach(() => model.stop());

  const request = { model: 'm', instructions: 'i', input: [], tools: [], parallelToolCalls: true, reasoning: null, promptCacheKey: 'k' };
  const identity = { threadId: 't', originator: 'o', userAgent: 'ua' };

  async function collect(client: ModelClient): Promise<ResponseEvent[]> {
    const events: ResponseEvent[] = [];
    for await (const event of client.stream(request, identity, new AbortController().signal)) events.push(event);
    return events;
  }

  it('calls the refresh hook on 401 and retries once with the new credentials', async () => {
    let token = 'old';
    let refreshes = 0;
    const auth: ModelAuth = {
      headers: async () => ({ authorization: `Bearer ${token}` }),
      refreshAfterUnauthorized: async () => {
        refreshes += 1;
        token = 'new';
        return true;
      },
    };
    const client = new ModelClient({ provider: providerFromTable('fake', { base_url: model.baseUrl }), auth, logger: silentLogger });
    model.enqueue({ status: 401, body: { error: { message: 'expired' } } }, textReply('ok'));
    const events = await collect(client);
    assert.equal(events.at(-1)!.type, 'completed');
    assert.equal(refreshes, 1);
    assert.deepEqual(model.requests.map((r) => r.headers.authorization), ['Bearer old', 'Bearer new']);
  });

  it('does not loop when the refreshed credentials are rejected too', async () => {
    const auth: ModelAuth = { headers: async () => ({}), refreshAfterUnauthorized: async () => true };
    const client = new ModelClient({ provider: providerFromTable('fake', { base_url: model.baseUrl }), auth, logger: silentLogger });
    model.enqueue({ status: 401 }, { status: 401 });
    await assert.rejects(collect(client), /401 Unauthorized/);
    assert.equal(model.requests.length, 2);
  });

  it('sends provider headers, env headers and query params', async () => {
    const provider = providerFromTable('fake', {
      base_url: model.baseUrl + '/',
      http_headers: { 'x-static': 'yes' },
      env_http_headers: { 'x-from-env': 'TANDEM_TEST_HEADER' },
      query_params: { 'api-version': '2026-01' },
    });
    const client = new ModelClient({ provider, auth: { headers: async () => ({}), refreshAfterUnauthorized: async () => false }, logger: silentLogger, env: { TANDEM_TEST_HEADER: 'from-env' } });
    model.enqueue(textReply('ok'));
    await collect(client);
    const recorded = model.requests[0]!;
    assert.equal(recorded.path, '/v1/responses?api-version=2026-01');
    assert.equal(recorded.headers['x-static'], 'yes');
    assert.equal(recorded.headers['x-from-env'], 'from-env');
  });
});
