// The user's own shell command (`!cmd` in the codex TUI, `thread/shellCommand`): it runs unsandboxed with the
// thread's shell, outside the model's loop, as a `commandExecution` item with source `userShell`, and what it
// printed joins the history so the model sees it, as codex records it.
import { CommandExecutionOutputDelta, type ThreadItemOf } from '../../protocol';
import { joinCommand } from '../../protocol/shellCommand';
import { threadCommandEnvironment } from '../exec/environment';
import { truncateMiddle } from '../exec/outputBuffer';
import { defaultShell } from '../exec/shells';
import { commandActions } from '../exec/commandSafety';
import { userText, type ResponseItem } from '../model/responseItems';
import type { ClientIdentity, ThreadSession } from './threadSession';
import type { UserShellRun } from './activeTurn';
import { uuidv7 } from '../ids';
import type { TurnEmitter } from './turnEmitter';
import { forwardOutput } from '../exec/outputForwarding';

/** When the client gives no timeout: an hour, as codex. */
export const USER_SHELL_DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
/** What the model is shown of the output, at most (head and tail kept). */
const MAX_RECORDED_CHARS = 40_000;

/**
 * Runs the user's command: it joins the running turn, or runs as a turn of its own. Either way what it
 * printed joins the history before the model's next request.
 */
export function startUserShellCommand(session: ThreadSession, command: string, timeoutMs: number, identity: ClientIdentity): void {
  const run: UserShellRun = { command, timeoutMs, itemId: uuidv7() };
  const active = session.activeTurn;
  if (!active) {
    session.startShellTurn(run, identity);
    return;
  }
  void session.started
    .then(async () => {
      // The running turn's loop sets its emitter as it starts, on the tick after `started`.
      await new Promise((resolve) => setImmediate(resolve));
      if (!active.emitter) return;
      const message = await runUserShellCommand(session, active.emitter, run, active.controller.signal);
      if (session.activeTurn === active) active.pendingContext.push(message);
      else session.appendHistory(message);
    })
    .catch((error: unknown) => session.services.logger.error('a user shell command failed', { threadId: session.id, error: String(error) }));
}

/** Runs the command as an item of `emitter`'s turn; resolves with the history message recording it. */
export async function runUserShellCommand(session: ThreadSession, emitter: TurnEmitter, run: UserShellRun, signal: AbortSignal): Promise<ResponseItem> {
  const cwd = session.settings.cwd;
  const argv = [defaultShell(), '-lc', run.command];
  const item: ThreadItemOf<'commandExecution'> = {
    type: 'commandExecution',
    id: run.itemId,
    command: joinCommand(argv),
    cwd,
    processId: null,
    source: 'userShell',
    status: 'inProgress',
    commandActions: commandActions(run.command, cwd),
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
  await emitter.startDurably(item, () => session.flushRollout());
  const started = Date.now();
  const env = threadCommandEnvironment(session.services.environmentPolicy(), session.id);
  let exitCode: number | null = null;
  let output: string;
  try {
    const proc = session.services.processes.spawn({ argv, cwd, env, tty: false, closedStdin: true });
    session.execSessions.add(proc.id, { itemId: item.id, command: item.command, cwd });
    item.processId = String(proc.id);
    const stop = forwardOutput(proc, (delta) => emitter.notify(CommandExecutionOutputDelta, { itemId: item.id, delta }), {
      clientsBehind: () => session.services.events.clientsBehind?.(session.id),
      signal,
    });
    const timer = setTimeout(() => proc.terminate(), run.timeoutMs);
    const onAbort = () => proc.terminate();
    signal.addEventListener('abort', onAbort, { once: true });
    const exit = await proc.exited;
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    stop();
    exitCode = exit.exitCode;
    output = proc.output.text();
  } catch (error) {
    output = `failed to start the command: ${(error as Error).message}`;
  }
  const durationMs = Date.now() - started;
  emitter.complete({ ...item, status: exitCode === 0 ? 'completed' : 'failed', exitCode, durationMs, aggregatedOutput: output });
  return userText(record(run.command, exitCode, durationMs, output));
}

/** How codex shows the model a command the user ran. */
function record(command: string, exitCode: number | null, durationMs: number, output: string): string {
  return [
    '<user_shell_command>',
    '<command>',
    command,
    '</command>',
    '<result>',
    `Exit code: ${exitCode ?? 'none (stopped)'}`,
    `Duration: ${(durationMs / 1000).toFixed(4)} seconds`,
    'Output:',
    truncateMiddle(output, MAX_RECORDED_CHARS).text,
    '</result>',
    '</user_shell_command>',
  ].join('\n');
}
