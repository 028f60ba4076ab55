// The Vercel AI SDK's Codex provider in app-server mode, unmodified and with no version override, driving
// Tandem as it would drive `codex app-server`: text, streaming, multi-turn, resume in a new process,
// command approvals through its own handlers and autoApprove, and apply_patch writing the workspace.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply, usage } from '../support/fakeModel';
import { AiSdkHarness, loadAiSdk, MODEL, patchCallReply } from '../support/aiSdkProvider';

const PROVIDER = 'codex-app-server';

/** The provider's metadata for a call: the thread and turn it ran on. */
function codexMetadata(metadata: unknown): { threadId: string; turnId: string } {
  const found = (metadata as Record<string, { threadId?: unknown; turnId?: unknown }> | undefined)?.[PROVIDER];
  assert.ok(typeof found?.threadId === 'string' && typeof found.turnId === 'string', `no thread in ${JSON.stringify(metadata)}`);
  return { threadId: found.threadId, turnId: found.turnId };
}

type Part = { type: string; toolName?: string; output?: { type?: string } & Record<string, unknown> };
/** The item a provider-executed tool finished with: the provider hands on the app-server item itself. */
function finalItem(parts: readonly Part[], toolName: string): Record<string, unknown> {
  // Output deltas come as tool-results too, before the final one.
  const result = parts.find((p) => p.type === 'tool-result' && p.toolName === toolName && p.output?.type !== 'output-delta');
  assert.ok(result?.output, `no ${toolName} result in ${parts.map((p) => p.type).join(', ')}`);
  return result.output;
}

describe('integration: the AI SDK Codex provider (app-server mode) against Tandem', function () {
  this.timeout(60_000);
  let harness: AiSdkHarness;
  let generateText: Awaited<ReturnType<typeof loadAiSdk>>['ai']['generateText'];
  let streamText: Awaited<ReturnType<typeof loadAiSdk>>['ai']['streamText'];
  before(async () => ({ generateText, streamText } = (await loadAiSdk()).ai));
  beforeEach(async () => (harness = await AiSdkHarness.start()));
  afterEach(async () => {
    const complaints = harness.complaints;
    await harness.close();
    assert.deepEqual(complaints, [], 'the provider accepted every message Tandem sent');
  });

  it('generateText: one stateless turn on an ephemeral thread, with usage and finish reason', async () => {
    harness.model.enqueue(textReply('Hello from Tandem.', { tokens: usage(42, 7) }));
    const result = await generateText({ model: harness.provider()(MODEL), prompt: 'Say hello.' });

    assert.equal(result.text, 'Hello from Tandem.');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage.inputTokens, 42);
    assert.equal(result.usage.outputTokens, 7);
    codexMetadata(result.finalStep.providerMetadata);
    assert.equal(harness.model.requests.length, 1);
    assert.equal(harness.model.requests[0]!.body.model, MODEL);
    assert.equal(harness.inputOf(0).at(-1), 'user: User: Say hello.', 'the prompt reaches the model as the provider framed it');
    assert.deepEqual(harness.rollouts(), [], 'a stateless call leaves no thread behind');
  });

  it('structured output: the schema reaches the model as a strict JSON format and the JSON comes back as the object', async () => {
    const { ai } = await loadAiSdk();
    harness.model.enqueue(textReply('{"city":"Lisbon","population":545000}'));
    const schema = ai.jsonSchema<{ city: string; population: number }>({
      type: 'object',
      properties: { city: { type: 'string' }, population: { type: 'number' } },
      required: ['city', 'population'],
      additionalProperties: false,
    });
    const result = await generateText({ model: harness.provider()(MODEL), output: ai.Output.object({ schema }), prompt: 'The capital of Portugal and its population.' });
    assert.deepEqual(result.output, { city: 'Lisbon', population: 545000 });
    const format = (harness.model.requests[0]!.body.text as { format?: { type: string; strict: boolean; schema: { required?: string[] } } } | undefined)?.format;
    assert.equal(format?.type, 'json_schema');
    assert.equal(format?.strict, true);
    assert.deepEqual(format?.schema.required, ['city', 'population']);
  });

  it('streamText: the deltas arrive as separate chunks, in order, then the finish', async () => {
    harness.model.enqueue(textReply('one two three', { chunks: 3, delayMs: 30 }));
    const result = streamText({ model: harness.provider()(MODEL), prompt: 'Count.' });
    const seen: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') seen.push(`delta:${part.text}`);
      else if (['text-start', 'text-end', 'finish'].includes(part.type)) seen.push(part.type);
      else if (part.type === 'error') throw part.error;
    }
    assert.deepEqual(seen, ['text-start', 'delta:one t', 'delta:wo th', 'delta:ree', 'text-end', 'finish']);
    assert.equal(await result.text, 'one two three');
  });

  it('multi-turn: a persistent thread carries the first turn into the second request', async () => {
    const model = harness.provider()(MODEL, { threadMode: 'persistent' });
    harness.model.enqueue(textReply('The codeword is heron.'), textReply('You asked me for the codeword.'));
    const first = await generateText({ model, prompt: 'Pick a codeword.' });
    const second = await generateText({ model, prompt: 'What did I ask you?' });

    assert.equal(first.text, 'The codeword is heron.');
    assert.equal(second.text, 'You asked me for the codeword.');
    const thread = codexMetadata(first.finalStep.providerMetadata);
    const next = codexMetadata(second.finalStep.providerMetadata);
    assert.equal(next.threadId, thread.threadId, 'both turns ran on one thread');
    assert.notEqual(next.turnId, thread.turnId);
    assert.deepEqual(harness.inputOf(1).slice(-3), ['user: User: Pick a codeword.', 'assistant: The codeword is heron.', 'user: What did I ask you?']);
    assert.equal(harness.rollouts().length, 1, 'a persistent thread is saved');
  });

  it('resume: a new app-server process continues a saved thread by its id', async () => {
    harness.model.enqueue(textReply('Noted: the build is green.'), textReply('It was green.'));
    const first = await generateText({ model: harness.provider()(MODEL, { threadMode: 'persistent' }), prompt: 'Remember: the build is green.' });
    const { threadId } = codexMetadata(first.finalStep.providerMetadata);
    await harness.closeProviders();

    const resumed = await generateText({
      model: harness.provider()(MODEL),
      prompt: 'What colour was the build?',
      providerOptions: { [PROVIDER]: { threadId } },
    });
    assert.equal(resumed.text, 'It was green.');
    assert.equal(codexMetadata(resumed.finalStep.providerMetadata).threadId, threadId);
    assert.deepEqual(harness.inputOf(1).slice(-3), ['user: User: Remember: the build is green.', 'assistant: Noted: the build is green.', 'user: What colour was the build?']);
    assert.equal(harness.rollouts().length, 1, 'the same rollout was continued');

    const unknown = '01a22e8e-0000-7000-8000-000000000000';
    await assert.rejects(generateText({ model: harness.provider()(MODEL), prompt: 'hello?', providerOptions: { [PROVIDER]: { threadId: unknown } } }), new RegExp(unknown));
    assert.equal(harness.model.requests.length, 2);
  });

  it('approvals: the provider handler accepts one command and declines the next; the model sees both outcomes', async () => {
    const asked: Array<{ command?: string | null; cwd?: string | null }> = [];
    const decisions = ['accept', 'decline'];
    const provider = harness.provider({
      approvalPolicy: 'untrusted',
      serverRequests: {
        onCommandExecutionApproval: async (request) => {
          asked.push(request.params);
          return { decision: decisions[asked.length - 1] as 'accept' | 'decline' };
        },
      },
    });
    harness.model.enqueue(toolCallReply('exec_command', { cmd: 'touch accepted.txt && echo made it' }, 'a1'), textReply('Created it.'));
    const accepted = await generateText({ model: provider(MODEL), prompt: 'Create accepted.txt.' });

    assert.equal(accepted.text, 'Created it.');
    assert.match(asked[0]?.command ?? '', /touch accepted\.txt && echo made it/);
    assert.equal(fs.realpathSync(asked[0]?.cwd ?? '.'), fs.realpathSync(harness.temp.workspace));
    assert.ok(fs.existsSync(path.join(harness.temp.workspace, 'accepted.txt')));
    assert.match(harness.model.outputFor('a1'), /Process exited with code 0[\s\S]*made it/);
    const parts = accepted.content as Part[];
    assert.ok(parts.some((p) => p.type === 'tool-approval-request'), 'the approval is surfaced as a stream part');
    assert.equal(finalItem(parts, 'exec').status, 'completed');

    harness.model.enqueue(toolCallReply('exec_command', { cmd: 'touch declined.txt' }, 'd1'), textReply('I will not.'));
    const declined = streamText({ model: provider(MODEL), prompt: 'Create declined.txt.' });
    const streamed: Part[] = [];
    for await (const part of declined.fullStream) streamed.push(part as Part);
    assert.equal(await declined.text, 'I will not.');
    assert.equal(asked.length, 2);
    assert.equal(fs.existsSync(path.join(harness.temp.workspace, 'declined.txt')), false);
    assert.match(harness.model.outputFor('d1'), /declined/);
    const order = streamed.map((p) => p.type);
    assert.ok(order.indexOf('tool-call') < order.indexOf('tool-approval-request') && order.indexOf('tool-approval-request') < order.indexOf('tool-result'));
    assert.equal(finalItem(streamed, 'exec').status, 'declined');
  });

  it('approvals: autoApprove answers the request itself when no handler is given', async () => {
    const provider = harness.provider({ approvalPolicy: 'untrusted', autoApprove: true });
    harness.model.enqueue(toolCallReply('exec_command', { cmd: 'echo auto > auto.txt' }, 'x1'), textReply('Done.'));
    const result = await generateText({ model: provider(MODEL), prompt: 'Write auto.txt.' });
    assert.equal(result.text, 'Done.');
    assert.equal(fs.readFileSync(path.join(harness.temp.workspace, 'auto.txt'), 'utf8'), 'auto\n');
    assert.match(harness.model.outputFor('x1'), /Process exited with code 0/);
  });

  it('apply_patch: updates and adds files in the workspace, reported as a patch tool call', async () => {
    fs.writeFileSync(path.join(harness.temp.workspace, 'notes.txt'), 'alpha\nbeta\n');
    const patch = patchOf('*** Update File: notes.txt', '@@', ' alpha', '-beta', '+BETA', '*** Add File: docs/new.md', '+# New');
    harness.model.enqueue(patchCallReply(patch, 'p1'), textReply('Patched.'));
    const result = await generateText({ model: harness.provider()(MODEL), prompt: 'Fix the notes.' });

    assert.equal(result.text, 'Patched.');
    assert.equal(fs.readFileSync(path.join(harness.temp.workspace, 'notes.txt'), 'utf8'), 'alpha\nBETA\n');
    assert.equal(fs.readFileSync(path.join(harness.temp.workspace, 'docs', 'new.md'), 'utf8'), '# New\n');
    assert.match(harness.model.outputFor('p1'), /Success\. Updated the following files:\nM notes\.txt\nA docs\/new\.md/);
    const parts = result.content as Part[];
    assert.ok(parts.some((p) => p.type === 'tool-call' && p.toolName === 'patch'));
    const item = finalItem(parts, 'patch') as { status: string; changes: Array<{ path: string; kind: { type: string } }> };
    assert.equal(item.status, 'completed');
    assert.deepEqual(
      item.changes.map((c) => [path.relative(harness.temp.workspace, c.path), c.kind.type]),
      [
        ['notes.txt', 'update'],
        ['docs/new.md', 'add'],
      ],
    );
  });

  it('apply_patch: a patch that needs approval waits for the provider file-change handler', async () => {
    const asked: string[] = [];
    const provider = harness.provider({
      approvalPolicy: 'untrusted',
      serverRequests: {
        onFileChangeApproval: async (request) => {
          asked.push(request.params.itemId);
          return { decision: asked.length === 1 ? 'accept' : 'decline' };
        },
      },
    });
    harness.model.enqueue(patchCallReply(patchOf('*** Add File: yes.txt', '+yes'), 'p1'), textReply('Added.'));
    harness.model.enqueue(patchCallReply(patchOf('*** Add File: no.txt', '+no'), 'p2'), textReply('Skipped.'));
    assert.equal((await generateText({ model: provider(MODEL), prompt: 'Add yes.txt.' })).text, 'Added.');
    assert.equal((await generateText({ model: provider(MODEL), prompt: 'Add no.txt.' })).text, 'Skipped.');

    assert.equal(asked.length, 2, 'each patch was asked about');
    assert.equal(fs.readFileSync(path.join(harness.temp.workspace, 'yes.txt'), 'utf8'), 'yes\n');
    assert.match(harness.model.outputFor('p1'), /Success\. Updated the following files:\nA yes\.txt/);
    assert.equal(fs.existsSync(path.join(harness.temp.workspace, 'no.txt')), false);
    assert.match(harness.model.outputFor('p2'), /rejected|declined/);
  });
});
