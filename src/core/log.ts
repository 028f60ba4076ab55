// One logger shape for the whole runtime. The CLI writes to stderr (stdout is the protocol);
// the extension routes the same calls into its "Tandem" LogOutputChannel.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const lower = value?.trim().toLowerCase();
  return lower && lower in LEVEL_RANK ? (lower as LogLevel) : fallback;
}

export interface StreamLoggerOptions {
  level: LogLevel;
  /** `json`: one JSON object per line; `text`: readable lines. */
  format: 'text' | 'json';
  write: (line: string) => void;
  now?: () => Date;
}

export function createStreamLogger(options: StreamLoggerOptions): Logger {
  const threshold = LEVEL_RANK[options.level];
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < threshold) return;
    const timestamp = now().toISOString();
    if (options.format === 'json') {
      options.write(JSON.stringify({ timestamp, level, message, ...fields }) + '\n');
      return;
    }
    const extra = fields && Object.keys(fields).length > 0 ? ' ' + formatFields(fields) : '';
    options.write(`${timestamp} ${level.toUpperCase().padEnd(5)} ${message}${extra}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** Logger settings from the environment: `TANDEM_LOG=debug|info|warn|error`, `LOG_FORMAT=json`. */
export function loggerFromEnv(env: NodeJS.ProcessEnv, write: (line: string) => void): Logger {
  return createStreamLogger({
    level: parseLogLevel(env.TANDEM_LOG),
    format: env.LOG_FORMAT?.toLowerCase() === 'json' ? 'json' : 'text',
    write,
  });
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function formatFields(fields: LogFields): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? JSON.stringify(value) : safeJson(value)}`)
    .join(' ');
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
