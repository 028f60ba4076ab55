// The device-code flow's reading of the issuer's answers, with a scripted fetch: the interval as text or
// number, codex's `usercode` spelling, and failures that end the wait.
import { strict as assert } from 'node:assert';
import { DEFAULT_CHATGPT_AUTH } from '../../../../src/core/auth/chatgptLogin';
import { DeviceCodeLoginFlow } from '../../../../src/core/auth/deviceCodeLogin';

type Reply = { status: number; body?: unknown } | Error;

function scripted(replies: Reply[]) {
  const asked: string[] = [];
  const fetchImpl = (async (url: string) => {
    asked.push(new URL(url).pathname);
    const reply = replies.shift() ?? { status: 403 };
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status });
  }) as unknown as typeof fetch;
  return { asked, fetchImpl };
}

const settings = { ...DEFAULT_CHATGPT_AUTH, issuer: 'https://issuer.example/', deviceCodeTimeoutMs: 60_000 };
const never = async () => assert.fail('no tokens are accepted');

describe('core/auth/deviceCodeLogin', () => {
  it('reads codex’s `usercode` spelling and a numeric interval, and fails when a poll cannot reach the issuer', async () => {
    const { asked, fetchImpl } = scripted([{ status: 200, body: { device_auth_id: 'd1', usercode: 'WXYZ-1234', interval: 1 } }, new Error('connect ECONNREFUSED')]);
    const flow = new DeviceCodeLoginFlow(settings, never, fetchImpl);
    await flow.start();
    assert.equal(flow.userCode, 'WXYZ-1234');
    assert.equal(flow.verificationUrl, 'https://issuer.example/codex/device');
    assert.deepEqual(await flow.done, { success: false, error: 'device auth failed: connect ECONNREFUSED' });
    assert.deepEqual(asked, ['/api/accounts/deviceauth/usercode', '/api/accounts/deviceauth/token']);
  });

  it('refuses to start when the issuer answers without a code, or with a server error', async () => {
    const empty = new DeviceCodeLoginFlow(settings, never, scripted([{ status: 200, body: {} }]).fetchImpl);
    await assert.rejects(empty.start(), /answered without a code/);
    const broken = new DeviceCodeLoginFlow(settings, never, scripted([{ status: 500 }]).fetchImpl);
    await assert.rejects(broken.start(), /^Error: failed to request device code: device code request failed with status 500/);
  });

  it('stops polling when cancelled, and a grant without a code fails the login', async () => {
    const pending = scripted([{ status: 200, body: { device_auth_id: 'd1', user_code: 'C', interval: '5' } }]);
    const flow = new DeviceCodeLoginFlow(settings, never, pending.fetchImpl);
    await flow.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    flow.cancel();
    assert.deepEqual(await flow.done, { success: false, error: 'Login was not completed' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(pending.asked.length, 2, 'one poll, then the 5-second wait was cut short');

    const odd = new DeviceCodeLoginFlow(settings, never, scripted([{ status: 200, body: { device_auth_id: 'd1', user_code: 'C' } }, { status: 200, body: {} }]).fetchImpl);
    await odd.start();
    assert.deepEqual(await odd.done, { success: false, error: 'device auth failed: the sign-in server answered without an authorization code' });
  });
});
