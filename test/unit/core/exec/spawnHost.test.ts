import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { closeSpawnHost, startDirectly, startProgram, type ProgramExit, type StartedProgram } from '../../../../src/core/exec/spawnHost';
import { REPO_ROOT } from '../../../support/protocolClient';

interface Ran extends ProgramExit {
  stdout: Buffer;
  stderr: string;
}

function collect(start: (options: Parameters<typeof startProgram>[2]) => StartedProgram, input = ''): { program: StartedProgram; ran: Promise<Ran> } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const program = start({ cwd: os.tmpdir(), env: process.env, input, onStdout: (chunk) => out.push(chunk), onStderr: (chunk) => err.push(chunk) });
  return { program, ran: program.exit.then((exit) => ({ ...exit, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') })) };
}

const run = (command: string, args: string[], input = '') => collect((options) => startProgram(command, args, options), input).ran;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('core/exec/spawnHost', () => {
  afterEach(() => closeSpawnHost());

  it('starts programs from a separate small process, not by forking this one', async () => {
    const ran = await run('sh', ['-c', 'echo $PPID']);
    assert.equal(ran.code, 0);
    const parent = Number(ran.stdout.toString().trim());
    assert.notEqual(parent, process.pid, 'the program was forked from this process');
    const again = await run('sh', ['-c', 'echo $PPID']);
    assert.equal(Number(again.stdout.toString().trim()), parent, 'one host serves every run');
  });

  it('passes input, output, errors, exit codes, the directory and the environment', async () => {
    const echoed = await run('cat', [], 'line one\nline two\n');
    assert.deepEqual({ code: echoed.code, out: echoed.stdout.toString() }, { code: 0, out: 'line one\nline two\n' });
    const failed = await run('sh', ['-c', 'echo oops >&2; exit 3']);
    assert.deepEqual({ code: failed.code, err: failed.stderr, error: failed.error }, { code: 3, err: 'oops\n', error: undefined });
    const where = collect((options) => startProgram('sh', ['-c', 'pwd; echo "$SPAWN_HOST_TEST"'], { ...options, cwd: '/', env: { PATH: process.env.PATH, SPAWN_HOST_TEST: 'yes' } }));
    assert.equal((await where.ran).stdout.toString(), '/\nyes\n');
  });

  it('delivers a large output whole and in order', async () => {
    const bytes = 6 * 1024 * 1024;
    const ran = await run(process.execPath, ['-e', `const b = Buffer.alloc(${bytes}); for (let i = 0; i < b.length; i++) b[i] = i % 251; process.stdout.write(b);`]);
    assert.equal(ran.code, 0);
    assert.equal(ran.stdout.length, bytes);
    for (let i = 0; i < bytes; i += 4093) assert.equal(ran.stdout[i], i % 251, `byte ${i}`);
  });

  it('reports a missing program or directory as ENOENT, like a direct start', async () => {
    for (const start of [startProgram, startDirectly]) {
      const missing = await collect((options) => start('tandem-no-such-program', [], options)).ran;
      assert.equal(missing.error?.code, 'ENOENT');
      const nowhere = await collect((options) => start('sh', ['-c', 'true'], { ...options, cwd: path.join(os.tmpdir(), 'tandem-no-such-dir') })).ran;
      assert.equal(nowhere.error?.code, 'ENOENT');
    }
  });

  it('kills a program on request', async () => {
    const { program, ran } = collect((options) => startProgram('sleep', ['30'], options));
    setTimeout(() => program.kill(), 50);
    const exit = await ran;
    assert.equal(exit.signal, 'SIGKILL');
  });

  it('fails the runs of a host that dies and starts a new host for the next', async () => {
    const first = await run('sh', ['-c', 'echo $PPID']);
    const host = Number(first.stdout.toString().trim());
    assert.ok(host > 0 && host !== process.pid, `not a host: ${host}`);
    const { ran } = collect((options) => startProgram('sleep', ['30'], options));
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(host, 'SIGKILL');
    const cut = await ran;
    assert.match(cut.error?.message ?? '', /the process that starts programs stopped/);
    const next = await run('sh', ['-c', 'echo $PPID']);
    assert.equal(next.code, 0);
    assert.notEqual(Number(next.stdout.toString().trim()), host);
  });

  it('goes away with the process that started it, and takes its programs along', async function () {
    this.timeout(30_000);
    const script = [
      `const { startProgram } = require(${JSON.stringify(path.join(REPO_ROOT, 'src/core/exec/spawnHost.ts'))});`,
      `const p = startProgram('sh', ['-c', 'echo $PPID $$; exec sleep 30'], { cwd: '/', env: process.env, input: '', onStdout: (c) => { process.stdout.write(c); setTimeout(() => process.exit(0), 50); }, onStderr: () => {} });`,
    ].join('\n');
    const printed = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 });
    const [host, sleeper] = printed.trim().split(' ').map(Number) as [number, number];
    assert.ok(host > 0 && sleeper > 0, printed);
    assert.ok(await until(() => !alive(host), 5000), 'the host outlived its parent');
    assert.ok(await until(() => !alive(sleeper), 5000), 'the program outlived the host');
  });
});
