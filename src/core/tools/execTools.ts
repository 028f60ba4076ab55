// exec_command and write_stdin: start a command, return what it printed within the yield window, and if it
// is still running, a session id the model can write to or poll.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cannotAsk, mayAsk, type AskForApproval, type SandboxPolicy, type ThreadItem, type ThreadItemOf, CommandExecutionOutputDelta, Warning } from '../../protocol';
import { commandActions, splitSegments } from '../exec/commandSafety';
import { commandCannotWrite } from '../exec/readOnlyCommands';
import type { ExecPolicy } from '../approvals/execPolicy';
import { threadCommandEnvironment, type ShellEnvironmentPolicy } from '../exec/environment';
import { resolveShell } from '../exec/shells';
import { applyDelta, ShellSnapshots, type EnvironmentDelta } from '../exec/shellSnapshot';
import { CollectedOutput, MAX_MODEL_OUTPUT_CHARS } from '../exec/outputBuffer';
import type { ManagedProcess, ProcessManager } from '../exec/processManager';
import { forwardOutput } from '../exec/outputForwarding';
import { decideCommand, isRestricted, NO_SANDBOX_FIX } from '../approvals/commandRule';
import { detectSandbox, isLikelySandboxDenial, wrapCommand, type WrappedCommand } from '../exec/sandbox';
import { joinCommand } from '../../protocol/shellCommand';
import { INTERRUPTED_AT_APPROVAL, askCommandApproval, type ApprovalDecision } from './approvals';
import type { ToolCallContext, ToolHandler, ToolResult } from './registry';
import { ExecCommandArguments, EXEC_COMMAND_SPEC, WRITE_STDIN_SPEC, WriteStdinArguments } from './execToolSchemas';
import { parseToolArguments } from './toolArguments';
import { parsePatchCommand, runPatchCommand } from './patchCommand';

const DEFAULT_EXEC_YIELD_MS = 10_000;
const DEFAULT_WRITE_YIELD_MS = 250;
const MIN_YIELD_MS = 250;
const MAX_YIELD_MS = 30_000;
/** An empty write_stdin is a poll: it may wait longer, as background work takes time. */
const MIN_POLL_MS = 5_000;
const MAX_POLL_MS = 300_000;
const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
const CHARS_PER_TOKEN = 4;

export interface ExecToolDeps {
  processes: ProcessManager;
  /** The user's command rules; an "accept and don't ask again" answer adds one. */
  execPolicy: ExecPolicy;
  environmentPolicy(): ShellEnvironmentPolicy;
  /** Warns the thread's client once per distinct message. */
  warnOnce(message: string): void;
}

/** Processes a thread started, by session id; only the thread that started a process may reach it. */
/** The processes a thread started, with the item each belongs to (running ones are its background terminals). */
export class ExecSessions {
  private readonly sessions = new Map<number, ExecSessionInfo>();
  /** The login shell's environment, captured once for this thread's commands. */
  readonly shellSnapshots = new ShellSnapshots();
  add(id: number, info: ExecSessionInfo): void {
    this.sessions.set(id, info);
  }
  has(id: number): boolean {
    return this.sessions.has(id);
  }
  info(id: number): ExecSessionInfo | undefined {
    return this.sessions.get(id);
  }
  all(): number[] {
    return [...this.sessions.keys()];
  }
}

export interface ExecSessionInfo {
  itemId: string;
  command: string;
  cwd: string;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function execTools(deps: ExecToolDeps, sessions: ExecSessions): ToolHandler[] {
  const execCommand: ToolHandler = {
    name: 'exec_command',
    parallel: true,
    startsDurably: true,
    spec: EXEC_COMMAND_SPEC,
    handle: (call, context) => {
      const args = parseToolArguments(call, 'exec_command', ExecCommandArguments);
      if (!args.ok) return Promise.resolve({ output: args.message, success: false });
      return runExecCommand(args.value, call.call_id, context, deps, sessions);
    },
  };

  const writeStdin: ToolHandler = {
    name: 'write_stdin',
    parallel: false,
    spec: WRITE_STDIN_SPEC,
    async handle(call, context) {
      const args = parseToolArguments(call, 'write_stdin', WriteStdinArguments);
      if (!args.ok) return { output: args.message, success: false };
      const id = args.value.session_id;
      const process = sessions.has(id) ? deps.processes.get(id) : undefined;
      if (!process) return { output: `Unknown session ID ${id}; the process may have exited already.`, success: false };
      const chars = args.value.chars ?? '';
      const requested = args.value.yield_time_ms ?? DEFAULT_WRITE_YIELD_MS;
      const yieldMs = chars === '' ? clamp(requested, MIN_POLL_MS, MAX_POLL_MS) : clamp(requested, MIN_YIELD_MS, MAX_YIELD_MS);
      // Input to a running program may make it write: the turn's checkpoint is recorded first.
      if (chars !== '') await context.checkpoint?.beforeCommand();
      const reader = collect(process, maxChars(args.value.max_output_tokens));
      if (chars !== '' && !process.write(chars)) {
        reader.stop();
        return { output: `Session ${id} does not accept input (it has exited or its input is closed).`, success: false };
      }
      const started = Date.now();
      await waitForExit(process, yieldMs, context.signal);
      return { output: formatResult(process, reader.stop(), started), success: true };
    },
  };
  return [execCommand, writeStdin];
}

/** Runs one exec_command call; its item takes the call's id, as codex names items. */
async function runExecCommand(args: ExecCommandArguments, callId: string, context: ToolCallContext, deps: ExecToolDeps, sessions: ExecSessions): Promise<ToolResult> {
  const cmd = args.cmd;
  if (cmd.trim() === '') return { output: 'exec_command needs a non-empty "cmd"', success: false };
  const cwd = path.resolve(context.cwd, args.workdir ?? '.');
  if (!isDirectory(cwd)) return { output: `workdir ${cwd} is not a directory`, success: false };
  // A script that is only an apply_patch heredoc is a patch, as codex runs it, not a shell command.
  const patch = parsePatchCommand(cmd);
  if (patch) return runPatchCommand(patch, cwd, callId, context);
  const chosen = resolveShell(args.shell);
  if ('error' in chosen) return { output: chosen.error, success: false };
  const { shell } = chosen;
  const escalate = args.sandbox_permissions === 'require_escalated';
  const policy = context.approvalPolicy;
  const support = detectSandbox();
  const sandboxUnavailable = isRestricted(context.sandbox) && support.kind === 'none' ? support.reason : null;
  if (sandboxUnavailable !== null) deps.warnOnce(noSandboxWarning(sandboxUnavailable, policy));
  const argv = [shell, args.login === false ? '-c' : '-lc', cmd];
  // Rules and the prefix offered for "don't ask again" look at the script's commands; a script too complex
  // to split is one command, the whole invocation (as codex treats it).
  const segments = splitSegments(cmd.trim()) ?? [argv];
  const decision = decideCommand({
    policy,
    sandbox: context.sandbox,
    sandboxUnavailable,
    escalate,
    justification: args.justification ?? null,
    rule: deps.execPolicy.evaluate(segments),
    sessionApproved: (sandboxed) => context.sessionApprovals.commandApproved(cmd, cwd, sandboxed),
  });

  const item: ThreadItemOf<'commandExecution'> = {
    type: 'commandExecution',
    id: callId,
    // The invocation as it runs, quoted as codex sends it; clients show the script inside.
    command: joinCommand(argv),
    cwd,
    // Named from item/started, as codex does: the id the process will have.
    processId: decision.kind === 'refuse' ? null : String(deps.processes.reserveId()),
    source: 'agent',
    status: 'inProgress',
    commandActions: commandActions(cmd, cwd),
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
  if (decision.kind === 'refuse') return await refuseOnItsOwn(item, decision.reason, context);
  // As codex does, the thread shows it waits on approval before the command's item appears.
  // An automatic review is not a wait on the user: the thread does not show it.
  const hold = decision.kind === 'ask' && !context.autoReview ? context.holdApproval() : undefined;
  // Durable before anyone is asked: a client that sees the prompt can rely on it.
  await context.startItem(item);
  let unsandboxed = !decision.sandboxed;
  if (decision.kind === 'ask') {
    const proposedAmendment = segments[0] ?? null;
    const answer = await askCommandApproval(context, { itemId: item.id, command: item.command, cwd, reason: decision.reason, commandActions: item.commandActions, proposedAmendment }, hold);
    if (context.signal.aborted) return notRun(item, INTERRUPTED_AT_APPROVAL, context);
    const refusal = refuse(answer.decision, item, context, answer.note);
    if (refusal) return refusal;
    if (answer.decision === 'acceptForSession') context.sessionApprovals.rememberCommand(cmd, cwd, decision.sandboxed);
    if (answer.amendment) await rememberRule(answer.amendment, deps, context);
  }

  // A command that may write: the workspace is recorded first, so the turn can be undone.
  if (!commandCannotWrite(cmd)) await context.checkpoint?.beforeCommand();
  const tty = args.tty === true;
  const limit = maxChars(args.max_output_tokens);
  const yieldMs = clamp(args.yield_time_ms ?? DEFAULT_EXEC_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
  // A login shell without paying for the profile each time: `-c` over the environment the profile made.
  const login = args.login !== false ? await untilAborted(loginEnvironment(shell, context, deps, sessions), context.signal) : null;
  const run = login ? { argv: [shell, '-c', cmd], delta: login } : { argv, delta: null };
  let outcome = await start(run, cwd, tty, unsandboxed, item, context, deps, sessions, { yieldMs, limit });
  if ('error' in outcome) return outcome.error;

  const { process: first, text, sandboxed } = outcome;
  const denied = sandboxed && first.exit !== undefined && isLikelySandboxDenial(first.exit.exitCode, text.sample());
  if (denied && !mayAsk(policy, 'sandbox_approval')) {
    const note = `The output looks like the ${describeSandbox(context.sandbox)} sandbox blocked this command; ${cannotAsk(policy, 'sandbox_approval')}, so it was not run again outside the sandbox.`;
    context.notify(Warning, { threadId: context.threadId, message: `Not run outside the sandbox: ${cmd} — ${note}` });
    return { output: `${formatResult(first, text, outcome.started)}\n${note}`, success: true };
  }
  if (denied) {
    const { decision, note: reviewerNote } = await askCommandApproval(context, {
      itemId: item.id,
      command: item.command,
      cwd,
      reason: 'The command failed inside the sandbox. Run it again without the sandbox?',
      commandActions: item.commandActions,
      proposedAmendment: null,
    });
    if (context.signal.aborted) return { output: `${formatResult(first, text, outcome.started)}\nNot run again outside the sandbox: ${INTERRUPTED_AT_APPROVAL}.`, success: true };
    if (decision === 'accept' || decision === 'acceptForSession') {
      unsandboxed = true;
      // The sandboxed run stays recorded as failed; the rerun is an item of its own.
      const rerun: ThreadItemOf<'commandExecution'> = { ...item, id: `${callId}:unsandboxed`, processId: String(deps.processes.reserveId()), status: 'inProgress' };
      await context.startItem(rerun);
      outcome = await start(run, cwd, tty, unsandboxed, rerun, context, deps, sessions, { yieldMs, limit });
      if ('error' in outcome) return outcome.error;
    } else {
      if (decision === 'cancel') context.interruptTurn();
      const note = decision === 'cancel' ? 'The user cancelled the rerun outside the sandbox and stopped the turn.' : (reviewerNote ?? 'The user declined to run it again outside the sandbox; do not try it another way.');
      return { output: `${formatResult(first, text, outcome.started)}\n${note}`, success: true };
    }
  }
  const result = formatResult(outcome.process, outcome.text, outcome.started);
  // The turn stopped while the command ran: its session may not outlive the server, so do not promise it.
  if (context.signal.aborted && !outcome.process.exit) return { output: `${result}\n${STILL_RUNNING_AT_STOP}`, success: true };
  return { output: result, success: true };
}

const STILL_RUNNING_AT_STOP = 'interrupted: the turn stopped while this command was still running; if Tandem restarted since, the process and its session are gone. Check its effects before running it again.';

type StartOutcome = { process: ManagedProcess; text: CollectedOutput; started: number; sandboxed: boolean } | { error: ToolResult };

/** What the login profile does to the environment, captured in a read-only sandbox when the thread is sandboxed. */
function loginEnvironment(shell: string, context: ToolCallContext, deps: ExecToolDeps, sessions: ExecSessions): Promise<EnvironmentDelta | null> {
  const sandboxed = isRestricted(context.sandbox);
  return sessions.shellSnapshots.deltaFor({
    shell,
    cwd: context.cwd,
    env: threadCommandEnvironment(deps.environmentPolicy(), context.threadId, { sandboxed }),
    wrap(argv) {
      if (!sandboxed) return argv;
      const support = detectSandbox();
      // No sandbox to run the profile in: each command runs its own login shell, under its own approval.
      if (support.kind === 'none') return null;
      try {
        return wrapCommand(argv, { type: 'readOnly' }, context.cwd, support, { home: context.home, workdir: context.cwd }).argv;
      } catch {
        return null;
      }
    },
  });
}

/** The value, or null as soon as the turn stops (start() then runs nothing). */
function untilAborted<T>(promise: Promise<T | null>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}

/** The argv to run and the login environment's changes to apply, if any. */
interface Launch {
  argv: string[];
  delta: EnvironmentDelta | null;
}

async function start(
  launch: Launch,
  cwd: string,
  tty: boolean,
  unsandboxed: boolean,
  item: ThreadItemOf<'commandExecution'>,
  context: ToolCallContext,
  deps: ExecToolDeps,
  sessions: ExecSessions,
  wait: { yieldMs: number; limit: number },
): Promise<StartOutcome> {
  let wrapped: WrappedCommand;
  try {
    const argv = launch.argv;
    wrapped = unsandboxed ? { argv, sandboxed: false } : wrapCommand(argv, context.sandbox, context.cwd, detectSandbox(), { home: context.home, workdir: cwd });
  } catch (error) {
    // The sandbox could not be set up for this command: it does not run at all.
    return { error: notRun(item, `the sandbox could not be set up (${(error as Error).message})`, context) };
  }
  if (!unsandboxed && isRestricted(context.sandbox) && !wrapped.sandboxed) return { error: notRun(item, 'the sandbox this thread needs is not available', context) };
  for (const warning of wrapped.warnings ?? []) deps.warnOnce(`Sandbox: ${warning}`);
  const base = threadCommandEnvironment(deps.environmentPolicy(), context.threadId, { tty, sandboxed: wrapped.sandboxed });
  const env = launch.delta ? applyDelta(base, launch.delta) : base;
  let proc: ManagedProcess;
  // The command's item is on disk before the command can change anything.
  await context.writeAhead();
  // A turn that stopped meanwhile (an interrupt, the server shutting down) starts nothing more.
  if (context.signal.aborted) return { error: notRun(item, 'the turn stopped before the command started', context) };
  const started = Date.now();
  try {
    proc = deps.processes.spawn({ argv: wrapped.argv, cwd, env, tty, id: item.processId === null ? undefined : Number(item.processId) });
  } catch (error) {
    context.completeItem({ ...item, status: 'failed', aggregatedOutput: (error as Error).message, durationMs: 0 });
    return { error: { output: `failed to start the command: ${(error as Error).message}`, success: false } };
  }
  sessions.add(proc.id, { itemId: item.id, command: item.command, cwd });
  item.processId = String(proc.id);
  const stopDeltas = forwardOutput(proc, (delta) => context.notify(CommandExecutionOutputDelta, { threadId: context.threadId, turnId: context.turnId, itemId: item.id, delta }), {
    clientsBehind: context.clientsBehind,
    signal: context.signal,
  });
  const reader = collect(proc, wait.limit);
  void proc.exited.then((exit) => {
    stopDeltas();
    const status = exit.exitCode === 0 ? 'completed' : 'failed';
    // Killed after its turn stopped (the server shutting down terminates what its turns run): say so.
    const note = exit.signal && context.signal.aborted ? `\ninterrupted: the command was stopped (${exit.signal}) after its turn ended` : '';
    context.completeItem({ ...item, status, exitCode: exit.exitCode, durationMs: Date.now() - started, aggregatedOutput: proc.output.text() + note } satisfies ThreadItem);
  });
  await waitForExit(proc, wait.yieldMs, context.signal);
  // Let the exit handler complete the item before the output goes back to the model.
  if (proc.exit) await Promise.resolve();
  return { process: proc, text: reader.stop(), started, sandboxed: wrapped.sandboxed };
}

/** A command the policy or the sandbox declined by itself: a card that says why, and the model is told. */
async function refuseOnItsOwn(item: ThreadItemOf<'commandExecution'>, reason: string, context: ToolCallContext): Promise<ToolResult> {
  await context.startItem(item);
  return notRun(item, reason, context);
}

/** Keeps an allow rule the user accepted; if it cannot be saved, it still holds until Tandem stops, and the user hears why. */
async function rememberRule(prefix: string[], deps: ExecToolDeps, context: ToolCallContext): Promise<void> {
  try {
    await deps.execPolicy.allowPrefix(prefix);
    // The model hears of it, as codex tells it, so it can rely on the prefix from now on.
    const words = `[${prefix.map((word) => JSON.stringify(word)).join(', ')}]`;
    context.addContext({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: `Approved command prefix saved:\n- ${words}` }] });
  } catch (error) {
    context.notify(Warning, { threadId: context.threadId, message: `The rule allowing "${prefix.join(' ')}" holds until Tandem stops but could not be saved: ${(error as Error).message}` });
  }
}

/** Completes a started item as declined, no process having run, and says why to the card and the model. */
function notRun(item: ThreadItemOf<'commandExecution'>, reason: string, context: ToolCallContext): ToolResult {
  const text = `not run: ${reason}`;
  context.completeItem({ ...item, status: 'declined', aggregatedOutput: text });
  return { output: text, success: false };
}

function noSandboxWarning(reason: string, policy: AskForApproval): string {
  const then = !mayAsk(policy, 'sandbox_approval') ? `Commands that need the sandbox are refused (${cannotAsk(policy, 'sandbox_approval')})` : 'Tandem asks before every command, and an approved command runs with your full permissions';
  return `Commands cannot be sandboxed: ${reason}. ${then}. To fix this, ${NO_SANDBOX_FIX}.`;
}

function describeSandbox(sandbox: SandboxPolicy): string {
  return sandbox.type === 'readOnly' ? 'read-only' : sandbox.type === 'workspaceWrite' ? 'workspace-write' : sandbox.type;
}

function refuse(decision: ApprovalDecision, item: ThreadItemOf<'commandExecution'>, context: ToolCallContext, note?: string): ToolResult | undefined {
  if (decision === 'accept' || decision === 'acceptForSession') return undefined;
  context.completeItem({ ...item, status: 'declined' });
  if (decision === 'cancel') {
    context.interruptTurn();
    return { output: 'The user cancelled this command and stopped the turn.', success: false };
  }
  return { output: note ?? 'The user declined to run this command. Do not run it another way; explain what you wanted to do or ask how to proceed.', success: false };
}

/** Collects what a process prints from now until `stop()`. */
function collect(process: ManagedProcess, limit: number): { stop(): CollectedOutput } {
  const collected = new CollectedOutput(limit);
  const off = process.onBytes((bytes) => collected.append(bytes));
  return {
    stop() {
      off();
      return collected;
    },
  };
}

function waitForExit(process: ManagedProcess, ms: number, signal: AbortSignal): Promise<void> {
  if (process.exit || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const onAbort = () => done();
    signal.addEventListener('abort', onAbort, { once: true });
    void process.exited.then(done);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
  });
}

function maxChars(tokens: number | undefined): number {
  const value = tokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return Math.min((value > 0 ? value : DEFAULT_MAX_OUTPUT_TOKENS) * CHARS_PER_TOKEN, MAX_MODEL_OUTPUT_CHARS);
}

function formatResult(process: ManagedProcess, output: CollectedOutput, started: number): string {
  const { text: shown, truncated } = output.cut();
  const lines = [`Wall time: ${((Date.now() - started) / 1000).toFixed(4)} seconds`];
  if (process.exit) lines.push(`Process exited with code ${process.exit.exitCode ?? `null (${process.exit.signal})`}`);
  else lines.push(`Process running with session ID ${process.id}`);
  if (truncated) lines.push(`Original token count: ${Math.ceil(output.totalBytes / CHARS_PER_TOKEN)}`);
  lines.push('Output:', shown);
  return lines.join('\n');
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
