import { shellScriptOf } from '../../src/protocol/shellCommand';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

describe('integration: tools, approvals and the sandbox', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());
  const outputFor = (callId: string) => fixture.model.outputFor(callId);
  const answerNext = (method: string, result: unknown) => fixture.server.client.answerNext(method, result);

  it('runs exec_command with pipes, streaming output into a commandExecution item', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(toolCallReply('exec_command', { cmd: 'echo hello; echo oops >&2; exit 3' }, 'c1'), textReply('ran it'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'run it');
    assert.equal(done.params.turn.status, 'completed');
    const output = outputFor('c1');
    assert.match(output, /Process exited with code 3/);
    assert.match(output, /hello/);
    assert.match(output, /oops/);
    const item = server.client.notifications('item/completed').find((m) => m.params.item.type === 'commandExecution')!.params.item;
    assert.equal(item.status, 'failed');
    assert.equal(item.exitCode, 3);
    assert.equal(item.cwd, temp.workspace);
    assert.match(item.aggregatedOutput, /hello/);
    const deltas = server.client.notifications('item/commandExecution/outputDelta').map((m) => m.params.delta).join('');
    assert.match(deltas, /hello/);
  });

  it('runs a command only once its call and its item are on disk (write-ahead)', async () => {
    const { model, temp, server } = await fixture.boot();
    // Unsandboxed: the sandbox does not show a command Tandem's home.
    const started = await server.client.request('thread/start', { cwd: temp.workspace, sandbox: 'danger-full-access', approvalPolicy: 'never' });
    const rollout: string = started.result.thread.path;
    // The command reads the thread's rollout as it runs: what a crash at that moment would leave.
    model.enqueue(toolCallReply('exec_command', { cmd: `cat '${rollout}'` }, 'c1'), textReply('read it'));
    await runTurn(server.client, started.result.thread.id, 'read your own record');
    const records = outputFor('c1').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown> });
    assert.ok(records.some((r) => r.type === 'response_item' && r.payload.type === 'function_call' && r.payload.call_id === 'c1'), 'the call is on disk');
    assert.ok(records.some((r) => r.type === 'event_msg' && r.payload.type === 'item_started' && (r.payload.item as { id?: string }).id === 'c1'), 'its item is on disk');
  });

  it('runs exec_command in a pseudo-terminal when asked', async () => {
    const { model, temp, server } = await fixture.boot();
    const probe = 'if [ -t 0 ] && [ -t 1 ]; then echo "on a terminal"; else echo "on pipes"; fi';
    model.enqueue(toolCallReply('exec_command', { cmd: probe, tty: true }, 'c1'), toolCallReply('exec_command', { cmd: probe }, 'c2'), textReply('done'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'which tty?');
    assert.match(outputFor('c1'), /on a terminal/);
    assert.match(outputFor('c2'), /on pipes/);
  });

  it('keeps a process running and talks to it with write_stdin', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(
      toolCallReply('exec_command', { cmd: 'while read line; do echo "got:$line"; done', yield_time_ms: 300 }, 'c1'),
      toolCallReply('write_stdin', { session_id: 1, chars: 'ping\n', yield_time_ms: 500 }, 'c2'),
      toolCallReply('write_stdin', { session_id: 99, chars: 'x' }, 'c3'),
      textReply('talked to it'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'start a loop');
    assert.match(outputFor('c1'), /Process running with session ID 1/);
    assert.match(outputFor('c2'), /got:ping/);
    assert.match(outputFor('c3'), /Unknown session ID 99/);
  });

  it('applies a patch: fileChange item, turn diff, files on disk', async () => {
    const { model, temp, server } = await fixture.boot();
    fs.writeFileSync(path.join(temp.workspace, 'notes.txt'), 'alpha\nbeta\n');
    const patch = patchOf('*** Update File: notes.txt', '@@', ' alpha', '-beta', '+BETA', '*** Add File: new.md', '+# New');
    model.enqueue(toolCallReply('apply_patch', { input: patch }, 'p1'), textReply('patched'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'patch it');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'notes.txt'), 'utf8'), 'alpha\nBETA\n');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'new.md'), 'utf8'), '# New\n');
    assert.match(outputFor('p1'), /Success\. Updated the following files:\nM notes\.txt\nA new\.md/);
    const item = server.client.notifications('item/completed').find((m) => m.params.item.type === 'fileChange')!.params.item;
    assert.equal(item.status, 'completed');
    assert.deepEqual(item.changes.map((c: { kind: { type: string } }) => c.kind.type), ['update', 'add']);
    const diff = server.client.notifications('turn/diff/updated').at(-1)!.params.diff;
    assert.match(diff, /-beta\n\+BETA/);
    assert.match(diff, /\+# New/);
  });

  it('tells the model exactly which hunk failed and writes nothing', async () => {
    const { model, temp, server } = await fixture.boot();
    fs.writeFileSync(path.join(temp.workspace, 'a.txt'), 'one\n');
    const patch = patchOf('*** Update File: a.txt', '@@', '-one', '+ONE', '*** Update File: a.txt', '@@', '-missing', '+x');
    model.enqueue(toolCallReply('apply_patch', { input: patch }, 'p1'), textReply('will fix'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'patch it');
    assert.match(outputFor('p1'), /apply_patch verification failed: Failed to find expected lines in a\.txt:\nmissing/);
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'a.txt'), 'utf8'), 'one\n');
  });

  it('asks before commands under untrusted: accept, acceptForSession remembered, decline, cancel', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "untrusted"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });

    model.enqueue(toolCallReply('exec_command', { cmd: 'touch accepted.txt' }, 'a1'), textReply('ok'));
    const accepted = answerNext('item/commandExecution/requestApproval', { decision: 'accept' });
    await runTurn(server.client, threadId, 'one');
    const request = await accepted;
    // The invocation as it runs, quoted as codex sends it; clients show the script inside.
    assert.match(request.params.command, /^\/\S+sh -lc 'touch accepted.txt'$/);
    assert.equal(request.params.cwd, temp.workspace);
    assert.ok(Number.isInteger(request.id));
    assert.ok(fs.existsSync(path.join(temp.workspace, 'accepted.txt')));
    assert.ok(server.client.received.some((m) => m.method === 'serverRequest/resolved' && m.params.requestId === request.id));
    assert.ok(
      server.client.notifications('thread/status/changed').some((m) => m.params.status.type === 'active' && m.params.status.activeFlags.includes('waitingOnApproval')),
      'the thread said it was waiting on approval',
    );

    model.enqueue(toolCallReply('exec_command', { cmd: 'touch remembered.txt' }, 'b1'), textReply('ok'), toolCallReply('exec_command', { cmd: 'touch remembered.txt' }, 'b2'), textReply('ok'));
    const forSession = answerNext('item/commandExecution/requestApproval', { decision: 'acceptForSession' });
    await runTurn(server.client, threadId, 'two');
    await forSession;
    const before = server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval').length;
    await runTurn(server.client, threadId, 'three');
    assert.equal(server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval').length, before, 'the same command is not asked again');

    model.enqueue(toolCallReply('exec_command', { cmd: 'touch declined.txt' }, 'd1'), textReply('ok'));
    const declined = answerNext('item/commandExecution/requestApproval', { decision: 'decline' });
    await runTurn(server.client, threadId, 'four');
    await declined;
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'declined.txt')));
    assert.match(outputFor('d1'), /The user declined to run this command/);
    const declinedItem = server.client.notifications('item/completed').filter((m) => m.params.item.type === 'commandExecution').at(-1)!.params.item;
    assert.equal(declinedItem.status, 'declined');

    model.enqueue(toolCallReply('exec_command', { cmd: 'touch cancelled.txt' }, 'e1'));
    const cancelled = answerNext('item/commandExecution/requestApproval', { decision: 'cancel' });
    const done = await runTurn(server.client, threadId, 'five');
    await cancelled;
    assert.equal(done.params.turn.status, 'interrupted');
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'cancelled.txt')));

    // Read-only commands are asked too, as codex 0.169 asks under untrusted.
    model.enqueue(toolCallReply('exec_command', { cmd: 'ls' }, 'f1'), textReply('listed'));
    const listed = answerNext('item/commandExecution/requestApproval', { decision: 'accept' });
    await runTurn(server.client, threadId, 'six');
    assert.deepEqual((await listed).params.commandActions, [{ type: 'listFiles', command: 'ls', path: null }]);
  });

  it('asks before patches under untrusted, and a client error counts as decline', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "untrusted"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Add File: yes.txt', '+y') }, 'p1'), textReply('ok'));
    const accepted = answerNext('item/fileChange/requestApproval', { decision: 'accept' });
    await runTurn(server.client, threadId, 'add yes');
    await accepted;
    assert.ok(fs.existsSync(path.join(temp.workspace, 'yes.txt')));

    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Add File: no.txt', '+n') }, 'p2'), textReply('ok'));
    const request = server.client.waitFor((m) => m.method === 'item/fileChange/requestApproval' && !server.client.received.some((r) => r.method === 'serverRequest/resolved' && r.params.requestId === m.id));
    const turn = runTurn(server.client, threadId, 'add no');
    const pending = await request;
    server.client.send({ id: pending.id, error: { code: -32000, message: 'the dialog crashed' } });
    await turn;
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'no.txt')));
    assert.match(outputFor('p2'), /declined this patch/);
  });

  it('auto-approves patches inside the workspace under workspace-write and asks for one outside', async () => {
    const { model, temp, server } = await fixture.boot();
    const outside = fs.mkdtempSync(path.join(os.homedir(), '.tandem-outside-'));
    try {
      const threadId = await startThread(server.client, { cwd: temp.workspace });
      model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Add File: inside.txt', '+i') }, 'p1'), textReply('ok'));
      await runTurn(server.client, threadId, 'inside');
      assert.ok(fs.existsSync(path.join(temp.workspace, 'inside.txt')));
      assert.equal(server.client.received.filter((m) => m.method === 'item/fileChange/requestApproval').length, 0);

      const target = path.join(outside, 'x.txt');
      model.enqueue(toolCallReply('apply_patch', { input: patchOf(`*** Add File: ${target}`, '+x') }, 'p2'), textReply('ok'));
      const declined = answerNext('item/fileChange/requestApproval', { decision: 'decline' });
      await runTurn(server.client, threadId, 'outside');
      const request = await declined;
      assert.match(request.params.reason, /outside the workspace/);
      assert.ok(!fs.existsSync(target));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('sandboxes commands with bubblewrap: no writes outside the workspace, no network', async () => {
    const { model, temp, server } = await fixture.boot();
    const outside = path.join(os.homedir(), `.tandem-sandbox-probe-${process.pid}-${Date.now()}`);
    const listener = net.createServer((socket) => socket.end('hello\n'));
    let connections = 0;
    listener.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      const threadId = await startThread(server.client, { cwd: temp.workspace });
      model.enqueue(
        toolCallReply('exec_command', { cmd: `echo inside > inside.txt && echo ok` }, 's1'),
        toolCallReply('exec_command', { cmd: `echo outside > ${outside}` }, 's2'),
        toolCallReply('exec_command', { cmd: `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected` }, 's3'),
        textReply('done'),
      );
      const rerun = answerNext('item/commandExecution/requestApproval', { decision: 'decline' });
      // The refused connection looks like a sandbox denial too, so a rerun outside it is offered again.
      const networkRerun = rerun.then(() => answerNext('item/commandExecution/requestApproval', { decision: 'decline' }));
      await runTurn(server.client, threadId, 'try the sandbox');
      assert.equal(shellScriptOf((await networkRerun).params.command), `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`);
      assert.ok(fs.existsSync(path.join(temp.workspace, 'inside.txt')), 'writes inside the workspace work');
      assert.ok(!fs.existsSync(outside), 'the write outside the workspace was blocked');
      assert.match(outputFor('s2'), /Read-only file system/);
      assert.match((await rerun).params.reason, /failed inside the sandbox/);
      assert.doesNotMatch(outputFor('s3'), /connected/);
      assert.equal(connections, 0, 'no connection left the sandbox');
    } finally {
      listener.close();
      fs.rmSync(outside, { force: true });
    }
  });

  it('offers apply_patch as a freeform tool to models that take custom tools', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace, model: 'gpt-5.5' });
    const patch = patchOf('*** Add File: free.txt', '+freeform');
    model.enqueue(
      {
        events: [
          { type: 'response.created', response: {} },
          { type: 'response.output_item.added', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: '', call_id: 'f1' } },
          { type: 'response.output_item.done', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: patch, call_id: 'f1' } },
          { type: 'response.completed', response: { id: 'r1', usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } } },
        ],
      },
      textReply('done'),
    );
    await runTurn(server.client, threadId, 'freeform');
    const spec = model.requests[0]!.body.tools.find((t: { name: string }) => t.name === 'apply_patch');
    assert.equal(spec.type, 'custom');
    assert.equal(spec.format.syntax, 'lark');
    assert.ok(fs.existsSync(path.join(temp.workspace, 'free.txt')));
    const output = (model.requests[1]!.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.type === 'custom_tool_call_output')!;
    assert.equal(output.call_id, 'f1');
    assert.match(String(output.output), /A free\.txt/);
  });

  it('says once when no sandbox can run, and then asks before every command, known-safe ones too', async () => {
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-nobwrap-'));
    fs.writeFileSync(path.join(fakeBin, 'bwrap'), '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', { mode: 0o755 });
    const { model, temp, server } = await fixture.boot({ env: { PATH: `${fakeBin}:${process.env.PATH}` } });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'touch a.txt' }, 'n1'), toolCallReply('exec_command', { cmd: 'ls' }, 'n2'), toolCallReply('exec_command', { cmd: 'touch b.txt' }, 'n3'), textReply('ok'));
    let asked = 0;
    const answering = (async () => {
      while (asked < 3) {
        await answerNext('item/commandExecution/requestApproval', { decision: asked === 2 ? 'decline' : 'accept' });
        asked += 1;
      }
    })();
    await runTurn(server.client, threadId, 'no sandbox');
    await answering;
    const approvals = server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval');
    assert.deepEqual(approvals.map((m) => shellScriptOf(m.params.command)), ['touch a.txt', 'ls', 'touch b.txt'], 'without a sandbox every command is asked');
    assert.match(approvals[0]!.params.reason, /No sandbox is available.*full permissions/);
    assert.ok(fs.existsSync(path.join(temp.workspace, 'a.txt')), 'an approved command runs');
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'b.txt')), 'a declined one does not');
    const warnings = server.client.notifications('warning').filter((m) => /cannot be sandboxed/.test(m.params.message));
    assert.equal(warnings.length, 1, 'said once');
    assert.match(warnings[0]!.params.message, /bubblewrap cannot run here \(bwrap: No permissions to create new namespace\)/);
    assert.match(warnings[0]!.params.message, /install bubblewrap/);
  });

  it('counts a client error on a command approval as cancel', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "untrusted"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'touch never.txt' }, 'x1'));
    const request = server.client.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    const turn = runTurn(server.client, threadId, 'go');
    server.client.send({ id: (await request).id, error: { code: -32000, message: 'window closed' } });
    const done = await turn;
    assert.equal(done.params.turn.status, 'interrupted');
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'never.txt')));
  });

  it('records the plan with update_plan', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(
      toolCallReply('update_plan', { explanation: 'two steps', plan: [{ step: 'read', status: 'completed' }, { step: 'write', status: 'in_progress' }] }, 'u1'),
      textReply('planned'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'plan it');
    const plan = server.client.notifications('turn/plan/updated')[0]!.params;
    assert.deepEqual(plan.plan, [{ step: 'read', status: 'completed' }, { step: 'write', status: 'inProgress' }]);
    assert.equal(plan.explanation, 'two steps');
    assert.equal(outputFor('u1'), 'Plan updated');
  });
});
