// Highlighting for code blocks: highlight.js with fourteen grammars. Each grammar's module is loaded and
// registered the first time a block in its language (or one of its aliases) is highlighted, and highlight.js
// itself is built then too, so opening the chat pays only for what it shows. The output is the same as with
// every grammar registered up front.
//
// Loading uses require(): esbuild bundles each required module as a function it runs on the first call,
// whereas an import is evaluated when the page's script starts.
/* eslint-disable @typescript-eslint/no-require-imports */
import type { HLJSApi, LanguageFn } from 'highlight.js';

/** The grammars' modules, by the name highlight.js registers each under. */
export const GRAMMARS: ReadonlyMap<string, () => LanguageFn> = new Map<string, () => LanguageFn>([
  ['bash', () => require('highlight.js/lib/languages/bash')],
  ['css', () => require('highlight.js/lib/languages/css')],
  ['diff', () => require('highlight.js/lib/languages/diff')],
  ['go', () => require('highlight.js/lib/languages/go')],
  ['java', () => require('highlight.js/lib/languages/java')],
  ['javascript', () => require('highlight.js/lib/languages/javascript')],
  ['json', () => require('highlight.js/lib/languages/json')],
  ['markdown', () => require('highlight.js/lib/languages/markdown')],
  ['python', () => require('highlight.js/lib/languages/python')],
  ['rust', () => require('highlight.js/lib/languages/rust')],
  ['sql', () => require('highlight.js/lib/languages/sql')],
  ['typescript', () => require('highlight.js/lib/languages/typescript')],
  ['xml', () => require('highlight.js/lib/languages/xml')],
  ['yaml', () => require('highlight.js/lib/languages/yaml')],
]);

/**
 * Grammars that hand part of their text to another (html`…` and css`…` in scripts, <style> and <script> in
 * HTML, inline HTML in markdown). highlight.js leaves such parts plain unless that grammar is registered too.
 */
export const EMBEDDED: ReadonlyMap<string, readonly string[]> = new Map([
  ['javascript', ['xml', 'css']],
  ['typescript', ['xml', 'css']],
  ['xml', ['css', 'javascript']],
  ['markdown', ['xml']],
]);

/**
 * Other names a block may carry, lower case: each grammar's own aliases (which highlight.js would register
 * with it) and the few more that models write (shell, console, toml).
 */
export const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    bash: ['sh', 'zsh', 'shell', 'console'],
    diff: ['patch'],
    go: ['golang'],
    java: ['jsp'],
    javascript: ['js', 'jsx', 'mjs', 'cjs'],
    json: ['jsonc', 'json5'],
    markdown: ['md', 'mkdown', 'mkd'],
    python: ['py', 'gyp', 'ipython'],
    rust: ['rs'],
    typescript: ['ts', 'tsx', 'mts', 'cts'],
    xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
    yaml: ['yml', 'toml'],
  }).flatMap(([grammar, aliases]) => aliases.map((alias): [string, string] => [alias, grammar])),
);

/** The grammar for a block's language word, or undefined when none of ours fits (case does not matter). */
export function grammarFor(language: string): string | undefined {
  const name = language.toLowerCase();
  return GRAMMARS.has(name) ? name : ALIASES.get(name);
}

/** Highlights code, building its highlight.js instance and registering the grammars a block needs on first use. */
export class CodeHighlighter {
  private instance: HLJSApi | undefined;
  private readonly ready = new Set<string>();
  /** Grammars that have highlighted a block: highlight.js compiles a grammar the first time it is used. */
  private readonly used = new Set<string>();

  constructor(private readonly build: () => HLJSApi) {}

  /** The code as highlighted HTML, or undefined when its language is not one we highlight. */
  highlight(code: string, language: string): string | undefined {
    const grammar = grammarFor(language);
    if (!grammar) return undefined;
    this.instance ??= this.build();
    this.register(this.instance, grammar);
    const html = this.instance.highlight(code, { language: grammar, ignoreIllegals: true }).value;
    this.used.add(grammar);
    return html;
  }

  /**
   * Whether highlighting in `language` would first load and compile its grammar, which costs more than
   * highlighting a block; false for a language we do not highlight.
   */
  isCold(language: string): boolean {
    const grammar = grammarFor(language);
    return grammar !== undefined && !this.used.has(grammar);
  }

  /** The grammars registered so far. */
  registered(): string[] {
    return this.instance?.listLanguages() ?? [];
  }

  private register(instance: HLJSApi, grammar: string): void {
    if (this.ready.has(grammar)) return;
    this.ready.add(grammar);
    instance.registerLanguage(grammar, GRAMMARS.get(grammar)!());
    for (const embedded of EMBEDDED.get(grammar) ?? []) this.register(instance, embedded);
  }
}

/** The page's highlighter. */
export const codeHighlighter = new CodeHighlighter(() => require('highlight.js/lib/core'));
