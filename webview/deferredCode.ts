// While a thread opens, code in a language whose grammar has not been used yet shows plain at first: loading
// and compiling a grammar costs more than everything else on the first screen. The grammar is loaded when
// the page is next idle, and the blocks still shown are highlighted then, exactly as they would have been.
// Until highlight.js itself has arrived (its script is loaded in idle time too), every block waits so.
import { codeHighlighter } from './codeHighlight';
import { loadHighlightModules } from './highlighterScript';

/** Idle time (ms) a grammar's first use waits for: loading and compiling it should not delay a frame. */
const COLD_GRAMMAR_IDLE_MS = 10;
/** However busy the page stays, its code is highlighted within this long (ms). */
const LATEST_MS = 1000;

let deferring = false;
/** Code elements left plain, oldest first. */
const waiting: HTMLElement[] = [];
let idle: number | undefined;

/** Runs `render` with code in grammars not used yet left plain, to be highlighted in idle time. */
export function deferringColdGrammars(render: () => void): void {
  deferring = true;
  try {
    render();
  } finally {
    deferring = false;
  }
}

/** Whether a block in `language` is to be shown plain for now (and given to `highlightLater`). */
export function leavePlain(language: string): boolean {
  return codeHighlighter.isCold(language) && (deferring || !codeHighlighter.loaded);
}

/** Loads highlight.js once the page is idle, so that code arriving later can be highlighted as it is shown. */
export function loadHighlighterWhenIdle(): void {
  if (!codeHighlighter.loaded) requestIdleCallback(() => void loadHighlightModules(), { timeout: LATEST_MS });
}

/** The language a code block was written in, as markdown-it names it in the element's class. */
export function languageOf(code: Element): string {
  return /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
}

/** Highlights the code blocks of `target` that were left plain once the page is idle, if they are still shown. */
export function highlightLater(target: HTMLElement): void {
  for (const code of Array.from(target.querySelectorAll<HTMLElement>('pre > code'))) {
    if (codeHighlighter.isCold(languageOf(code))) waiting.push(code);
  }
  if (waiting.length > 0) idle ??= requestIdleCallback(highlightWaiting, { timeout: LATEST_MS });
}

function highlightWaiting(deadline: IdleDeadline): void {
  idle = undefined;
  if (!codeHighlighter.loaded) {
    void loadHighlightModules().then((modules) => {
      // A script that did not load leaves the code plain, as a grammar that fails does.
      if (!modules) waiting.length = 0;
      else if (waiting.length > 0) idle ??= requestIdleCallback(highlightWaiting, { timeout: LATEST_MS });
    });
    return;
  }
  while (waiting.length > 0) {
    const code = waiting[0]!;
    const language = languageOf(code);
    // A grammar's first use waits for an idle period long enough for it, or for the deadline.
    const needs = code.isConnected && codeHighlighter.isCold(language) ? COLD_GRAMMAR_IDLE_MS : 1;
    if (!deadline.didTimeout && deadline.timeRemaining() < needs) break;
    waiting.shift();
    // A row scrolled away or filled again since was dropped, or highlighted as it was built.
    if (!code.isConnected) continue;
    try {
      const html = codeHighlighter.highlight(code.textContent ?? '', language);
      if (html !== undefined) code.innerHTML = html;
    } catch {
      // Stays plain, as a block whose grammar fails does.
    }
  }
  if (waiting.length > 0) idle = requestIdleCallback(highlightWaiting, { timeout: LATEST_MS });
}
