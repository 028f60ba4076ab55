// The one fixture for tests that run Tandem against the fake model: it starts the model, makes a temporary
// home whose config points at it, and boots servers on that home — spawned over stdio or websocket, or in
// this process — restarts or kills them as a test needs, and closes everything it started.
import { silentLogger } from '../../src/core/log';
import type { AppServer } from '../../src/server/appServer';
import { createTandemServer, type TandemServerOptions } from '../../src/server/tandemServer';
import { startInProcess, type InProcessClient } from '../../src/server/transports/inProcess';
import { FakeModelServer } from './fakeModel';
import { MessageLog, spawnStdioServer, spawnWebSocketServer, type SpawnedServer, type WireMessage } from './protocolClient';
import { makeTempHome, type FakeConfigOptions, type TempHome } from './tempHome';

export interface SpawnOptions {
  /** The built bundle (`dist/cli.js`) instead of the test entry, which adds the test methods and tools. */
  entry?: 'test' | 'dist';
  /** Extra environment; a function of the temp folders may prepare them before the server starts. */
  env?: NodeJS.ProcessEnv | ((temp: TempHome) => NodeJS.ProcessEnv);
  /** `clientInfo.name` of the initialize request; default "tandem_test". */
  name?: string;
  capabilities?: unknown;
}

export interface InProcessOptions {
  /** `clientInfo.name`; default "tandem_test". */
  name?: string;
  /** A server from `inProcessServer()` that several clients share; by default the client gets its own. */
  server?: AppServer;
  /** For the client's own server: continue a turn a restart cut off (as the extension does). */
  continueUnfinishedTurns?: boolean;
}

export type WebSocketServer = Awaited<ReturnType<typeof spawnWebSocketServer>>;

/** An in-process client; the notifications and server requests it gets are recorded as wire messages. */
export class InProcessSession extends MessageLog {
  constructor(readonly client: InProcessClient) {
    super();
    void this.record();
  }

  /** Answers a server request this client received. */
  respond(request: WireMessage, result: unknown): void {
    this.client.respondToServerRequest(request.id as number, result);
  }

  private async record(): Promise<void> {
    for await (const event of this.client.events()) {
      if (event.kind === 'notification') this.accept({ method: event.method, params: event.params });
      else if (event.kind === 'serverRequest') this.accept({ id: event.id, method: event.method, params: event.params });
    }
  }
}

export class Fixture {
  model!: FakeModelServer;
  temp!: TempHome;
  /** The stdio server spawned last. */
  server!: SpawnedServer;
  private readonly spawned: SpawnedServer[] = [];
  private readonly webSockets: WebSocketServer[] = [];
  private readonly inProcessServers: AppServer[] = [];
  private readonly sessions: InProcessSession[] = [];

  /** Starts the fake model and makes the home, whose config.toml points at it. */
  async start(options: FakeConfigOptions = {}): Promise<this> {
    this.model = await new FakeModelServer().start();
    this.temp = makeTempHome({ ...options, baseUrl: this.model.baseUrl });
    return this;
  }

  /** `start()`, then `spawn()`: the model, the home and an initialized stdio server. */
  async boot(options: FakeConfigOptions & SpawnOptions = {}): Promise<this> {
    await this.start(options);
    await this.spawn(options);
    return this;
  }

  /** Spawns a stdio server on the home and initializes it; it becomes `server`. */
  async spawn(options: SpawnOptions = {}): Promise<SpawnedServer> {
    const env = typeof options.env === 'function' ? options.env(this.temp) : options.env;
    this.server = spawnStdioServer({ entry: options.entry, env: { ...this.temp.env, ...env } });
    this.spawned.push(this.server);
    await this.server.client.initialize(options.name, options.capabilities);
    return this.server;
  }

  /** Closes `server` (its stdin ends and it exits) and spawns a new one on the same home. */
  async restart(options: SpawnOptions = {}): Promise<SpawnedServer> {
    await this.server.close();
    return this.spawn(options);
  }

  /** Sends `signal` (`kill -9` unless told) and resolves with the exit code once the process is gone. */
  async kill(server: SpawnedServer = this.server, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return server.child.exitCode;
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill(signal);
    return exited;
  }

  /** A websocket server on the home, listening on a free port; `extraArgs` follow `--listen`. */
  async webSocket(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WebSocketServer> {
    const server = await spawnWebSocketServer(extraArgs, { ...this.temp.env, ...env });
    this.webSockets.push(server);
    return server;
  }

  /** A server in this process on the home, for clients that share it (`inProcess({ server })`). */
  inProcessServer(options: Pick<TandemServerOptions, 'continueUnfinishedTurns' | 'extraMcpServers'> = {}): AppServer {
    const server = createTandemServer({ logger: silentLogger, home: this.temp.home, defaultCwd: this.temp.workspace, ...options });
    this.inProcessServers.push(server);
    return server;
  }

  /** An initialized in-process client. Its shutdown stops its own server (a host that stops), not a shared one. */
  async inProcess(options: InProcessOptions = {}): Promise<InProcessSession> {
    const server = options.server ?? this.inProcessServer(options);
    const clientInfo = { name: options.name ?? 'tandem_test', title: null, version: '0' };
    const session = new InProcessSession(await startInProcess({ server, clientInfo, ownsServer: options.server === undefined }));
    this.sessions.push(session);
    return session;
  }

  /** Ends every client and server started here, then the model; the fixture may start again. */
  async close(): Promise<void> {
    for (const session of this.sessions.splice(0)) await session.client.shutdown();
    for (const server of this.inProcessServers.splice(0)) await server.shutdown();
    for (const server of this.webSockets.splice(0)) await server.stop();
    for (const server of this.spawned.splice(0)) await server.close();
    await this.model?.stop();
  }
}
