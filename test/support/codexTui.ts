// Drives OpenAI's codex TUI (the `@openai/codex` dev dependency) as a real remote client of a Tandem
// websocket server: the TUI runs in a private tmux server, the test types into it and reads its screen.
// Between the two sits a wire tap, a websocket proxy that records every frame and feeds what the server
// sends to the schema conformance check, so a failing test can say which method the TUI called and how it
// was answered.
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { textReply, type FakeModelServer } from './fakeModel';
import { messageObservers, REPO_ROOT, type WireMessage } from './protocolClient';

export const CODEX_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');

/** Why the TUI tests cannot run here, or undefined when they can. Only a missing tmux or codex skips. */
export function tuiSkipReason(): string | undefined {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'tmux is not installed (apt-get install tmux; .ci/run installs it)';
  }
  if (!fs.existsSync(CODEX_BIN)) return `the codex CLI is not installed at ${CODEX_BIN} (npm ci)`;
  return undefined;
}

export interface TuiOptions {
  /** The server the TUI connects to (`ws://127.0.0.1:PORT`). */
  url: string;
  /** The folder the TUI works in (`-C`). Trust it in the server's config, or the TUI asks first. */
  cwd: string;
  /** More arguments for `codex`, after `--remote URL -C CWD`. */
  args?: string[];
  columns?: number;
  rows?: number;
  /** More TOML for the TUI's own config.toml (its CODEX_HOME); most settings come from the server. */
  localConfig?: string;
}

const execTmux = (socket: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile('tmux', ['-S', socket, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(`tmux ${args[0]}: ${stderr || error.message}`)) : resolve(stdout))),
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * The codex TUI in a tmux pane of its own tmux server (its own socket, so it never touches the user's
 * tmux). Its CODEX_HOME and TMPDIR are under the repo's `.cache/` folder, not the system temp folder:
 * codex will not set up its sandbox helper in a home under the system temp folder.
 */
export class CodexTui {
  /** Every frame between the TUI and the server, in order. */
  readonly tap: WireTap;
  private closed = false;

  private constructor(
    private readonly socket: string,
    readonly dir: string,
    tap: WireTap,
  ) {
    this.tap = tap;
  }

  static async start(options: TuiOptions): Promise<CodexTui> {
    const cacheRoot = path.join(REPO_ROOT, '.cache', 'tui-test');
    fs.mkdirSync(cacheRoot, { recursive: true });
    const dir = fs.mkdtempSync(path.join(cacheRoot, 'run-'));
    const codexHome = path.join(dir, 'codex-home');
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(codexHome);
    fs.mkdirSync(tmp);
    // The TUI's own config: no one-time screen-reader question, no animation (a screen that never stops
    // changing), no paste-burst detection (typed text followed by Enter submits), and `cwd` trusted. The
    // TUI reads trust twice: from the server's config (whether to ask "Trust this folder?") and from its
    // own (which sandbox to ask for: read-only in a folder it does not trust), so the server's config must
    // trust `cwd` too.
    const tuiConfig = [
      'check_for_update_on_startup = false',
      '',
      '[tui]',
      'screen_reader_detection_done = true',
      'animations = false',
      'show_tooltips = false',
      'disable_paste_burst = true',
      '',
      `[projects.${JSON.stringify(options.cwd)}]`,
      'trust_level = "trusted"',
      '',
      options.localConfig ?? '',
    ];
    fs.writeFileSync(path.join(codexHome, 'config.toml'), tuiConfig.join('\n') + '\n');
    // The tmux server's options, from its own config file: a pane whose process exits stays, dead, so the
    // test can tell the TUI exited and still read its last screen.
    const tmuxConf = path.join(dir, 'tmux.conf');
    fs.writeFileSync(tmuxConf, 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n');
    const tap = await WireTap.start(options.url);
    // The socket in the system temp folder: a unix socket's path must stay short.
    const socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-tmux-')), 'sock');
    const env: Record<string, string> = { CODEX_HOME: codexHome, TMPDIR: tmp, TERM: 'xterm-256color', COLORTERM: 'truecolor' };
    const command = [
      'exec',
      'env',
      ...Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`),
      shellQuote(CODEX_BIN),
      '--remote',
      shellQuote(tap.url),
      '-C',
      shellQuote(options.cwd),
      ...(options.args ?? []).map(shellQuote),
    ].join(' ');
    const tui = new CodexTui(socket, dir, tap);
    try {
      await execTmux(socket, [
        '-f',
        tmuxConf,
        'new-session',
        '-d',
        '-s',
        'tui',
        '-x',
        String(options.columns ?? 200),
        '-y',
        String(options.rows ?? 50),
        '-c',
        options.cwd,
        command,
      ]);
    } catch (error) {
      await tui.close();
      throw error;
    }
    return tui;
  }

  /** The visible screen, as text. */
  async screen(): Promise<string> {
    return (await execTmux(this.socket, ['capture-pane', '-p', '-J', '-t', 'tui'])).replace(/\s+$/gm, '');
  }

  /**
   * The screen without its blank lines, for failure messages; with the last lines of the pane's history, so
   * that what the TUI printed as it exited (which may scroll off) is there too.
   */
  async compactScreen(): Promise<string> {
    return (await execTmux(this.socket, ['capture-pane', '-p', '-J', '-S', '-40', '-t', 'tui']))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .join('\n');
  }

  /** Whether the TUI process has exited, with its exit status. */
  async exitStatus(): Promise<{ exited: boolean; status?: number }> {
    const [dead, status] = (await execTmux(this.socket, ['display-message', '-p', '-t', 'tui', '#{pane_dead} #{pane_dead_status}'])).trim().split(' ');
    return dead === '1' ? { exited: true, status: status ? Number(status) : undefined } : { exited: false };
  }

  /** Polls the screen until `match` is on it; throws with the screen (and the wire) if it never is. */
  async waitFor(match: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000, label = String(match)): Promise<string> {
    const test = typeof match === 'function' ? match : typeof match === 'string' ? (s: string) => s.includes(match) : (s: string) => match.test(s);
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const screen = await this.screen();
      if (test(screen)) return screen;
      const { exited, status } = await this.exitStatus();
      if (exited) throw new Error(`the TUI exited (status ${status}) while waiting for ${label}; its last screen:\n${await this.compactScreen()}\n${this.tap.summary()}`);
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${label} on the TUI's screen:\n${await this.compactScreen()}\n${this.tap.summary()}`);
  }

  /** tmux key names: `Enter`, `Escape`, `BTab`, `C-c`, `Up`… */
  async keys(...keys: string[]): Promise<void> {
    await execTmux(this.socket, ['send-keys', '-t', 'tui', ...keys]);
  }

  /**
   * Types `text` literally, waits until it shows, and pauses, so that an Enter that follows submits.
   */
  async type(text: string): Promise<void> {
    await execTmux(this.socket, ['send-keys', '-t', 'tui', '-l', '--', text]);
    // The composer may space what it shows (`!ls` shows as `! ls` in shell mode).
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    await this.waitFor((screen) => squeeze(screen).includes(squeeze(text.split('\n').pop()!)), 5_000, `${JSON.stringify(text)} in the composer`);
    // Text fields other than the composer (the custom review prompt) still take an Enter that follows a
    // burst of keys closely as part of a paste, whatever the config says.
    await sleep(300);
  }

  /** Types a line and presses Enter. */
  async submit(text: string): Promise<void> {
    await this.type(text);
    await this.keys('Enter');
  }

  /** Fails (with the screen and the wire) if the TUI has exited. */
  async assertRunning(what: string): Promise<void> {
    const { exited, status } = await this.exitStatus();
    if (exited) throw new Error(`the TUI exited (status ${status}) after ${what}; its last screen:\n${await this.compactScreen()}\n${this.tap.summary()}`);
  }

  /** Kills the tmux server (and the TUI with it), closes the tap and removes the temp folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await execTmux(this.socket, ['kill-server']).catch(() => undefined);
    await this.tap.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(path.dirname(this.socket), { recursive: true, force: true });
  }
}

export interface TappedFrame {
  from: 'client' | 'server';
  message: WireMessage;
}

/**
 * A websocket proxy on 127.0.0.1 in front of `target`: each client connection gets its own upstream
 * connection; text frames pass through unchanged and are recorded. What the server sends is checked
 * against the codex schema (the root hooks' observers), as for every scripted client.
 */
export class WireTap {
  readonly frames: TappedFrame[] = [];
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<WireTap> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const tap = new WireTap(server, `ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (downstream, request) => tap.pipe(downstream, target, request.headers.authorization));
    return tap;
  }

  /** The requests the TUI sent, by method. */
  requests(method?: string): WireMessage[] {
    return this.frames.filter((f) => f.from === 'client' && f.message.method !== undefined && f.message.id !== undefined && (method === undefined || f.message.method === method)).map((f) => f.message);
  }

  /** The requests the server sent the TUI (approvals…), by method. */
  serverRequests(method?: string): WireMessage[] {
    return this.frames.filter((f) => f.from === 'server' && f.message.method !== undefined && f.message.id !== undefined && (method === undefined || f.message.method === method)).map((f) => f.message);
  }

  /** The response to a request the TUI sent. */
  responseTo(request: WireMessage): WireMessage | undefined {
    return this.frames.find((f) => f.from === 'server' && f.message.method === undefined && f.message.id === request.id)?.message;
  }

  /**
   * Waits until the TUI has sent a `method` request (after the first `after` frames) and the server has
   * answered it; resolves with the request and the answer.
   */
  async waitForAnswer(method: string, options: { after?: number; timeoutMs?: number } = {}): Promise<{ request: WireMessage; response: WireMessage }> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (true) {
      const request = this.frames.slice(options.after ?? 0).find((f) => f.from === 'client' && f.message.method === method && f.message.id !== undefined)?.message;
      const response = request && this.responseTo(request);
      if (request && response) return { request, response };
      if (Date.now() > deadline) throw new Error(request ? `the server did not answer ${method}\n${this.summary()}` : `the TUI did not send ${method}\n${this.summary()}`);
      await sleep(50);
    }
  }

  /** Waits until a notification `method` has passed (after the first `after` frames). */
  async waitForNotification(method: string, options: { after?: number; timeoutMs?: number } = {}): Promise<WireMessage> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (true) {
      const found = this.frames.slice(options.after ?? 0).find((f) => f.from === 'server' && f.message.method === method && f.message.id === undefined)?.message;
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${method} notification reached the TUI\n${this.summary()}`);
      await sleep(50);
    }
  }

  /** Waits until every request the TUI sent has its answer and nothing has passed for `quietMs`. */
  async quiet(quietMs = 300, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let count = -1;
    let since = Date.now();
    while (Date.now() < deadline) {
      if (this.frames.length !== count) {
        count = this.frames.length;
        since = Date.now();
      }
      const unanswered = this.requests().some((request) => !this.responseTo(request));
      if (!unanswered && Date.now() - since >= quietMs) return;
      await sleep(50);
    }
  }

  /** The TUI's requests (after the first `after` frames) that the server answered with an error: `method: message`. */
  errors(after = 0): string[] {
    const since = new Set(this.frames.slice(after).map((f) => f.message));
    return this.requests()
      .filter((request) => since.has(request))
      .map((request) => ({ request, response: this.responseTo(request) }))
      .filter(({ response }) => response?.error)
      .map(({ request, response }) => `${request.method}: ${response!.error!.message}`);
  }

  /** The methods the TUI called, and those that failed, for failure messages. */
  summary(): string {
    const methods = [...new Set(this.requests().map((r) => r.method))];
    const errors = this.errors();
    return `requests the TUI sent: ${methods.join(', ') || 'none'}\n${errors.length ? `answered with errors:\n  ${errors.join('\n  ')}` : 'none answered with an error'}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(downstream: WebSocket, target: string, authorization: string | undefined): void {
    const upstream = new WebSocket(target, authorization ? { headers: { authorization } } : {});
    this.sockets.add(downstream);
    this.sockets.add(upstream);
    const methods = new Map<string | number, string>();
    const queued: WebSocket.RawData[] = [];
    upstream.on('open', () => {
      for (const data of queued.splice(0)) upstream.send(data.toString('utf8'));
    });
    downstream.on('message', (data) => {
      const message = parse(data);
      if (message) {
        this.frames.push({ from: 'client', message });
        if (message.id !== undefined && message.method !== undefined) methods.set(message.id, message.method);
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data.toString('utf8'));
      else queued.push(data);
    });
    upstream.on('message', (data) => {
      const message = parse(data);
      if (message) {
        this.frames.push({ from: 'server', message });
        const requestMethod = message.method === undefined && message.id !== undefined ? methods.get(message.id) : undefined;
        for (const observe of messageObservers) observe(message, requestMethod);
      }
      if (downstream.readyState === WebSocket.OPEN) downstream.send(data.toString('utf8'));
    });
    const closeBoth = () => {
      if (downstream.readyState === WebSocket.OPEN) downstream.close();
      if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
      this.sockets.delete(downstream);
      this.sockets.delete(upstream);
    };
    downstream.on('close', closeBoth);
    upstream.on('close', closeBoth);
    downstream.on('error', closeBoth);
    upstream.on('error', closeBoth);
  }
}

function parse(data: WebSocket.RawData): WireMessage | undefined {
  try {
    return JSON.parse(data.toString('utf8')) as WireMessage;
  } catch {
    return undefined;
  }
}

/** The text of codex's title-generation prompt, which the TUI sends in a hidden thread after a first prompt. */
const TITLE_PROMPT = 'Generate a concise, single-line task title';

/**
 * The model provider the server is configured with: an HTTP front that forwards to the test's current fake
 * model, except the TUI's title-generation requests, which it answers itself. The TUI asks for a title in a
 * hidden thread alongside the first turn of a thread, and that request would otherwise race the turn's for
 * the fake model's next scripted reply. A test may swap `target` for a fresh fake model.
 */
export class ModelFront {
  target: FakeModelServer | undefined;
  titleRequests = 0;

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<ModelFront> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const front = new ModelFront(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    server.on('request', (req, res) => void front.handle(req, res));
    return front;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (body.toString('utf8').includes(TITLE_PROMPT)) {
      this.titleRequests++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of textReply(JSON.stringify({ title: 'Tandem TUI test' })).events ?? []) {
        res.write(typeof event === 'string' ? event : `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
      }
      res.end();
      return;
    }
    if (!this.target) {
      res.writeHead(503).end();
      return;
    }
    const target = new URL(this.target.baseUrl);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}

/**
 * `codex app-server --listen ws://127.0.0.1:0` on `codexHome`: the oracle the TUI suite can run against
 * instead of Tandem, to check that what it expects is what codex does. Its TMPDIR is `tmpdir`, so that a
 * home in the system temp folder is not taken for one (codex then declines to set up its sandbox helper).
 */
export async function spawnCodexWebSocketServer(codexHome: string, tmpdir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(CODEX_BIN, ['app-server', '--listen', 'ws://127.0.0.1:0'], {
    env: { ...process.env, CODEX_HOME: codexHome, TMPDIR: tmpdir, RUST_LOG: 'error', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`codex app-server printed no address: ${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /ws:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`codex app-server exited (${code}): ${output}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
