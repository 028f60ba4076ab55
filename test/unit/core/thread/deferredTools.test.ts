import { strict as assert } from 'node:assert';
import type { ResponseItem } from '../../../../src/core/model/responseItems';
import { deferredToolsText, normalizeDescription, normalizeNamespaces, toldDeferredTools, type DeferredNamespaces } from '../../../../src/core/thread/deferredTools';

const ns = (entries: Array<[string, string]>): DeferredNamespaces => normalizeNamespaces(new Map(entries));
const developer = (text: string): ResponseItem => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('deferred tool namespaces in the developer context', () => {
  it('lists every namespace by name with the first line of its description, in name order', () => {
    const text = deferredToolsText(ns([['mcp__zeta', '  Reads tickets.  \nMore detail.'], ['mcp__alpha', 'Sends mail & labels'], ['mcp__quiet', '']]), null);
    assert.equal(text, '<tools>\nDeferred tool namespaces:\n- mcp__alpha: Sends mail & labels\n- mcp__quiet\n- mcp__zeta: Reads tickets.\n</tools>');
  });

  it('says nothing when there are no namespaces and nothing was told', () => {
    assert.equal(deferredToolsText(new Map(), null), null);
  });

  it('caps a description at 250 characters, counting characters rather than bytes', () => {
    assert.equal(normalizeDescription('é'.repeat(250)), 'é'.repeat(250));
    assert.equal(normalizeDescription('🦀'.repeat(251)), `${'🦀'.repeat(247)}...`);
  });

  it('tells what was added, changed and removed since the history last said, and nothing when unchanged', () => {
    const told = ns([['kept', 'same'], ['mail', 'old mail'], ['gone', 'was here']]);
    const current = ns([['kept', 'same'], ['mail', 'new mail'], ['app', 'an app']]);
    assert.equal(
      deferredToolsText(current, told),
      '<tools>\nAdded deferred tool namespaces:\n- app: an app\n- mail: new mail\nRemoved deferred tool namespaces:\n- gone: was here\n</tools>',
    );
    assert.equal(deferredToolsText(current, current), null);
  });

  it('says so when every namespace is gone', () => {
    assert.equal(deferredToolsText(new Map(), ns([['a', 'x']])), '<tools>\nRemoved deferred tool namespaces:\n- a: x\nNo deferred tool namespaces remain.\n</tools>');
    // Once none remain, namespaces that come back are listed anew.
    assert.equal(deferredToolsText(ns([['a', 'x']]), new Map()), '<tools>\nDeferred tool namespaces:\n- a: x\n</tools>');
    assert.equal(deferredToolsText(new Map(), new Map()), null);
  });

  it('reads back from the history what it last told, across a full list and later changes', () => {
    const first = deferredToolsText(ns([['a', 'one'], ['b', 'two']]), null)!;
    const change = deferredToolsText(ns([['b', 'two'], ['c', 'three']]), ns([['a', 'one'], ['b', 'two']]))!;
    const history: ResponseItem[] = [developer('<permissions instructions>\n…'), developer(first), { type: 'message', role: 'user', content: [{ type: 'input_text', text: first }] }, developer(change)];
    assert.deepEqual([...toldDeferredTools(history)!], [['b', 'two'], ['c', 'three']]);
    assert.equal(toldDeferredTools([developer('<permissions instructions>')]), null);
    const emptied = deferredToolsText(new Map(), ns([['b', 'two'], ['c', 'three']]))!;
    assert.deepEqual([...toldDeferredTools([...history, developer(emptied)])!], []);
  });

  it('keeps every name and shares the 4 KiB left among descriptions: short ones whole, long ones cut evenly', () => {
    const many = ns(Array.from({ length: 100 }, (_, i) => [`namespace_${String(i).padStart(2, '0')}`, '&'.repeat(250)] as [string, string]));
    const text = deferredToolsText(many, null)!;
    assert.ok(bytes(text) <= 4096, `${bytes(text)} bytes`);
    const rows = text.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(rows.length, 100);
    const lengths = rows.map((r) => r.split(': ')[1]!.length);
    assert.ok(rows.every((r) => r.endsWith('...')));
    assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 1, 'cut evenly');
    assert.ok(bytes(text) > 4096 - 100, 'the space is used');

    const mixed = ns([['a'.repeat(4030), 'abcdefghijklmnop'], ['b', 'X'], ['c', '']]);
    const out = deferredToolsText(mixed, null)!;
    assert.ok(out.includes('\n- b: X\n') && out.includes('\n- c\n'), 'short descriptions stay whole');
    assert.match(out, /- a+: abcde\.\.\.\n/);
    assert.ok(bytes(out) <= 4096);
  });

  it('never splits a character when it cuts a description', () => {
    const text = deferredToolsText(ns([['a'.repeat(4020), '🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀'], ['z', 'é'.repeat(40)]]), null)!;
    assert.ok(!text.includes('\uFFFD'));
    assert.ok(bytes(text) <= 4096);
    assert.match(text, /- z: é*\.\.\./);
  });

  it('leaves out names only when the names alone do not fit, and says how many', () => {
    const huge = ns(Array.from({ length: 60 }, (_, i) => [`mcp__${'n'.repeat(80)}_${i}`, 'desc'] as [string, string]));
    const text = deferredToolsText(huge, null)!;
    assert.ok(bytes(text) <= 4096, `${bytes(text)} bytes`);
    const shown = text.split('\n').filter((l) => l.startsWith('- '));
    assert.ok(shown.every((l) => !l.includes(': ')), 'no descriptions once names are left out');
    assert.match(text, new RegExp(`\\.\\.\\. ${60 - shown.length} additional namespaces omitted\\.\\n</tools>$`));
  });

  it('does not tell again names it could only list without their descriptions', () => {
    const crowded = ns(Array.from({ length: 43 }, (_, i) => [`mcp__${'n'.repeat(80)}_${String(i).padStart(3, '0')}`, 'x'.repeat(100)] as [string, string]));
    const text = deferredToolsText(crowded, null)!;
    assert.ok(text.split('\n').filter((l) => l.startsWith('- ')).every((l) => !l.includes(': ')), 'names alone');
    assert.equal(deferredToolsText(crowded, toldDeferredTools([developer(text)])), null);
  });

  it('takes a cut description read back from the history as the full one it begins', () => {
    const long = ns([['a'.repeat(4030), 'abcdefghijklmnopqrstuvwxyz'], ['b', 'X']]);
    const told = toldDeferredTools([developer(deferredToolsText(long, null)!)])!;
    assert.notEqual(told.get('a'.repeat(4030)), 'abcdefghijklmnopqrstuvwxyz');
    assert.equal(deferredToolsText(long, told), null);
  });
});
