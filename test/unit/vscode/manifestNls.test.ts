// The manifest's words are translatable: what package.json shows (its name, commands, views, settings,
// walkthrough) is a %key% with its English in package.nls.json, every key has its words and every entry is
// used; and the .vsix ships the files VS Code reads them from.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

/** Every string in the manifest, with where it is ("contributes.commands.0.title"). */
function strings(value: unknown, at: string[] = []): Array<{ at: string; text: string }> {
  if (typeof value === 'string') return [{ at: at.join('.'), text: value }];
  if (Array.isArray(value)) return value.flatMap((entry, index) => strings(entry, [...at, String(index)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, entry]) => strings(entry, [...at, key]));
  return [];
}

/** Fields VS Code shows to the user. */
const SHOWN = /^(displayName|description|contributes\.(viewsContainers\.\w+\.\d+\.title|views\.\w+\.\d+\.name|commands\.\d+\.(title|category)|menus\.[^.]+\.\d+\.title|configuration\.(title|properties\.[^.]+\.(description|markdownDescription|enumDescriptions\.\d+))|walkthroughs\.\d+\.(title|description|steps\.\d+\.(title|description|media\.altText)))|capabilities\.untrustedWorkspaces\.description)$/;

describe('vscode/manifest localization', () => {
  const manifest = read('package.json');
  const nls = read('package.nls.json') as Record<string, string>;
  const all = strings(manifest);

  it('has every key of package.json in package.nls.json, and no entry there that package.json does not use', () => {
    const used = new Set(all.flatMap(({ text }) => [...text.matchAll(/^%([^%]+)%$/g)].map((m) => m[1]!)));
    assert.ok(used.size > 30, 'the manifest uses its keys');
    assert.deepEqual([...used].filter((key) => typeof nls[key] !== 'string' || nls[key] === ''), [], 'keys without English words');
    assert.deepEqual(Object.keys(nls).filter((key) => !used.has(key)), [], 'entries no field uses');
  });

  it('shows no words of its own: each field VS Code shows is a %key%', () => {
    const shown = all.filter(({ at }) => SHOWN.test(at));
    assert.ok(shown.some(({ at }) => at === 'contributes.commands.0.title'), 'the pattern finds the commands');
    assert.deepEqual(shown.filter(({ text }) => !/^%[^%]+%$/.test(text)), []);
  });

  it('names the runtime bundles and packs them, with package.nls.json', () => {
    assert.equal(manifest.l10n, './l10n');
    assert.ok(fs.existsSync(path.join(ROOT, 'l10n', 'bundle.l10n.json')));
    const packed = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const line of ['!package.nls.json', '!l10n/**']) assert.ok(packed.includes(line), `.vscodeignore keeps ${line}`);
  });
});
