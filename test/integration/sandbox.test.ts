// The Linux sandbox against real bubblewrap: no reaching host sockets or the network, protected paths
// read-only whatever the mount order, credentials unreadable — and ordinary tools still working. bwrap
// missing is a failure here, not a skip: CI installs it.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SandboxPolicy } from '../../src/protocol';
import { detectSandbox, resetSandboxDetection, wrapCommand, type SandboxOptions, type SandboxSupport } from '../../src/core/exec/sandbox';

describe('integration: the Linux sandbox (bubblewrap + seccomp)', function () {
  if (process.platform !== 'linux') return;
  this.timeout(20_000);

  let support: SandboxSupport;
  let base: string;
  let parent: string;
  let workspace: string;
  let outside: string;
  const savedCodexHome = process.env.CODEX_HOME;

  const policy = (extra: Partial<Extract<SandboxPolicy, { type: 'workspaceWrite' }>> = {}): SandboxPolicy => ({
    type: 'workspaceWrite',
    writableRoots: [parent],
    networkAccess: false,
    excludeSlashTmp: true,
    excludeTmpdirEnvVar: true,
    ...extra,
  });

  const run = (script: string, sandbox: SandboxPolicy = policy(), options: SandboxOptions = {}) => {
    const wrapped = wrapCommand(['/bin/sh', '-c', script], sandbox, workspace, support, options);
    assert.ok(wrapped.sandboxed);
    const result = spawnSync(wrapped.argv[0]!, wrapped.argv.slice(1), { cwd: workspace, encoding: 'utf8', timeout: 10_000, env: { PATH: process.env.PATH ?? '', HOME: os.homedir() } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const node = (code: string) => `'${process.execPath}' -e '${code.replace(/'/g, `'\\''`)}'`;
  /** For each file: W when the sandbox could write it, R when it could not. */
  const probeWrites = (files: string[], sandbox?: SandboxPolicy, options?: SandboxOptions) =>
    run(files.map((f) => `if (echo planted >> '${f}') 2>/dev/null; then echo "W ${f}"; else echo "R ${f}"; fi`).join('; '), sandbox, options).stdout.trim().split('\n');

  before(() => {
    resetSandboxDetection();
    support = detectSandbox();
    assert.equal(support.kind, 'bwrap', `bubblewrap with a seccomp filter must work here: ${JSON.stringify(support)}`);
  });

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sbx-')));
    parent = path.join(base, 'parent');
    workspace = path.join(parent, 'workspace');
    outside = path.join(base, 'outside');
    fs.mkdirSync(workspace, { recursive: true });
    fs.mkdirSync(outside);
    execFileSync('git', ['init', '-q', workspace]);
    process.env.CODEX_HOME = path.join(base, 'codex-home');
  });

  afterEach(() => {
    fs.rmSync(base, { recursive: true, force: true });
    if (savedCodexHome === undefined) delete process.env.CODEX_HOME;
    else process.env.CODEX_HOME = savedCodexHome;
  });

  describe('network', () => {
    let unixServer: net.Server;
    let tcpServer: net.Server;
    let socketPath: string;
    let tcpPort: number;

    beforeEach(async () => {
      socketPath = path.join(outside, 'host.sock');
      unixServer = net.createServer((s) => s.end());
      tcpServer = net.createServer((s) => s.end());
      await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
      await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
      tcpPort = (tcpServer.address() as net.AddressInfo).port;
    });
    afterEach(() => {
      unixServer.close();
      tcpServer.close();
    });

    // connect() completes in the kernel's backlog, so the test's blocked event loop does not matter.
    const connect = (target: string) => node(`require("net").connect(${target}).on("connect", () => { console.log("CONNECTED"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(3); })`);

    it('refuses connect() to a host unix socket and to a 127.0.0.1 listener; allows it with networkAccess', () => {
      assert.equal(run(connect(JSON.stringify(socketPath))).stdout.trim(), 'EPERM');
      assert.equal(run(connect(`${tcpPort}, "127.0.0.1"`)).stdout.trim(), 'EPERM');
      assert.equal(run(connect(JSON.stringify(socketPath)), policy({ networkAccess: true })).stdout.trim(), 'CONNECTED');
      assert.equal(run(connect(`${tcpPort}, "127.0.0.1"`), policy({ networkAccess: true })).stdout.trim(), 'CONNECTED');
    });

    it('refuses unix datagram sockets, so nothing can name a host datagram socket (sendto/sendmsg)', async () => {
      const dgram = path.join(outside, 'dgram.sock');
      // perl is in perl-base (Essential on Debian/Ubuntu); node cannot open unix datagram sockets.
      const receiver = spawn('perl', ['-MSocket', '-e', 'socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die; bind($s, pack_sockaddr_un($ARGV[0])) or die; $SIG{ALRM} = sub { print "TIMEOUT\\n"; exit 0 }; alarm 5; recv($s, my $m, 100, 0); print "GOT $m\\n"', dgram]);
      let received = '';
      receiver.stdout.on('data', (d: Buffer) => (received += d.toString()));
      const exited = new Promise((resolve) => receiver.on('exit', resolve));
      for (let i = 0; i < 100 && !fs.existsSync(dgram); i++) await new Promise((r) => setTimeout(r, 20));
      const send = (text: string) => `perl -MSocket -e 'socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\\n"; send($s, "${text}", 0, pack_sockaddr_un($ARGV[0])) or die "send: $!\\n"' '${dgram}'`;
      const denied = run(send('sandboxed'));
      assert.notEqual(denied.status, 0);
      assert.match(denied.stderr, /socket: Operation not permitted/);
      const pair = run(`perl -MSocket -e 'socketpair(my $a, my $b, AF_UNIX, SOCK_DGRAM, 0) or die "socketpair: $!\\n"'`);
      assert.match(pair.stderr, /socketpair: Operation not permitted/);
      // The same sender with network allowed reaches the receiver: the check above can fail.
      assert.equal(run(send('networked'), policy({ networkAccess: true })).status, 0);
      await exited;
      assert.equal(received.trim(), 'GOT networked');
    });

    it('keeps pipes, git, ls | head and child_process pipes working', () => {
      fs.writeFileSync(path.join(workspace, 'a.txt'), 'a\n');
      const script = [
        'ls / | head -2 | wc -l',
        'git status --short',
        'echo hi | cat | tr a-z A-Z',
        node('const c = require("child_process").spawn("cat", { stdio: ["pipe", "pipe", "inherit"] }); let out = ""; c.stdout.on("data", (d) => (out += d)); c.on("close", () => console.log("child:" + out)); c.stdin.end("piped")'),
        node('console.log("sync:" + require("child_process").execFileSync("sh", ["-c", "echo $((6*7))"]).toString().trim())'),
        // spawnSync hands out socketpairs for stdio: node must still see its stdout as a usable stream.
        node('process.stdout.write("socket stdout:" + require("fs").fstatSync(1).isSocket() + "\\n")'),
      ].join('; ');
      const result = run(script);
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.deepEqual(lines, ['2', '?? a.txt', 'HI', 'child:piped', 'sync:42', 'socket stdout:true']);
    });
  });

  describe('protected paths', () => {
    it('keeps the workspace .git read-only when a writable root contains the workspace', () => {
      fs.mkdirSync(path.join(workspace, '.tandem'));
      fs.mkdirSync(path.join(workspace, '.codex'));
      execFileSync('git', ['init', '-q', path.join(workspace, 'sub')]);
      const config = fs.readFileSync(path.join(workspace, '.git', 'config'), 'utf8');
      const files = ['.git/config', '.git/hooks/x', '.tandem/config.toml', '.codex/config.toml', 'sub/.git/config', 'file', 'sub/file'].map((f) => path.join(workspace, f));
      assert.deepEqual(probeWrites(files), [...files.slice(0, 5).map((f) => `R ${f}`), ...files.slice(5).map((f) => `W ${f}`)]);
      // A protected folder is a mount point inside: it can be neither renamed nor removed.
      const moved = run(`mv .git gone 2>&1 || echo refused; rm -rf .git 2>/dev/null; ls -d .git`);
      assert.match(moved.stdout, /refused/);
      assert.match(moved.stdout, /^\.git$/m);
      assert.equal(fs.readFileSync(path.join(workspace, '.git', 'config'), 'utf8'), config);
      assert.equal(fs.readFileSync(path.join(workspace, 'file'), 'utf8'), 'planted\n');
    });

    it('protects through a symlinked writable root and follows a .git file to its git dir', () => {
      fs.symlinkSync(parent, path.join(base, 'link'));
      fs.mkdirSync(path.join(parent, 'gitdirs'));
      execFileSync('git', ['init', '-q', `--separate-git-dir=${path.join(parent, 'gitdirs', 'other')}`, path.join(parent, 'other')]);
      const files = [path.join(workspace, '.git', 'config'), path.join(parent, 'gitdirs', 'other', 'config'), path.join(parent, 'other', '.git'), path.join(parent, 'other', 'file')];
      const sandbox = policy({ writableRoots: [path.join(base, 'link')] });
      assert.deepEqual(probeWrites(files, sandbox), ['R', 'R', 'R', 'W'].map((m, i) => `${m} ${files[i]}`));
    });

    it("keeps Tandem's home read-only when it lies inside the workspace", () => {
      const home = path.join(workspace, 'tandem-home');
      fs.mkdirSync(home);
      fs.writeFileSync(path.join(home, 'config.toml'), 'approval_policy = "on-request"\n');
      const files = [path.join(home, 'config.toml'), path.join(home, 'new.toml'), path.join(workspace, 'other.txt')];
      assert.deepEqual(probeWrites(files, policy(), { home }), [`R ${files[0]}`, `R ${files[1]}`, `W ${files[2]}`]);
      assert.equal(fs.readFileSync(path.join(home, 'config.toml'), 'utf8'), 'approval_policy = "on-request"\n');
    });

    it('hides auth.json of the Tandem and Codex homes inside the sandbox', () => {
      const home = path.join(outside, 'home');
      const codexHome = process.env.CODEX_HOME!;
      for (const dir of [home, codexHome]) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'auth.json'), '{"OPENAI_API_KEY":"sk-SECRET"}\n');
      }
      const result = run(`cat '${path.join(home, 'auth.json')}' '${path.join(codexHome, 'auth.json')}'; echo "exit $?"`, policy(), { home });
      // Both homes are replaced by an empty read-only folder inside.
      assert.doesNotMatch(result.stdout + result.stderr, /SECRET/);
      assert.match(result.stdout, /exit 1/);
      assert.equal(result.stderr.match(/auth\.json: No such file or directory/g)?.length, 2, result.stderr);
      // Also with /tmp writable and a read-only policy.
      assert.doesNotMatch(run(`cat '${path.join(home, 'auth.json')}'`, { type: 'readOnly' }, { home }).stdout, /SECRET/);
      assert.match(fs.readFileSync(path.join(home, 'auth.json'), 'utf8'), /SECRET/);
    });

    it('masks auth.json by file when the workspace lies inside the home, and keeps the home read-only', () => {
      const home = path.join(workspace, 'home');
      fs.mkdirSync(home);
      fs.writeFileSync(path.join(home, 'auth.json'), '{"OPENAI_API_KEY":"sk-SECRET"}\n');
      const result = run(`cat '${path.join(home, 'auth.json')}'; echo x > '${path.join(home, 'config.toml')}'`, policy(), { home, workdir: workspace });
      assert.doesNotMatch(result.stdout + result.stderr, /SECRET/);
      assert.ok(!fs.existsSync(path.join(home, 'config.toml')));
    });

    /**
     * Starts a sandboxed command that waits for a marker and then prints `home/auth.json`; meanwhile the
     * host refreshes that file the way a sign-in does (a temp file renamed over it). Returns what it printed.
     */
    async function readAfterRefresh(home: string, sandbox: SandboxPolicy, cwd: string, options: SandboxOptions, before = ''): Promise<string> {
      fs.writeFileSync(path.join(home, 'auth.json'), '{"token":"OLD-SECRET"}\n');
      const marker = path.join(cwd, 'refreshed');
      const script = `${before}while [ ! -e '${marker}' ]; do sleep 0.05; done; cat '${path.join(home, 'auth.json')}' 2>&1; echo end`;
      const wrapped = wrapCommand(['/bin/sh', '-c', script], sandbox, cwd, support, options);
      const child = spawn(wrapped.argv[0]!, wrapped.argv.slice(1), { cwd });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise((r) => setTimeout(r, 300));
      fs.writeFileSync(path.join(home, 'auth.json.tmp'), '{"token":"REFRESHED-SECRET"}\n');
      fs.renameSync(path.join(home, 'auth.json.tmp'), path.join(home, 'auth.json'));
      fs.writeFileSync(marker, '');
      await new Promise((r) => child.once('exit', r));
      return out;
    }

    it('keeps a rewritten credential file hidden from a sandbox that was already running (a token refresh renames)', async () => {
      const home = path.join(outside, 'home');
      fs.mkdirSync(home);
      const out = await readAfterRefresh(home, policy(), workspace, { home });
      assert.match(out, /end/);
      assert.doesNotMatch(out, /SECRET/);
    });

    it('hides a credential home even when the thread works inside it, and keeps a token refresh unseen', async () => {
      const codexHome = process.env.CODEX_HOME!;
      const repo = path.join(codexHome, 'worktrees', 'abc', 'repo');
      fs.mkdirSync(repo, { recursive: true });
      const sandbox: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
      const out = await readAfterRefresh(codexHome, sandbox, repo, {}, 'echo ok > inside.txt; ');
      assert.match(out, /end/);
      assert.doesNotMatch(out, /SECRET/);
      assert.equal(fs.readFileSync(path.join(repo, 'inside.txt'), 'utf8'), 'ok\n', 'the thread folder inside the home still works');
    });

    it('ends the sandboxed command when Tandem itself is killed outright', async () => {
      const tag = `${Date.now() % 100000}.${process.pid % 1000}`;
      const driver = [
        `const { wrapCommand, detectSandbox } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'core', 'exec', 'sandbox.ts'))});`,
        `const w = wrapCommand(['/bin/sh', '-c', 'exec sleep ${tag}'], { type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true }, ${JSON.stringify(workspace)}, detectSandbox());`,
        `require('child_process').spawn(w.argv[0], w.argv.slice(1), { stdio: 'ignore', detached: true });`,
        `console.log('started'); setInterval(() => {}, 1000);`,
      ].join('\n');
      const parentProcess = spawn(process.execPath, ['--import', 'tsx', '-e', driver], { cwd: path.join(__dirname, '..', '..') });
      await new Promise<void>((resolve) => parentProcess.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve()));
      const running = () => spawnSync('pgrep', ['-f', `sleep ${tag}`]).status === 0;
      for (let i = 0; i < 50 && !running(); i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.ok(running(), 'the sandboxed command started');
      parentProcess.kill('SIGKILL');
      for (let i = 0; i < 50 && running(); i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.ok(!running(), 'nothing of the sandbox outlives Tandem');
    });

    it('makes every folder above a protected one a mount point: moving a parent aside is refused', () => {
      execFileSync('git', ['init', '-q', path.join(workspace, 'sub')]);
      // The whole base is writable, so the workspace's own parents are inside a writable root too.
      const sandbox = policy({ writableRoots: [base] });
      const result = run(
        [`mv sub sub-old 2>/dev/null && echo MOVED-SUB`, `mv '${parent}' '${parent}-old' 2>/dev/null && echo MOVED-PARENT`, `mv '${workspace}' '${workspace}-old' 2>/dev/null && echo MOVED-WS`, 'echo done'].join('; '),
        sandbox,
      );
      assert.equal(result.stdout.trim(), 'done', result.stdout);
      assert.ok(fs.existsSync(path.join(workspace, 'sub', '.git', 'config')));
    });

    it('feeds the filter without a file and leaves stdin to the command', () => {
      const wrapped = wrapCommand(['/bin/sh', '-c', 'cat; grep -E "^Seccomp:" /proc/self/status'], policy(), workspace, support);
      assert.ok(!wrapped.argv.some((a) => a.includes('tandem-seccomp') || a.endsWith('.bpf')), 'no filter file to swap');
      const result = spawnSync(wrapped.argv[0]!, wrapped.argv.slice(1), { cwd: workspace, input: 'from stdin\n', encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^from stdin\nSeccomp:\s+2$/m);
    });
  });
});
