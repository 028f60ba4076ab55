// The context the @ menu offers besides files: `@problems` (the workspace's, or the active file's),
// `@terminal` (the last command and its output) and `@url` (a web page, fetched after approval). Chosen
// from the menu they become chips; typed out, they are attached when the message is sent.
import * as l10n from '@vscode/l10n';
import type { IdeContext } from '../src/protocol';
import type { Attachment } from './attachments';
import { fileName } from './fileName';

export interface ContextChoice {
  /** What follows the @. */
  name: 'problems' | 'terminal' | 'url';
  detail: string;
  /** The terminal has nothing to attach: shown, but marked. */
  warning?: boolean;
  /** Null for @url: the address is typed next. */
  attachment: Attachment | null;
}

/** The choices whose name starts with what follows the @. */
export function contextChoices(query: string, ide: IdeContext | null): ContextChoice[] {
  const editor = ide?.editor;
  const terminal = ide?.terminal;
  const choices: ContextChoice[] = [
    { name: 'problems', detail: l10n.t('Problems in the workspace'), attachment: { kind: 'problems', path: null } },
    ...(editor ? [{ name: 'problems' as const, detail: l10n.t('Problems in {0}', fileName(editor.relativePath)), attachment: { kind: 'problems' as const, path: editor.path } }] : []),
    {
      name: 'terminal',
      detail: terminal ? (terminal.available ? l10n.t('Last command: {0}', terminal.command) : terminal.reason) : l10n.t('The last command in the active terminal'),
      ...(terminal?.available === false ? { warning: true } : {}),
      attachment: { kind: 'terminal' },
    },
    { name: 'url', detail: l10n.t('A web page’s text (asks before fetching)'), attachment: null },
  ];
  const wanted = query.toLowerCase();
  return choices.filter((choice) => choice.name.startsWith(wanted));
}

/** An http(s) address, or null. */
export function webAddress(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * `@url https://…` right before the caret, ended by a space (`ended`), or at the caret (Enter): the span to
 * take out of the text and the address for a chip.
 */
export function urlBeforeCaret(text: string, caret: number, ended: boolean): { start: number; end: number; url: string } | null {
  const before = text.slice(0, caret);
  const match = (ended ? /(^|\s)@url\s+(\S+)\s$/ : /(^|\s)@url\s+(\S+)$/).exec(before);
  if (!match) return null;
  const url = webAddress(match[2]!);
  if (!url) return null;
  return { start: match.index + match[1]!.length, end: caret, url };
}

/**
 * Context named in the text as sent: `@problems`, `@terminal`, `@url <address>` (the words stay in the
 * message). Throws, with words the composer shows, for an `@url` without an http(s) address after it: the
 * message is not sent rather than sent without the page.
 */
export function typedContext(text: string): Attachment[] {
  const found: Attachment[] = [];
  for (const match of text.matchAll(/(?:^|\s)@(problems|terminal|url(?:\s+(\S+))?)(?=\s|$)/g)) {
    if (match[1] === 'problems') found.push({ kind: 'problems', path: null });
    else if (match[1] === 'terminal') found.push({ kind: 'terminal' });
    else {
      const typed = match[2];
      if (typed === undefined) throw new Error(l10n.t('Not sent: write a web address after @url, starting with http:// or https://.'));
      const url = webAddress(typed);
      if (!url) throw new Error(l10n.t('Not sent: after @url, “{0}” is not a web address. Write it starting with http:// or https://.', typed.length > 200 ? `${typed.slice(0, 200)}…` : typed));
      found.push({ kind: 'url', url });
    }
  }
  return found;
}
