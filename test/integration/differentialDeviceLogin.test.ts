// Tandem against the codex oracle for the device-code sign-in, both pointed at the same kind of fake
// issuer (codex through CODEX_APP_SERVER_LOGIN_ISSUER): the answer to account/login/start, what each asks
// the issuer, how a refused code and a cancel end, and the cancel answers. Codex 0.169 cannot finish a
// successful sign-in here (after the tokens it asks a ChatGPT backend over HTTPS for the workspace's
// routing), so success is checked on Tandem alone, in deviceCodeLogin.test.ts.
import { strict as assert } from 'node:assert';
import { makeCodexHome, spawnCodexServer } from '../support/codexServer';
import { FakeIssuer } from '../support/fakeIssuer';
import { spawnStdioServer, type SpawnedServer } from '../support/protocolClient';
import { makeTempHome } from '../support/tempHome';

/** No model is asked in these scripts; the provider only has to be configured. */
const NO_MODEL = 'http://127.0.0.1:9/v1';

async function observe(kind: 'tandem' | 'codex'): Promise<unknown[]> {
  const issuer = await new FakeIssuer().start();
  let server: SpawnedServer | undefined;
  try {
    if (kind === 'tandem') {
      const temp = makeTempHome({ baseUrl: NO_MODEL, tables: `[chatgpt_auth]\nissuer = "${issuer.url}"` });
      server = spawnStdioServer({ env: temp.env });
    } else {
      server = spawnCodexServer(makeCodexHome(NO_MODEL), undefined, { CODEX_APP_SERVER_LOGIN_ISSUER: issuer.url });
    }
    const { client } = server;
    await client.initialize();
    const answers: unknown[] = [];
    const polled = async () => {
      const before = issuer.deviceRequests.length;
      while (issuer.deviceRequests.length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const completion = async (loginId: string) => {
      const { params } = await client.waitFor((m) => m.method === 'account/login/completed' && m.params.loginId === loginId, 15_000);
      return { success: params.success, error: params.error };
    };

    const refused = (await client.request('account/login/start', { type: 'chatgptDeviceCode' })).result;
    answers.push({ start: Object.keys(refused).sort(), type: refused.type, verificationUrl: refused.verificationUrl.replace(issuer.url, 'ISSUER'), userCode: refused.userCode });
    await polled();
    issuer.device.decision = 'denied';
    answers.push({ refused: await completion(refused.loginId) });

    issuer.device.decision = 'pending';
    const cancelled = (await client.request('account/login/start', { type: 'chatgptDeviceCode' })).result;
    await polled();
    answers.push({ cancel: (await client.request('account/login/cancel', { loginId: cancelled.loginId })).result });
    answers.push({ cancelled: await completion(cancelled.loginId) });
    answers.push({ cancelAgain: (await client.request('account/login/cancel', { loginId: cancelled.loginId })).result });
    answers.push({ cancelMalformed: (await client.request('account/login/cancel', { loginId: 'nope' })).error });
    answers.push({ account: (await client.request('account/read', {})).result.account });

    issuer.device.enabled = false;
    answers.push({ disabled: (await client.request('account/login/start', { type: 'chatgptDeviceCode' })).error });

    // Polls follow the clock; what is asked, and in which order, does not.
    const asked = issuer.deviceRequests.map((r) => `${r.endpoint} ${JSON.stringify(r.body)}`).filter((line, i, all) => line !== all[i - 1]);
    answers.push({ asked, exchanges: issuer.exchanges.length });
    return answers;
  } finally {
    await server?.close();
    await issuer.stop();
  }
}

describe('differential: device-code sign-in against the codex oracle', function () {
  this.timeout(60_000);
  it('answers, asks the issuer and ends a refused or cancelled sign-in as codex does', async () => {
    const [tandem, codex] = await Promise.all([observe('tandem'), observe('codex')]);
    assert.deepEqual(tandem, codex);
  });
});
