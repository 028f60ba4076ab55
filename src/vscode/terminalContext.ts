// `@terminal`: the last command that finished in each terminal and the tail of its output, read through
// VS Code's shell integration (an execution's output can only be read from its start, so every execution
// is read as it runs and only the last one per terminal is kept). Without shell integration nothing can
// be read, and the status says so, for the chip to show.
import * as vscode from 'vscode';
import type { TerminalContextStatus } from '../protocol';
import { MAX_TERMINAL_OUTPUT_CHARS, type TerminalExecution } from './contextAttachments';

/** Escape sequences: OSC (titles, shell-integration marks), CSI (colours, cursor moves), and the rest. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** Terminal output as a reader sees it: no escape sequences, and a line redrawn with \r shows its last state. */
export function cleanTerminalOutput(raw: string): string {
  return raw
    .replace(ESCAPES, '')
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
}

/** The end of a stream, bounded: keeps twice the limit raw so a sequence cut at the edge is rare. */
class OutputTail {
  private raw = '';
  private dropped = false;
  constructor(private readonly max = MAX_TERMINAL_OUTPUT_CHARS) {}
  append(data: string): void {
    this.raw += data;
    if (this.raw.length > this.max * 2) {
      this.raw = this.raw.slice(-this.max * 2);
      this.dropped = true;
    }
  }
  result(): { output: string; truncated: boolean } {
    const clean = cleanTerminalOutput(this.raw);
    const cut = clean.length > this.max;
    return { output: cut ? clean.slice(-this.max) : clean, truncated: this.dropped || cut };
  }
}

/** How long the end of a command waits for the rest of its output to be read. */
const DRAIN_MS = 1_000;

export class TerminalHistory implements vscode.Disposable {
  private readonly last = new Map<vscode.Terminal, TerminalExecution>();
  private readonly reading = new Map<vscode.TerminalShellExecution, { tail: OutputTail; done: Promise<void> }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly changed: () => void) {
    this.subscriptions = [
      vscode.window.onDidStartTerminalShellExecution((event) => this.read(event.execution)),
      vscode.window.onDidEndTerminalShellExecution((event) => void this.finish(event)),
      vscode.window.onDidChangeActiveTerminal(() => this.changed()),
      vscode.window.onDidChangeTerminalShellIntegration(() => this.changed()),
      vscode.window.onDidCloseTerminal((terminal) => {
        this.last.delete(terminal);
        this.changed();
      }),
    ];
  }

  /** What `@terminal` would attach now, or why it cannot. */
  status(): TerminalContextStatus {
    const found = this.lastExecution();
    if ('reason' in found) return { available: false, reason: found.reason };
    return { available: true, terminal: found.terminal, command: found.commandLine, exitCode: found.exitCode };
  }

  /** The active terminal's last finished command; throws, saying why, when there is none. */
  execution(): TerminalExecution {
    const found = this.lastExecution();
    if ('reason' in found) throw new Error(vscode.l10n.t('{0}. Remove @terminal to send without it.', found.reason));
    return found;
  }

  private lastExecution(): TerminalExecution | { reason: string } {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { reason: vscode.l10n.t('No terminal is open') };
    const execution = this.last.get(terminal);
    if (execution) return execution;
    if (!terminal.shellIntegration) return { reason: vscode.l10n.t('The terminal “{0}” has no shell integration, so its commands cannot be read', terminal.name) };
    return { reason: vscode.l10n.t('No command has finished in the terminal “{0}” yet', terminal.name) };
  }

  private read(execution: vscode.TerminalShellExecution): void {
    const tail = new OutputTail();
    const done = (async () => {
      try {
        for await (const data of execution.read()) tail.append(data);
      } catch {
        // The stream ended with the terminal: what was read is kept.
      }
    })();
    this.reading.set(execution, { tail, done });
  }

  private async finish(event: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const entry = this.reading.get(event.execution);
    this.reading.delete(event.execution);
    if (entry) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([entry.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
      clearTimeout(timer);
    }
    const { output, truncated } = entry?.tail.result() ?? { output: '', truncated: false };
    this.last.set(event.terminal, {
      terminal: event.terminal.name,
      commandLine: event.execution.commandLine.value,
      exitCode: event.exitCode ?? null,
      output,
      truncated,
    });
    this.changed();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
