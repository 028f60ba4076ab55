// Highlighting for code blocks: highlight.js with fourteen grammars, which arrive in a script of their own
// (highlighterScript.ts). Each grammar is registered the first time a block in its language (or one of its
// aliases) is highlighted, and highlight.js itself is built then too, so opening the chat pays only for what
// it shows. The output is the same as with every grammar registered up front.
import type { HLJSApi } from 'highlight.js';
import type { HighlightModules } from './highlightGrammars';
import { loadedHighlightModules } from './highlighterScript';

/** The names highlight.js registers the grammars under (the modules are highlightGrammars.ts's GRAMMARS). */
export const GRAMMAR_NAMES: ReadonlySet<string> = new Set(['bash', 'css', 'diff', 'go', 'java', 'javascript', 'json', 'markdown', 'python', 'rust', 'sql', 'typescript', 'xml', 'yaml']);

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
  return GRAMMAR_NAMES.has(name) ? name : ALIASES.get(name);
}

/** Highlights code, building its highlight.js instance and registering the grammars a block needs on first use. */
export class CodeHighlighter {
  private instance: HLJSApi | undefined;
  private readonly ready = new Set<string>();
  /** Grammars that have highlighted a block: highlight.js compiles a grammar the first time it is used. */
  private readonly used = new Set<string>();

  /** `modules`: highlight.js and the grammars' modules, or undefined while they have not arrived. */
  constructor(private readonly modules: () => HighlightModules | undefined) {}

  /** Whether highlight.js is there to highlight with. */
  get loaded(): boolean {
    return this.modules() !== undefined;
  }

  /** The code as highlighted HTML, or undefined when its language is not one we highlight (or nothing can be highlighted yet). */
  highlight(code: string, language: string): string | undefined {
    const grammar = grammarFor(language);
    const modules = this.modules();
    if (!grammar || !modules) return undefined;
    this.instance ??= modules.core();
    this.register(this.instance, modules, grammar);
    const html = this.instance.highlight(code, { language: grammar, ignoreIllegals: true }).value;
    this.used.add(grammar);
    return html;
  }

  /**
   * Whether highlighting in `language` would first load and compile its grammar, which costs more than
   * highlighting a block (or must wait for highlight.js to arrive); false for a language we do not highlight.
   */
  isCold(language: string): boolean {
    const grammar = grammarFor(language);
    return grammar !== undefined && !this.used.has(grammar);
  }

  /** The grammars registered so far. */
  registered(): string[] {
    return this.instance?.listLanguages() ?? [];
  }

  private register(instance: HLJSApi, modules: HighlightModules, grammar: string): void {
    if (this.ready.has(grammar)) return;
    this.ready.add(grammar);
    instance.registerLanguage(grammar, modules.grammars.get(grammar)!());
    for (const embedded of EMBEDDED.get(grammar) ?? []) this.register(instance, modules, embedded);
  }
}

/** The page's highlighter. */
export const codeHighlighter = new CodeHighlighter(loadedHighlightModules);
