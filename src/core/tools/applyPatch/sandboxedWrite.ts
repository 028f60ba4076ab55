// Writes a patch plan from inside the same sandbox commands run in, so the kernel (bubblewrap's mounts,
// or seatbelt) enforces the writable roots at the moment of each write. Checking paths in the server and
// then writing from it leaves a window: a sandboxed background command can swap a folder for a symbolic
// link between the check and the write. A child that cannot write outside the roots closes that window.
//
// The child is this process's own executable run as Node (ELECTRON_RUN_AS_NODE, so it also works from
// VS Code's extension host), running WRITER_PROGRAM. It reads the plan as JSON on stdin, writes it the way
// writePlan does (temp file beside the target, rename; mode of the source file kept), rolls back what it
// wrote on the first error, and reports one JSON line on stdout.
import { spawn } from 'node:child_process';
import type { SandboxPolicy } from '../../../protocol';
import { killGroup } from '../../exec/processManager';
import { isRestricted, wrapCommand, type SandboxSupport } from '../../exec/sandbox';
import { PatchApplyError, type PlannedChange } from './applier';

/** The longest a sandboxed write may take before it is killed (a 1 MB plan takes tens of milliseconds). */
export const SANDBOXED_WRITE_TIMEOUT_MS = 30_000;

/** How much of the child's stdout and stderr is kept: its report is one short line. */
const MAX_CAPTURE_BYTES = 64 * 1024;

/** The share of the timeout the child may spend before it stops and rolls back on its own. */
const CHILD_BUDGET_SHARE = 0.75;

/** errno codes by which the sandbox refuses a write. */
const DENIAL_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The writer, run with `node -e`. Input: `{ budgetMs, changes: [{ kind, path, movePath, newContent }] }`.
 * Output: `{ ok: true }` or `{ ok: false, action, path, code, message, rollbackErrors }`; exit 1 on failure.
 * Before changing a file it reads what is there (bytes and mode), so a rollback restores exactly that.
 * Temp files are created exclusively (`wx`) and removed on failure; folders it made are removed (when
 * empty) on rollback. Anything that is not a regular file at a path it must read is refused, never read
 * (a FIFO would block).
 */
export const WRITER_PROGRAM = String.raw`'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

function modeOf(file, fallback) {
  try { return fs.statSync(file).mode & 0o7777; } catch (e) { return fallback; }
}

// The bytes and mode at file, or null when nothing is there.
function snapshot(file) {
  let stat;
  try { stat = fs.statSync(file); } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
    throw e;
  }
  if (!stat.isFile()) {
    const error = new Error((stat.isDirectory() ? 'EISDIR: is a directory' : 'not a regular file') + ", '" + file + "'");
    error.code = stat.isDirectory() ? 'EISDIR' : 'EINVAL';
    throw error;
  }
  return { data: fs.readFileSync(file), mode: stat.mode & 0o7777 };
}

// mkdir -p, one level at a time: the recursive mkdirSync reports a read-only parent as ENOENT, and this
// way each folder it made goes to madeDirs (for the rollback).
function mkdirp(dir, madeDirs) {
  const missing = [];
  for (let d = dir; ; d = path.dirname(d)) {
    let stat = null;
    try { stat = fs.statSync(d); } catch (e) { if (e.code !== 'ENOENT') throw e; }
    if (stat) {
      if (stat.isDirectory()) break;
      const error = new Error("ENOTDIR: not a directory, mkdir '" + d + "'");
      error.code = 'ENOTDIR';
      throw error;
    }
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try { fs.mkdirSync(d); } catch (e) { if (e.code === 'EEXIST') continue; throw e; }
    if (madeDirs) madeDirs.push(d);
  }
}

// A temp file beside the target, then a rename over it.
function writeAtomic(target, data, mode, madeDirs) {
  const dir = path.dirname(target);
  mkdirp(dir, madeDirs);
  const temp = path.join(dir, '.' + path.basename(target) + '.tandem-' + crypto.randomBytes(4).toString('hex') + '.tmp');
  try {
    fs.writeFileSync(temp, data, { mode: mode, flag: 'wx' });
    fs.renameSync(temp, target);
  } catch (e) {
    try { fs.unlinkSync(temp); } catch (ignored) { /* never made, or already gone */ }
    throw e;
  }
}

function restore(file, previous) {
  if (previous === null) fs.unlinkSync(file);
  else writeAtomic(file, previous.data, previous.mode, null);
}

function run(input) {
  const deadline = Date.now() + input.budgetMs;
  const undo = [];
  const madeDirs = [];
  let action = 'read';
  let current = '';
  try {
    for (const change of input.changes) {
      if (Date.now() > deadline) {
        const error = new Error('ETIMEDOUT: the write took too long');
        error.code = 'ETIMEDOUT';
        throw error;
      }
      if (change.kind === 'delete') {
        action = 'delete';
        current = change.path;
        const previous = snapshot(change.path);
        fs.unlinkSync(change.path);
        undo.push({ file: change.path, previous: previous });
        continue;
      }
      const target = change.movePath || change.path;
      action = 'write';
      current = target;
      const previous = snapshot(target);
      writeAtomic(target, Buffer.from(change.newContent, 'utf8'), modeOf(change.path, 0o644), madeDirs);
      undo.push({ file: target, previous: previous });
      if (change.movePath && change.movePath !== change.path) {
        action = 'delete';
        current = change.path;
        const source = snapshot(change.path);
        fs.unlinkSync(change.path);
        undo.push({ file: change.path, previous: source });
      }
    }
    return { ok: true };
  } catch (error) {
    const rollbackErrors = [];
    for (const step of undo.reverse()) {
      try { restore(step.file, step.previous); } catch (e) { rollbackErrors.push(step.file + ': ' + e.message); }
    }
    for (const dir of madeDirs.reverse()) {
      try { fs.rmdirSync(dir); } catch (e) { /* not empty: someone else wrote there */ }
    }
    return { ok: false, action: action, path: current, code: error.code || null, message: String(error.message || error), rollbackErrors: rollbackErrors };
  }
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  let result;
  try {
    result = run(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch (error) {
    result = { ok: false, action: 'read', path: '', code: null, message: 'cannot read the plan: ' + error.message, rollbackErrors: [] };
  }
  process.exitCode = result.ok ? 0 : 1;
  process.stdout.write(JSON.stringify(result) + '\n');
});
`;

interface WriterReport {
  ok: boolean;
  action?: string;
  path?: string;
  code?: string | null;
  message?: string;
  rollbackErrors?: string[];
}

/** Whether writePlanInSandbox can run for this policy and machine (bubblewrap, or seatbelt on macOS). */
export function canWriteInSandbox(sandbox: SandboxPolicy, support: SandboxSupport): boolean {
  return isRestricted(sandbox) && (support.kind === 'bwrap' || support.kind === 'seatbelt');
}

/**
 * Does what writePlan does, from a child inside the sandbox: a write the sandbox refuses (outside the
 * writable roots, a protected path, or through a link swapped in after the check) fails with EROFS/EACCES/
 * EPERM, what was written is rolled back, and a PatchApplyError names the path and the errno.
 */
export async function writePlanInSandbox(plan: readonly PlannedChange[], sandbox: SandboxPolicy, cwd: string, options: { home: string; support: SandboxSupport; timeoutMs?: number }): Promise<void> {
  if (plan.length === 0) return;
  if (!canWriteInSandbox(sandbox, options.support)) {
    const why = options.support.kind === 'none' ? options.support.reason : `the ${sandbox.type} policy has no sandbox`;
    throw new PatchApplyError(`Cannot write the patch inside the sandbox: ${why}; nothing was written`);
  }
  const timeoutMs = options.timeoutMs ?? SANDBOXED_WRITE_TIMEOUT_MS;
  let wrapped;
  try {
    wrapped = wrapCommand([process.execPath, '-e', WRITER_PROGRAM], sandbox, cwd, options.support, { home: options.home });
  } catch (error) {
    throw new PatchApplyError(`Cannot write the patch inside the sandbox: ${(error as Error).message}; nothing was written`);
  }
  if (!wrapped.sandboxed) throw new PatchApplyError('Cannot write the patch inside the sandbox: the command would not be sandboxed; nothing was written');
  const input = JSON.stringify({
    budgetMs: Math.floor(timeoutMs * CHILD_BUDGET_SHARE),
    changes: plan.map((c) => ({ kind: c.kind, path: c.path, movePath: c.movePath ?? null, newContent: c.newContent })),
  });
  const outcome = await runWriter(wrapped.argv, input, timeoutMs);
  const report = parseReport(outcome.stdout);
  if (report?.ok && outcome.code === 0) return;
  if (report && !report.ok) throw new PatchApplyError(failureMessage(report));
  const stderr = outcome.stderr.trim().split('\n').slice(-5).join('\n');
  const how = outcome.timedOut
    ? `was stopped after ${timeoutMs} ms; the files it was writing may be partly changed`
    : outcome.spawnError
      ? `could not start (${outcome.spawnError})`
      : `ended without a report (exit ${outcome.code ?? `signal ${outcome.signal}`})`;
  throw new PatchApplyError(`Writing the patch failed: the sandboxed writer ${how}${stderr ? `: ${stderr}` : ''}`);
}

function failureMessage(report: WriterReport): string {
  const code = report.code ?? '';
  const message = report.message ?? 'unknown error';
  const detail = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  const denied = DENIAL_CODES.has(code) ? ' (the sandbox does not allow writing there: outside the writable roots, or a protected path)' : '';
  const what = `cannot ${report.action ?? 'write'} ${report.path || 'the plan'}: ${detail}${denied}`;
  const leftovers = report.rollbackErrors ?? [];
  if (leftovers.length === 0) return `Writing the patch failed and was rolled back: ${what}`;
  return `Writing the patch failed and could not be fully rolled back (${leftovers.join('; ')}): ${what}`;
}

function parseReport(stdout: string): WriterReport | undefined {
  const line = stdout.trim().split('\n').pop();
  if (!line) return undefined;
  try {
    const parsed = JSON.parse(line) as unknown;
    return parsed && typeof parsed === 'object' && typeof (parsed as WriterReport).ok === 'boolean' ? (parsed as WriterReport) : undefined;
  } catch {
    return undefined;
  }
}

interface WriterOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

/** Spawns the wrapped writer in its own process group, feeds stdin, and kills the group on timeout. */
function runWriter(argv: readonly string[], input: string, timeoutMs: number): Promise<WriterOutcome> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: '/',
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      // No NODE_OPTIONS or other loaders from this process: the program is self-contained.
      env: { ELECTRON_RUN_AS_NODE: '1', PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const stdout = capture();
    const stderr = capture();
    child.stdout.on('data', stdout.add);
    child.stderr.on('data', stderr.add);
    let settled = false;
    const settle = (outcome: Omit<WriterOutcome, 'stdout' | 'stderr'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, stdout: stdout.text(), stderr: stderr.text() });
    };
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      // Settle now: a process that escaped the kill could hold the pipes open.
      settle({ code: null, signal: 'SIGKILL', timedOut: true });
    }, timeoutMs);
    child.on('error', (error) => {
      killGroup(child.pid, 'SIGKILL');
      settle({ code: null, signal: null, timedOut: false, spawnError: error.message });
    });
    child.on('close', (code, signal) => settle({ code, signal, timedOut: false }));
    child.stdin.on('error', () => undefined); // EPIPE when the child ends early; its report says why
    child.stdin.end(input);
  });
}

function capture(): { add: (chunk: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk: Buffer) => {
      if (size >= MAX_CAPTURE_BYTES) return;
      const kept = chunk.subarray(0, MAX_CAPTURE_BYTES - size);
      chunks.push(kept);
      size += kept.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}
