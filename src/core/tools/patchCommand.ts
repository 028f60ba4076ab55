// apply_patch sent as a shell script through exec_command: `apply_patch <<'EOF' … EOF` (or `applypatch`),
// optionally after `cd <dir> &&`. Models trained on codex send this form; it runs as a real patch (a
// fileChange item, approval as for the tool, the turn diff), never as a shell command that is not found.
import * as path from 'node:path';
import type { ToolCallContext, ToolResult } from './registry';
import { runPatch } from './applyPatchTool';

export interface PatchCommand {
  /** The patch text between the heredoc markers. */
  patch: string;
  /** The `cd` target, when the script starts with `cd <dir> &&`. */
  dir: string | undefined;
}

// A word the shell would read as one argument: bare, or in single or double quotes without expansions.
const WORD = String.raw`(?:'[^']*'|"[^"$\`\\]*"|[^\s'"$\`\\;&|<>()]+)`;
const HEAD = new RegExp(String.raw`^(?:cd\s+(${WORD})\s*&&\s*)?(?:apply_patch|applypatch)\s*<<\s*(${WORD})[ \t]*\n`);

/** The patch a script consisting solely of an apply_patch heredoc carries; anything else is a command. */
export function parsePatchCommand(script: string): PatchCommand | undefined {
  const text = script.trim();
  const head = HEAD.exec(text);
  if (!head) return undefined;
  const delimiter = unquote(head[2]!);
  if (delimiter === '') return undefined;
  const body = text.slice(head[0].length).split('\n');
  // The delimiter closes the heredoc on the last line; anything after it would be a second command.
  if (body.length < 1 || body[body.length - 1]!.trim() !== delimiter) return undefined;
  return { patch: body.slice(0, -1).join('\n'), dir: head[1] === undefined ? undefined : unquote(head[1]) };
}

function unquote(word: string): string {
  return /^(['"]).*\1$/s.test(word) ? word.slice(1, -1) : word;
}

/**
 * Runs a heredoc patch the way the apply_patch tool runs one, in the folder the script names. A patch that
 * applies answers as codex answers this form (an exec result around the tool's); a failure is the tool's
 * own message, so the model reads the patch error and not a shell's.
 */
export async function runPatchCommand(command: PatchCommand, workdir: string, callId: string, context: ToolCallContext): Promise<ToolResult> {
  const started = Date.now();
  const cwd = command.dir === undefined ? workdir : path.resolve(workdir, command.dir);
  const result = await runPatch(command.patch, callId, context, cwd);
  if (!result.success) return result;
  const seconds = (Date.now() - started) / 1000;
  return { ...result, output: `Wall time: ${seconds.toFixed(4)} seconds\nOutput:\nExit code: 0\nWall time: ${Math.floor(seconds)} seconds\nOutput:\n${result.output}` };
}
