import { strict as assert } from 'node:assert';
import { autoReview, type AutoReviewDeps } from '../../../../src/core/approvals/autoReviewer';
import { approves, readVerdict } from '../../../../src/core/approvals/autoReviewPrompt';
import { silentLogger } from '../../../../src/core/log';
import { providerFromTable } from '../../../../src/core/model/provider';
import { ModelClient } from '../../../../src/core/model/responsesClient';
import { renderTranscript } from '../../../../src/core/thread/approvalReview';
import { FakeModelServer, textReply, type ScriptedReply } from '../../../support/fakeModel';

describe('core: automatic approval reviewer', () => {
  it('reads only the exact verdict object, and approves only an explicit allow below critical', () => {
    assert.equal(readVerdict('allow'), null);
    assert.equal(readVerdict('```json\n{"outcome":"allow","risk_level":"low"}\n```'), null);
    assert.equal(readVerdict('{"outcome":"yes","risk_level":"low"}'), null);
    assert.equal(readVerdict('{"outcome":"allow"}'), null, 'a risk level is required');
    assert.equal(readVerdict('[{"outcome":"allow","risk_level":"low"}]'), null);
    const verdict = readVerdict(' {"outcome":"allow","risk_level":"medium","user_authorization":"high","rationale":"ok "} ')!;
    assert.deepEqual(verdict, { outcome: 'allow', riskLevel: 'medium', userAuthorization: 'high', rationale: 'ok' });
    assert.ok(approves(verdict));
    assert.ok(!approves({ ...verdict, riskLevel: 'critical' }));
    assert.ok(!approves({ ...verdict, outcome: 'deny' }));
  });

  it('shows the user words in full and cuts the agent and tool entries first', () => {
    const text = renderTranscript([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd</environment_context>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'please build' }] },
      ...Array.from({ length: 80 }, (_, i) => ({ type: 'function_call_output' as const, call_id: `c${i}`, output: 'x'.repeat(3_000) })),
    ]);
    assert.ok(!text.includes('environment_context'), 'context messages are not the user speaking');
    assert.match(text, /user: please build/);
    assert.match(text, /earlier entries by the agent or its tools were cut/);
    assert.ok(text.length < 70_000);
  });

  describe('fails closed', () => {
    let model: FakeModelServer;
    beforeEach(async () => (model = await new FakeModelServer().start()));
    afterEach(() => model.stop());

    async function review(reply: ScriptedReply, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
      model.enqueue(reply);
      const notes: Array<{ method: string; params: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      const deps: AutoReviewDeps = {
        client: new ModelClient({ provider: providerFromTable('fake', { base_url: model.baseUrl }), auth: { headers: async () => ({}), refreshAfterUnauthorized: async () => false }, logger: silentLogger }),
        model: 'fake-model',
        reasoning: null,
        identity: { threadId: 't', originator: 'test', userAgent: 'test' },
        threadId: 't',
        turnId: 'u',
        signal: options.signal ?? new AbortController().signal,
        transcript: () => 'user: go',
        notify: (descriptor, params) => notes.push({ method: descriptor.method, params }),
        timeoutMs: options.timeoutMs,
      };
      const verdict = await autoReview(deps, { itemId: 'i', action: { type: 'command', source: 'unifiedExec', command: 'ls', cwd: '/w' }, planned: { command: 'ls' } });
      return { verdict, status: notes.find((n) => n.method === 'item/autoApprovalReview/completed')?.params.review.status };
    }

    it('approves on a clear allow', async () => {
      const { verdict, status } = await review(textReply('{"outcome":"allow","risk_level":"low","user_authorization":"high","rationale":"fine"}'));
      assert.deepEqual(verdict, { approved: true });
      assert.equal(status, 'approved');
    });

    it('denies when the reviewer does not answer in time', async () => {
      const { verdict, status } = await review({ events: [{ type: 'response.created', response: {} }], hang: true }, { timeoutMs: 200 });
      assert.equal(verdict.approved, false);
      assert.equal(status, 'timedOut');
    });

    it('denies when the stream breaks off', async () => {
      const { verdict, status } = await review({ ...textReply('{"outcome":"allow","risk_level":"low"}'), cutAfter: 2 });
      assert.equal(verdict.approved, false);
      assert.equal(status, 'denied');
    });

    it('denies an interrupted review even if the answer was allow', async () => {
      const controller = new AbortController();
      controller.abort(new Error('interrupted'));
      const { verdict, status } = await review(textReply('{"outcome":"allow","risk_level":"low"}'), { signal: controller.signal });
      assert.equal(verdict.approved, false);
      assert.equal(status, 'aborted');
    });
  });
});
