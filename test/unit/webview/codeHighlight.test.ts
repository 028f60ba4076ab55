// Code highlighting builds highlight.js and registers a grammar only when a block needs them, and highlights
// exactly as it did with every grammar registered up front: the same names and aliases, the same embedded
// languages.
import { strict as assert } from 'node:assert';
import type { HLJSApi, Language } from 'highlight.js';
import hljs from 'highlight.js/lib/core';
import { ALIASES, CodeHighlighter, EMBEDDED, GRAMMAR_NAMES, grammarFor } from '../../../webview/codeHighlight';
import { GRAMMARS, HIGHLIGHT_MODULES } from '../../../webview/highlightGrammars';
import { EXTRA_ALIASES, eagerHighlight, eagerHighlighter } from '../../support/eagerHighlight';

/** A bit of every grammar, and text that other grammars embed: HTML in a script template, style and script in HTML. */
const SAMPLE = [
  '#!/bin/bash',
  'echo "hello $USER" | grep -v x && export A=1',
  'const el = html`<div class="note" id="${id}">${text}</div>`;',
  'const style = css`.note { color: red; margin: 0 auto; }`;',
  'interface Point { x: number; y?: string } // a comment',
  '<script type="module">let a: number = 1; console.log(`t ${a}`);</script>',
  '<style>p > a:hover { color: #fff !important; }</style>',
  '# Heading <b>bold</b> and *emphasis* with `code`',
  'def f(x): return [i for i in range(x)]  # python',
  'fn main() { let v: Vec<u8> = vec![1]; println!("{}", v.len()); }',
  'SELECT id, name FROM users WHERE age > 21 ORDER BY name;',
  'key: value\nlist:\n  - item # yaml',
  '--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-old\n+new',
  'package main\nfunc main() { fmt.Println("go") }',
  'public class A { private final int x = 1; }',
  '{"json": [1, 2.5, true, null]}',
].join('\n');

const lazy = () => new CodeHighlighter(() => ({ core: () => hljs.newInstance(), grammars: GRAMMARS }));

/** Every sub-language a grammar's modes name, found by walking its definition. */
function subLanguagesOf(language: Language): Set<string> {
  const found = new Set<string>();
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || value instanceof RegExp) return;
    seen.add(value);
    const mode = value as { subLanguage?: string | string[] };
    if (mode.subLanguage !== undefined) for (const name of ([] as string[]).concat(mode.subLanguage)) found.add(name);
    for (const child of Object.values(value)) walk(child);
  };
  walk(language);
  return found;
}

describe('webview: code highlighting', () => {
  let eager: HLJSApi;
  before(() => {
    eager = eagerHighlighter();
  });

  it('builds highlight.js only for the first block in a language it knows', () => {
    let builds = 0;
    const highlighter = new CodeHighlighter(() => ({
      core: () => {
        builds += 1;
        return hljs.newInstance();
      },
      grammars: GRAMMARS,
    }));
    assert.deepEqual(highlighter.registered(), []);
    assert.equal(highlighter.highlight('plain words', 'text'), undefined);
    assert.equal(builds, 0, 'a block in an unknown language needs no highlighter');
    highlighter.highlight('{"a": 1}', 'json');
    highlighter.highlight('-a\n+b', 'diff');
    assert.equal(builds, 1);
    assert.deepEqual(highlighter.registered(), ['json', 'diff']);
  });

  it('highlights TypeScript with HTML in a template as before, registering only what that needs', () => {
    const highlighter = lazy();
    const code = 'const view = html`<ul class="list"><li>${item}</li></ul>`;\nexport function f(x: number): string { return `${x}`; }\n';
    const html = highlighter.highlight(code, 'ts')!;
    assert.equal(html, eagerHighlight(eager, code, 'ts'));
    assert.match(html, /<span class="hljs-tag">&lt;<span class="hljs-name">ul<\/span>/, 'the template is highlighted as HTML');
    assert.match(html, /<span class="hljs-keyword">export<\/span>/);
    // HTML embeds CSS and JavaScript in turn, and TypeScript's css`…` templates need CSS.
    assert.deepEqual(highlighter.registered().sort(), ['css', 'javascript', 'typescript', 'xml']);
  });

  it('highlights a block named by an alias with its grammar, and only that grammar', () => {
    const highlighter = lazy();
    const code = 'echo "hi $HOME" | grep -c x\n';
    const html = highlighter.highlight(code, 'sh')!;
    assert.equal(html, eagerHighlight(eager, code, 'sh'));
    assert.match(html, /<span class="hljs-built_in">echo<\/span>/);
    assert.equal(highlighter.highlight(code, 'SHELL'), html, 'the language word is not case-sensitive');
    assert.deepEqual(highlighter.registered(), ['bash']);
  });

  it('says which languages would first load their grammar: those not highlighted yet, by any of their names', () => {
    const highlighter = lazy();
    assert.equal(highlighter.isCold('ts'), true);
    assert.equal(highlighter.isCold('cobol'), false, 'an unknown language loads nothing');
    assert.equal(highlighter.isCold(''), false);
    highlighter.highlight('const a = 1;\n', 'TypeScript');
    assert.equal(highlighter.isCold('ts'), false, 'the same grammar under an alias');
    // JavaScript came with TypeScript (for its templates) but has not highlighted a block: it is compiled then.
    assert.equal(highlighter.isCold('js'), true);
  });

  it('highlights nothing until highlight.js has arrived, and every language it knows waits for it', () => {
    const arrived: { modules?: typeof HIGHLIGHT_MODULES } = {};
    const highlighter = new CodeHighlighter(() => arrived.modules);
    assert.equal(highlighter.loaded, false);
    assert.equal(highlighter.isCold('ts'), true, 'a known language waits');
    assert.equal(highlighter.isCold('cobol'), false, 'an unknown one never does');
    assert.equal(highlighter.highlight('const a = 1;\n', 'ts'), undefined);
    arrived.modules = { core: () => hljs.newInstance(), grammars: GRAMMARS };
    assert.equal(highlighter.loaded, true);
    assert.equal(highlighter.highlight('const a = 1;\n', 'ts'), eagerHighlight(eager, 'const a = 1;\n', 'ts'));
    assert.equal(highlighter.isCold('ts'), false);
  });

  it('names the same grammars as the highlighter script carries, and that script builds highlight.js', () => {
    assert.deepEqual([...GRAMMAR_NAMES].sort(), [...GRAMMARS.keys()].sort());
    const highlighter = new CodeHighlighter(() => HIGHLIGHT_MODULES);
    assert.equal(highlighter.highlight('{"a": 1}', 'json'), eagerHighlight(eager, '{"a": 1}', 'json'));
  });

  it('leaves a block in an unknown language alone and registers nothing', () => {
    const highlighter = lazy();
    for (const language of ['cobol', 'text', 'constructor', '__proto__', 'graphql', 'ruby']) {
      assert.equal(highlighter.highlight('DISPLAY "X".', language), undefined, language);
      assert.equal(eagerHighlight(eager, 'DISPLAY "X".', language), undefined, `${language} was not highlighted before either`);
    }
    assert.deepEqual(highlighter.registered(), []);
  });

  it('knows every name the grammars answered to before, and no other', () => {
    const before = new Map<string, string>();
    for (const name of GRAMMARS.keys()) {
      before.set(name, name);
      for (const alias of eager.getLanguage(name)!.aliases ?? []) before.set(alias.toLowerCase(), name);
    }
    for (const [name, aliases] of Object.entries(EXTRA_ALIASES)) for (const alias of aliases) before.set(alias, name);
    for (const [word, name] of before) assert.equal(grammarFor(word), name, word);
    const ours = new Set([...GRAMMARS.keys(), ...ALIASES.keys()]);
    assert.deepEqual([...ours].sort(), [...before.keys()].sort());
    for (const word of ours) assert.equal(eager.getLanguage(word), eager.getLanguage(grammarFor(word)!), `${word} resolved to the same grammar before`);
  });

  it('registers, with each grammar, every grammar it embeds', () => {
    for (const name of GRAMMARS.keys()) {
      const embedded = [...subLanguagesOf(eager.getLanguage(name)!)].filter((sub) => GRAMMARS.has(sub));
      const highlighter = lazy();
      highlighter.highlight('', name);
      for (const sub of embedded) assert.ok(highlighter.registered().includes(sub), `${name} embeds ${sub}`);
      assert.deepEqual([...(EMBEDDED.get(name) ?? [])].sort(), embedded.sort(), `${name}'s embedded grammars`);
    }
  });

  it('highlights every name exactly as before, each on a page that has seen no other block', () => {
    for (const word of [...GRAMMARS.keys(), ...ALIASES.keys()]) {
      for (const spelling of [word, word.toUpperCase()]) {
        assert.equal(lazy().highlight(SAMPLE, spelling), eagerHighlight(eager, SAMPLE, spelling), spelling);
      }
    }
  });
});
