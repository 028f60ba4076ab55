import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

/** A user home whose login profile greets, counts its runs, exports a variable, extends PATH and unsets one. */
function userHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-user-home-'));
  fs.mkdirSync(path.join(home, 'bin'));
  fs.writeFileSync(path.join(home, 'bin', 'mytool'), '#!/bin/sh\necho "mytool ran"\n', { mode: 0o755 });
  fs.writeFileSync(
    path.join(home, '.bash_profile'),
    'echo "welcome from the profile"\necho run >> "$HOME/runs" 2>/dev/null\nexport FROM_PROFILE="set by the profile"\nexport PATH="$HOME/bin:$PATH"\nunset DROP_ME\n',
  );
  return home;
}

const probe = 'echo "var=$FROM_PROFILE drop=${DROP_ME-unset}"; mytool';

describe('integration: login shell environment captured once per thread', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('runs the profile once for many commands, which see what it exported, without its greeting', async () => {
    const home = userHome();
    const { model, temp, server } = await fixture.boot({
      extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"',
      env: { HOME: home, SHELL: '/bin/bash', DROP_ME: 'present' },
    });
    model.enqueue(toolCallReply('exec_command', { cmd: probe }, 'c1'), toolCallReply('exec_command', { cmd: probe, tty: true }, 'c2'), textReply('one'));
    model.enqueue(toolCallReply('exec_command', { cmd: probe }, 'c3'), toolCallReply('exec_command', { cmd: 'echo "[$FROM_PROFILE]"', login: false }, 'c4'), textReply('two'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'first');
    await runTurn(server.client, threadId, 'second');
    for (const id of ['c1', 'c2', 'c3']) {
      const output = model.outputFor(id);
      assert.match(output, /var=set by the profile drop=unset/, id);
      assert.match(output, /mytool ran/, id);
      assert.doesNotMatch(output, /welcome from the profile/, id);
    }
    // login: false is a plain `-c` shell, as before: nothing from the profile.
    assert.match(model.outputFor('c4'), /\[\]/);
    assert.equal(fs.readFileSync(path.join(home, 'runs'), 'utf8'), 'run\n', 'one profile run for three login commands');
    // Clients still see the login invocation the command stands for.
    const commands = server.client.notifications('item/started').filter((m) => m.params.item.type === 'commandExecution').map((m) => m.params.item.command);
    assert.match(commands[0], /^\/bin\/bash -lc /);
    assert.match(commands[3], /^\/bin\/bash -c /);
  });

  it('captures the profile inside the sandbox of a sandboxed thread', async () => {
    const home = userHome();
    const { model, temp, server } = await fixture.boot({
      extraConfig: 'approval_policy = "never"\nsandbox_mode = "workspace-write"',
      env: { HOME: home, SHELL: '/bin/bash', DROP_ME: 'present' },
    });
    model.enqueue(toolCallReply('exec_command', { cmd: probe }, 'c1'), textReply('done'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'go');
    assert.match(model.outputFor('c1'), /var=set by the profile drop=unset/);
    // The profile could not write outside the workspace while it was captured.
    assert.equal(fs.existsSync(path.join(home, 'runs')), false);
  });
});
