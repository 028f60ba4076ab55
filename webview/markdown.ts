// Markdown for agent messages and reasoning summaries: markdown-it with raw HTML off (so model text cannot
// inject markup), code blocks highlighted by highlight.js under a bar with their language and a Copy button,
// wide tables in a box of their own that scrolls, and links that the host opens after its own check.
import * as l10n from '@vscode/l10n';
import MarkdownIt from 'markdown-it';
import { iconButton } from './dom';
import { codeHighlighter } from './codeHighlight';
import { highlightLater, languageOf, leavePlain } from './deferredCode';

/** Whether the render in progress left a block plain for later. */
let leftPlain = false;

const md = new MarkdownIt({
  html: false,
  linkify: true,
  highlight(code, lang): string {
    // An empty answer makes markdown-it escape the code itself: for unknown languages, and should a grammar fail.
    try {
      if (lang && leavePlain(lang)) {
        leftPlain = true;
        return '';
      }
      return (lang && codeHighlighter.highlight(code, lang)) || '';
    } catch {
      return '';
    }
  },
});

/** Renders markdown into `target`, replacing its content. */
export function renderMarkdown(target: HTMLElement, text: string): void {
  // Safe: markdown-it escapes everything when `html` is off, and its link validation drops javascript:.
  leftPlain = false;
  target.innerHTML = md.render(text);
  if (leftPlain) highlightLater(target);
  for (const pre of Array.from(target.querySelectorAll('pre'))) {
    const block = document.createElement('div');
    block.className = 'code-block';
    // The language and Copy sit in a bar above the code, so the button never covers a line of it.
    const language = document.createElement('span');
    language.className = 'code-language';
    const code = pre.querySelector('code');
    language.textContent = code ? languageOf(code) : '';
    const copy = iconButton('copy', l10n.t('Copy'), 'copy icon-button');
    copy.setAttribute('aria-label', l10n.t('Copy code'));
    copy.dataset.action = 'copy-code';
    pre.replaceWith(block);
    block.append(language, copy, pre);
  }
  // A wide table scrolls sideways in its own box instead of widening the sidebar; the box takes the focus
  // so the keyboard can scroll it too.
  for (const table of Array.from(target.querySelectorAll('table'))) {
    const scroll = document.createElement('div');
    scroll.className = 'table-scroll';
    scroll.tabIndex = 0;
    scroll.setAttribute('role', 'region');
    scroll.setAttribute('aria-label', l10n.t('Table'));
    table.replaceWith(scroll);
    scroll.append(table);
  }
  for (const link of Array.from(target.querySelectorAll('a'))) {
    link.title = link.getAttribute('href') ?? '';
  }
}
