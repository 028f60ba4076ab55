// highlight.js and the fourteen grammars the chat highlights: what dist/webview-highlighter.js carries, apart
// from the page's own script, so that opening the chat does not parse them. Each module is loaded the first
// time it is used: esbuild bundles each required module as a function it runs on the first call, whereas an
// import is evaluated when the script starts.
/* eslint-disable @typescript-eslint/no-require-imports */
import type { HLJSApi, LanguageFn } from 'highlight.js';

/** What the highlighter needs from highlight.js: a new instance, and each grammar by the name it is registered under. */
export interface HighlightModules {
  core(): HLJSApi;
  grammars: ReadonlyMap<string, () => LanguageFn>;
}

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

export const HIGHLIGHT_MODULES: HighlightModules = {
  core: () => require('highlight.js/lib/core'),
  grammars: GRAMMARS,
};
