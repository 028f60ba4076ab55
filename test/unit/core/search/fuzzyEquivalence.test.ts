// The fast matcher (prefilter, scores without indices, the best 50 kept as they come) against the plain one
// it replaced: the same matches, scores, indices and ranking, for ASCII and for paths whose case mapping
// is not one character for one.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileListCache } from '../../../../src/core/search/fileList';
import { FileSearch, MAX_RESULTS } from '../../../../src/core/search/fileSearch';
import { compileQuery, matchPath, scoreDirectory, scorePath } from '../../../../src/core/search/fuzzy';
import { TopMatches, type Candidate } from '../../../../src/core/search/topMatches';
import * as reference from './fuzzyReference';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/\\_-. ', 'é', 'É', 'İ', 'ı', '\u212a', 'ß', 'Σ', 'ς', 'ſ', '😀', '\u0301'];

function randomPath(next: () => number): string {
  const length = 1 + Math.floor(next() * 40);
  let out = '';
  for (let i = 0; i < length; i++) {
    // Mostly ASCII, as real trees are.
    const pool = next() < 0.9 ? 62 + 6 : ALPHABET.length;
    out += ALPHABET[Math.floor(next() * pool)]!;
  }
  return out;
}

/** A query built from the path (so it often matches), with case changes and now and then a stray character. */
function randomQuery(next: () => number, from: string): string {
  const chars = [...from].filter(() => next() < 0.3).map((ch) => (next() < 0.3 ? ch.toUpperCase() : ch));
  if (next() < 0.2) chars.push(ALPHABET[Math.floor(next() * ALPHABET.length)]!);
  if (next() < 0.3) chars.splice(Math.floor(next() * chars.length), 0, ' ');
  return chars.join('');
}

/** Best score, then shorter path, then code-unit order; a stable sort keeps the arrival order of equal paths. */
function byRank(a: { score: number; path: string }, b: { score: number; path: string }): number {
  return b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

function referenceSearch(query: string, root: string, files: string[]) {
  const compiled = reference.compileQuery(query);
  const results = [];
  for (const file of files) {
    const match = reference.matchPath(compiled, file);
    if (match) results.push({ root, path: file, file_name: path.basename(file), match_type: 'file' as const, score: match.score, indices: match.indices });
  }
  return results.sort(byRank).slice(0, MAX_RESULTS);
}

describe('core/search: the fast matcher agrees with the plain one', () => {
  it('gives the same match, score and indices for random paths and queries', () => {
    const next = random(19);
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const file = randomPath(next);
      const query = randomQuery(next, next() < 0.8 ? file : randomPath(next));
      const expected = reference.matchPath(reference.compileQuery(query), file);
      const compiled = compileQuery(query);
      assert.deepEqual(matchPath(compiled, file), expected, `${JSON.stringify(query)} in ${JSON.stringify(file)}`);
      assert.equal(scorePath(compiled, file), expected?.score, `score of ${JSON.stringify(query)} in ${JSON.stringify(file)}`);
      // As a file of a directory, the way a fresh listing is matched.
      const name = file.slice(file.lastIndexOf('/') + 1);
      let filtered: number | undefined;
      scoreDirectory(compiled, [name], [file], (_, score) => (filtered = score));
      assert.equal(filtered, expected?.score, `${JSON.stringify(query)} in ${JSON.stringify(name)} of ${JSON.stringify(file)}`);
      if (expected) matched += 1;
    }
    assert.ok(matched > 2_000 && matched < 18_000, `${matched} matched: both outcomes are exercised`);
  });

  it('keeps the same best candidates in the same order as sorting them all, ties included', () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      // Few distinct scores and lengths, and different paths of one length that collate equal (a zero-width
      // space is ignored); the root tells apart candidates the order must keep apart.
      const candidates: Candidate[] = Array.from({ length: 1 + Math.floor(next() * 200) }, (_, i) => ({
        root: String(i),
        path: ['ab\u200b', 'a\u200bb', 'ba', 'é', 'e\u0301', 'xy'][Math.floor(next() * 6)]! + '/'.repeat(Math.floor(next() * 3)) + String(i % 3),
        score: Math.floor(next() * 4),
      }));
      const limit = 1 + Math.floor(next() * 60);
      const top = new TopMatches<Candidate>(limit);
      for (const candidate of candidates) if (top.wants(candidate.score, candidate.path)) top.add(candidate);
      const sorted = [...candidates].sort(byRank).slice(0, limit);
      assert.deepEqual(top.values(), sorted);
    }
  });

  it('keeps the same best candidates whatever order the paths of one root arrive in', () => {
    const next = random(11);
    for (let round = 0; round < 100; round++) {
      const paths = new Set<string>();
      while (paths.size < 1 + Math.floor(next() * 150)) paths.add(['ab\u200b', 'a\u200bb', 'ba', 'é', 'e\u0301', 'xy'][Math.floor(next() * 6)]! + String(Math.floor(next() * 20)));
      const candidates = [...paths].map((path) => ({ root: 'r', path, score: Math.floor(next() * 3) }));
      const limit = 1 + Math.floor(next() * 40);
      const keep = (order: Candidate[]) => {
        const top = new TopMatches<Candidate>(limit);
        for (const candidate of order) if (top.wants(candidate.score, candidate.path)) top.add(candidate);
        return top.values();
      };
      const shuffled = [...candidates].sort(() => next() - 0.5);
      assert.deepEqual(keep(shuffled), keep(candidates));
    }
  });

  it('answers a search, fresh and cached, as the plain matcher over the whole list does', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-fuzzy-'));
    const next = random(3);
    const words = ['alpha', 'Billing', 'cache', 'delta', 'engine', 'handler', 'é', 'e\u0301'];
    for (let i = 0; i < 1_500; i++) {
      const dir = path.join(root, words[i % words.length]!, `${words[Math.floor(next() * words.length)]}_${i % 13}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${words[Math.floor(next() * words.length)]}_${i % 50}.ts`), '');
    }
    const files = await new FileListCache(undefined).files(root);
    for (const query of ['billing handler', 'cache', 'e_1', 'é', 'ALPHA ts', 'zzz']) {
      const search = new FileSearch(undefined);
      const expected = referenceSearch(query, root, files);
      assert.deepEqual(await search.search(query, [root]), expected, `fresh: ${query}`);
      assert.deepEqual(await search.search(query, [root]), expected, `cached: ${query}`);
      search.dispose();
    }
  });
});
