// Runs the system git against a shadow repository: GIT_DIR in Tandem's home, the workspace as the work
// tree. Nothing of the user's git setup takes part: no repository-locating variables inherited from the
// environment, no system or global config (so no filters, hooks, signing or line-ending conversion), a
// fixed identity. Failures come back as CheckpointError, never as a crash or a hang.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { startProgram } from '../exec/spawnHost';
import { briefStderr, CheckpointError } from './errors';

export interface ShadowGitContext {
  /** The shadow repository (a bare layout under Tandem's home). */
  gitDir: string;
  /** The workspace, by its real path. */
  workTree: string;
  /** The user's global excludes file, honoured like the workspace's own .gitignore files. */
  excludesFile?: string;
  /** Default bound for one git command. */
  timeoutMs: number;
}

export interface GitCall {
  /** The index file this command reads and writes (each operation uses a private one). */
  index?: string;
  /** Written to git's stdin. */
  input?: string | Buffer;
  timeoutMs?: number;
}

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const IDENTITY = { name: 'Tandem', email: 'checkpoints@tandem.invalid' };

function configArgs(ctx: ShadowGitContext): string[] {
  const settings = [
    `core.hooksPath=${os.devNull}`,
    'core.fsmonitor=false',
    'core.autocrlf=false',
    'core.safecrlf=false',
    'core.quotePath=false',
    'commit.gpgSign=false',
    'advice.addEmbeddedRepo=false',
    'gc.auto=0',
    ...(ctx.excludesFile ? [`core.excludesFile=${ctx.excludesFile}`] : []),
  ];
  return [...settings.flatMap((setting) => ['-c', setting]), '--no-replace-objects', `--git-dir=${ctx.gitDir}`, `--work-tree=${ctx.workTree}`];
}

/** The environment without anything that would point git elsewhere or pull in the user's config. */
export function shadowEnv(index?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_') || key === 'GIT_EXEC_PATH') env[key] = value;
  }
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    LC_ALL: 'C',
  });
  if (index) env.GIT_INDEX_FILE = index;
  return env;
}

interface Spawned {
  /** Resolves with stdout when git exits 0; rejects with a CheckpointError otherwise. */
  done: Promise<Buffer>;
  kill(): void;
}

function spawnGit(ctx: ShadowGitContext, args: readonly string[], call: GitCall, onStdout?: (chunk: Buffer) => void): Spawned {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let failure: CheckpointError | undefined;
  let stopped = false;
  const what = `git ${args[0] ?? ''}`;
  // Through the spawn host: a turn's end runs git about ten times, and each fork of a large process stalls it.
  const program = startProgram('git', [...configArgs(ctx), ...args], {
    cwd: ctx.workTree,
    env: shadowEnv(call.index),
    input: call.input ?? '',
    onStdout: (chunk) => {
      if (onStdout) return onStdout(chunk);
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        failure ??= new CheckpointError('gitFailed', `${what} printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB`);
        program.kill();
      } else out.push(chunk);
    },
    onStderr: (chunk) => {
      if (err.length < 64) err.push(chunk);
    },
  });
  const timeoutMs = call.timeoutMs ?? ctx.timeoutMs;
  const timer = setTimeout(() => {
    failure = new CheckpointError('timeout', `${what} did not finish within ${Math.round(timeoutMs / 1000)} s in ${ctx.workTree}`);
    program.kill();
  }, timeoutMs);
  const done = program.exit.then(({ code, error }) => {
    clearTimeout(timer);
    if (error) {
      // ENOENT is either a missing git or a workspace that went away (the working directory of the spawn).
      if (error.code === 'ENOENT' && !existsSync(ctx.workTree)) failure ??= new CheckpointError('notADirectory', `${ctx.workTree} no longer exists`);
      else if (error.code === 'ENOENT') failure ??= new CheckpointError('gitMissing', 'git was not found on the PATH; checkpoints need the system git');
      else failure ??= new CheckpointError('gitFailed', `${what} could not run: ${error.message}`);
    }
    if (failure) throw failure;
    if (stopped || code === 0) return Buffer.concat(out);
    const stderr = Buffer.concat(err).toString('utf8');
    const brief = briefStderr(stderr);
    throw new CheckpointError('gitFailed', `${what} failed (exit ${code ?? 'signal'}) for ${ctx.workTree}${brief ? `: ${brief}` : ''}`, stderr);
  });
  return {
    done,
    kill: () => {
      stopped = true;
      program.kill();
    },
  };
}

/** Runs git and returns its stdout as bytes. */
export function gitBytes(ctx: ShadowGitContext, args: readonly string[], call: GitCall = {}): Promise<Buffer> {
  return spawnGit(ctx, args, call).done;
}

/** Runs git and returns its stdout as text. */
export async function git(ctx: ShadowGitContext, args: readonly string[], call: GitCall = {}): Promise<string> {
  return (await gitBytes(ctx, args, call)).toString('utf8');
}

/**
 * Streams the NUL-separated records a `-z` command prints to `onRecord`; returning false stops git early
 * (listing a huge workspace stops as soon as it is known to be too large).
 */
export async function gitRecords(ctx: ShadowGitContext, args: readonly string[], call: GitCall, onRecord: (record: string) => boolean): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let stop = false;
  const spawned = spawnGit(ctx, args, call, (chunk) => {
    if (stop) return;
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nul = pending.indexOf(0, start); nul !== -1; nul = pending.indexOf(0, start)) {
      const record = pending.subarray(start, nul).toString('utf8');
      start = nul + 1;
      if (!onRecord(record)) {
        stop = true;
        spawned.kill();
        return;
      }
    }
    pending = pending.subarray(start);
  });
  await spawned.done;
}

/** Splits `-z` output into records, dropping the empty tail. */
export function nulRecords(output: string): string[] {
  const records = output.split('\0');
  if (records[records.length - 1] === '') records.pop();
  return records;
}
