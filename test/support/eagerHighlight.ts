// The chat's code highlighting as it was before grammars were registered on demand: all fourteen grammars
// and the extra aliases registered up front. Tests compare the on-demand highlighter with it.
import type { HLJSApi } from 'highlight.js';
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

/** The aliases registered on top of the grammars' own. */
export const EXTRA_ALIASES: Record<string, string[]> = {
  bash: ['sh', 'shell', 'zsh', 'console'],
  typescript: ['ts', 'tsx'],
  javascript: ['js', 'jsx', 'mjs', 'cjs'],
  python: ['py'],
  rust: ['rs'],
  xml: ['html', 'svg'],
  yaml: ['yml', 'toml'],
  markdown: ['md'],
  diff: ['patch'],
};

export function eagerHighlighter(): HLJSApi {
  const instance = hljs.newInstance();
  const languages = { bash, css, diff, go, java, javascript, json, markdown: markdownLanguage, python, rust, sql, typescript, xml, yaml };
  for (const [name, language] of Object.entries(languages)) instance.registerLanguage(name, language);
  for (const [languageName, aliases] of Object.entries(EXTRA_ALIASES)) instance.registerAliases(aliases, { languageName });
  return instance;
}

/** What the chat rendered for a fenced block in `language`: highlighted HTML, or undefined (markdown-it escapes the code). */
export function eagerHighlight(instance: HLJSApi, code: string, language: string): string | undefined {
  if (!language || !instance.getLanguage(language)) return undefined;
  return instance.highlight(code, { language, ignoreIllegals: true }).value;
}
