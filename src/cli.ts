#!/usr/bin/env node
// `tandem app-server [--listen stdio://|ws://IP:PORT] [-c key=value]…`: serves the app-server protocol to
// any client. stdout carries only protocol messages; logs go to stderr.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveTandemHome } from './core/home';
import { loggerFromEnv, type Logger } from './core/log';
import { CODEX_PROTOCOL_VERSION, TANDEM_VERSION } from './core/version';
import type { AppServer } from './server/appServer';
import type { ConnectionHost } from './server/connection';
import { ExecServer } from './server/execServer';
import { isLoopback, parseListenUrl, type ListenTarget } from './server/listen';
import { ProcessManager } from './core/exec/processManager';
import { createTandemServer, type TandemServerOptions } from './server/tandemServer';
import { serveStdio } from './server/transports/stdio';
import { serveWebSocket } from './server/transports/websocket';

const USAGE = `Usage:
  tandem app-server [--listen stdio://|ws://IP:PORT] [-c key=value]...
                    [--ws-token-file FILE] [--ws-allow-origin ORIGIN]... [--ws-allow-remote]
                    [--ws-max-queued N] [--ws-max-queued-bytes N]
  tandem exec-server [--listen stdio://|ws://IP:PORT] [--ws-token-file FILE] ...
  tandem --version

Options:
  --listen URL           stdio:// (default) or ws://IP:PORT (IP literal; port 0 picks a free port)
  -c, --config k=v       override a config value (dotted key; value parsed as TOML, else a string)
  --ws-token-file FILE   require "Authorization: Bearer <token>" with the token in FILE
  --ws-allow-origin O    accept websocket upgrades carrying this Origin ('*' for any); default none
  --ws-allow-remote      allow listening on a non-loopback address (requires --ws-token-file)
  --ws-max-queued N      messages a websocket client may leave unread before it is
                         disconnected as too slow (default 32768)
  --ws-max-queued-bytes N
                         bytes a websocket client may leave unread before it is
                         disconnected as too slow (default 16777216, 16 MiB)

Environment: TANDEM_HOME (else CODEX_HOME, else ~/.tandem), TANDEM_LOG=debug|info|warn|error, LOG_FORMAT=json,
             TANDEM_CODE_CACHE=0 (no V8 code cache in ~/.cache/tandem)
`;

export interface CliHooks {
  /** Lets tests register extra methods on the server before it serves. */
  extendServer?: (server: AppServer) => void;
  /** Lets tests add server options (a test-only tool, for example). */
  serverOptions?: Partial<TandemServerOptions>;
  env?: NodeJS.ProcessEnv;
  /** Called once, after the server answered its first `initialize` (the loader then saves its code cache). */
  ready?: () => void;
}

export class UsageError extends Error {}

export async function main(argv: readonly string[], hooks: CliHooks = {}): Promise<number> {
  const env = hooks.env ?? process.env;
  const logger = loggerFromEnv(env, (line) => process.stderr.write(line));
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-V') {
      process.stdout.write(`tandem ${TANDEM_VERSION} (codex app-server protocol ${CODEX_PROTOCOL_VERSION})\n`);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    // `tandem app-server --help` (clients probe the binary this way) answers like `tandem --help`.
    if ((command === 'app-server' || command === 'exec-server') && rest.some((arg) => arg === '--help' || arg === '-h')) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (command === 'app-server') return await runAppServer(rest, logger, env, hooks);
    if (command === 'exec-server') return await runExecServer(rest, logger);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TypeError) {
      process.stderr.write(`tandem: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`tandem: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Options both servers take (a fresh object each time: parseArgs wants mutable defaults). */
function serveOptions() {
  return {
    listen: { type: 'string' as const, default: 'stdio://' },
    'ws-token-file': { type: 'string' as const },
    'ws-allow-origin': { type: 'string' as const, multiple: true as const, default: [] as string[] },
    'ws-allow-remote': { type: 'boolean' as const, default: false },
    'ws-max-queued': { type: 'string' as const },
    'ws-max-queued-bytes': { type: 'string' as const },
  };
}

type ServeValues = { listen: string; 'ws-token-file'?: string; 'ws-allow-origin': string[]; 'ws-allow-remote': boolean; 'ws-max-queued'?: string; 'ws-max-queued-bytes'?: string };

async function runAppServer(argv: readonly string[], logger: Logger, env: NodeJS.ProcessEnv, hooks: CliHooks): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...serveOptions(), config: { type: 'string', short: 'c', multiple: true, default: [] as string[] } },
    strict: true,
    allowPositionals: false,
  });
  const target = listenTarget(values);
  for (const override of values.config) {
    if (!/^[^=\s]+=/.test(override)) throw new UsageError(`-c expects key=value, got ${JSON.stringify(override)}`);
  }
  const server = createTandemServer({ ...hooks.serverOptions, logger, home: resolveTandemHome(env, { codexHome: true }), configOverrides: values.config });
  hooks.extendServer?.(server);
  const ready = hooks.ready;
  if (ready) {
    let told = false;
    // At once, not when idle: a client may stop the server right after initialize, and the cache saved
    // after the first one is what later starts use.
    server.onInitializeAnswered(() => {
      if (told) return;
      told = true;
      ready();
    });
  }
  await serve(server, target, values, 'app-server', () => server.shutdown());
  return 0;
}

async function runExecServer(argv: readonly string[], logger: Logger): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: serveOptions(), strict: true, allowPositionals: false });
  const target = listenTarget(values);
  const processes = new ProcessManager(logger);
  const server = new ExecServer(logger, processes);
  await serve(server, target, values, 'exec-server', () => {
    server.shutdown();
    processes.terminateAll();
  });
  return 0;
}

function listenTarget(values: ServeValues): ListenTarget {
  let target: ListenTarget;
  try {
    target = parseListenUrl(values.listen);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (target.kind === 'ws' && !isLoopback(target.host) && !values['ws-allow-remote']) {
    throw new UsageError(`refusing to listen on non-loopback address ${target.host}; pass --ws-allow-remote (and use --ws-token-file)`);
  }
  // Anyone who can reach the port could drive the agent (run commands, read files): never without a token.
  if (target.kind === 'ws' && values['ws-allow-remote'] && !values['ws-token-file']) {
    throw new UsageError('refusing --ws-allow-remote without --ws-token-file: every client on the network could run commands as you; create a file with a long random token and pass --ws-token-file FILE');
  }
  return target;
}

/** Serves a host on stdio (until stdin ends) or websocket (until SIGINT/SIGTERM). */
async function serve(host: ConnectionHost, target: ListenTarget, values: ServeValues, name: string, stop: () => Promise<void> | void): Promise<void> {
  if (target.kind === 'stdio') {
    const transport = serveStdio(host, process.stdin, process.stdout);
    host.logger.info(`tandem ${TANDEM_VERSION} ${name} on stdio`);
    // stdin ending or a signal stops the server the same orderly way: running turns record their end.
    await Promise.race([transport.closed, stopSignal()]);
    await stop();
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    return;
  }
  const token = values['ws-token-file'] ? readToken(values['ws-token-file']) : undefined;
  const transport = await serveWebSocket(host, {
    host: target.host,
    port: target.port,
    token,
    allowedOrigins: values['ws-allow-origin'],
    maxQueuedMessages: values['ws-max-queued'] === undefined ? undefined : positiveInteger('--ws-max-queued', values['ws-max-queued']),
    maxQueuedBytes: values['ws-max-queued-bytes'] === undefined ? undefined : positiveInteger('--ws-max-queued-bytes', values['ws-max-queued-bytes']),
  });
  process.stderr.write(`tandem ${TANDEM_VERSION} ${name} listening on ${transport.url}\n`);
  await stopSignal();
  await transport.close();
  await stop();
}

function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} expects a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read --ws-token-file ${file}: ${(error as Error).message}`);
  }
  if (token === '') throw new UsageError(`--ws-token-file ${file} is empty`);
  return token;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`tandem: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
