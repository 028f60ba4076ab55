// Fails when an import breaks the layering (protocol ← core ← server ← {vscode, cli}; webview sees only
// protocol) or files import each other in a cycle. Run as `node --import tsx scripts/checkLayering.ts [root]`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

type Layer = 'protocol' | 'core' | 'server' | 'vscode' | 'cli' | 'webview';

/** Which layers each layer may import from. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  protocol: ['protocol'],
  core: ['protocol', 'core'],
  server: ['protocol', 'core', 'server'],
  vscode: ['protocol', 'core', 'server', 'vscode'],
  cli: ['protocol', 'core', 'server', 'cli'],
  webview: ['protocol', 'webview'],
};

/** Packages a layer may not use even though they are installed. */
function packageAllowed(layer: Layer, specifier: string): string | undefined {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  const builtin = specifier.startsWith('node:') || builtinModules.includes(name);
  if (layer === 'protocol' && name !== 'zod') return 'protocol imports nothing but zod';
  if (name === 'vscode' && layer !== 'vscode') return 'only src/vscode may import vscode';
  if (layer === 'webview' && builtin) return 'the webview runs in a browser: no Node built-ins';
  return undefined;
}

export interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

export function layerOf(root: string, file: string): Layer | undefined {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'webview') return 'webview';
  if (rel[0] !== 'src') return undefined;
  if (rel[1] === 'cli.ts') return 'cli';
  const layer = rel[1] as Layer;
  return layer in ALLOWED ? layer : undefined;
}

const IMPORT_PATTERN = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*['"]([^'"]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(IMPORT_PATTERN)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) specifiers.push(specifier);
  }
  return specifiers;
}

export function checkLayering(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(root)) {
    const layer = layerOf(root, file);
    if (!layer) continue;
    for (const specifier of importsOf(fs.readFileSync(file, 'utf8'))) {
      const rel = path.relative(root, file);
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        const targetLayer = layerOf(root, target);
        if (!targetLayer) {
          if (!path.relative(root, target).startsWith('package.json')) {
            violations.push({ file: rel, specifier, reason: `${layer} imports a file outside the layered folders` });
          }
          continue;
        }
        if (!ALLOWED[layer].includes(targetLayer)) {
          violations.push({ file: rel, specifier, reason: `${layer} may not import ${targetLayer}` });
        }
        continue;
      }
      const reason = packageAllowed(layer, specifier);
      if (reason) violations.push({ file: rel, specifier, reason });
    }
  }
  return violations;
}

/** Resolves a relative import to the source file it names, if there is one. */
function resolveImport(file: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(file), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Import cycles among the layered files (type-only imports count too: a cycle is a knot in the design even
 * when the compiler erases it). Each cycle is given once, as the files in import order.
 */
export function findCycles(root: string): string[][] {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const targets = importsOf(fs.readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolveImport(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  // Tarjan's strongly connected components: every component of more than one file holds a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components.map((component) => component.map((file) => path.relative(root, file)).sort());
}

function* sourceFiles(root: string): Generator<string> {
  for (const top of ['src', 'webview']) {
    const dir = path.join(root, top);
    if (fs.existsSync(dir)) yield* walk(dir);
  }
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name)) yield full;
  }
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? '.');
  const violations = checkLayering(root);
  for (const v of violations) console.error(`${v.file}: import "${v.specifier}": ${v.reason}`);
  const cycles = findCycles(root);
  for (const cycle of cycles) console.error(`import cycle among: ${cycle.join(', ')}`);
  if (violations.length > 0 || cycles.length > 0) {
    console.error(`layering check failed: ${violations.length} violation(s), ${cycles.length} import cycle(s)`);
    process.exit(1);
  }
  console.log('layering check passed');
}
