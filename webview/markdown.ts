// Markdown for agent messages and reasoning summaries: markdown-it with raw HTML off (so model text cannot
// inject markup), code blocks highlighted by highlight.js under a bar with their language and a Copy button,
// wide tables in a box of their own that scrolls, and links that the host opens after its own check.
import * as l10n from '@vscode/l10n';
import MarkdownIt from 'markdown-it';
import { iconButton } from './dom';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdownLanguage from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, css, diff, go, java, javascript, json, markdown: markdownLanguage, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['rs'], { languageName: 'rust' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['yml', 'toml'], { languageName: 'yaml' });
hljs.registerAliases(['md'], { languageName: 'markdown' });
hljs.registerAliases(['patch'], { languageName: 'diff' });

const md = new MarkdownIt({
  html: false,
  linkify: true,
  highlight(code, lang): string {
    const language = lang && hljs.getLanguage(lang) ? lang : undefined;
    if (!language) return '';
    try {
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    } catch {
      return '';
    }
  },
});

/** Renders markdown into `target`, replacing its content. */
export function renderMarkdown(target: HTMLElement, text: string): void {
  // Safe: markdown-it escapes everything when `html` is off, and its link validation drops javascript:.
  target.innerHTML = md.render(text);
  for (const pre of Array.from(target.querySelectorAll('pre'))) {
    const block = document.createElement('div');
    block.className = 'code-block';
    // The language and Copy sit in a bar above the code, so the button never covers a line of it.
    const language = document.createElement('span');
    language.className = 'code-language';
    language.textContent = /(?:^|\s)language-(\S+)/.exec(pre.querySelector('code')?.className ?? '')?.[1] ?? '';
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
