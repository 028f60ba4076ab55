// An esbuild plugin for Node built-ins in a bundle that must start fast (the CLI). Two costs of a cold
// start go, each several milliseconds:
// - A bundle turns every `import * as fs from 'node:fs'` into its own copy of the module's properties
//   (esbuild's `__toESM`), a hundred getters for each of ~100 imports. Here each built-in becomes one shared
//   module that every importer uses.
// - It `require`s every built-in at the top, so the CLI loaded crypto, http, https, tls, zlib and
//   child_process before it could answer `initialize`, which needs none of them. For those listed in
//   LAZY_BUILTINS the shared module's properties are getters that load the real module when first read; one
//   read while the bundle loads (`class X extends http.Agent`) simply loads it then.
import { builtinModules, createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The built-ins a server needs only for threads, commands, sign-in and websockets. */
export const LAZY_BUILTINS = ['child_process', 'crypto', 'dgram', 'dns', 'fs/promises', 'http', 'https', 'http2', 'tls', 'zlib'];

const escape = (name) => name.replace(/[/]/g, '\\/');

/** @returns {import('esbuild').Plugin} */
export function lazyBuiltins(lazy = LAZY_BUILTINS) {
  for (const name of lazy) if (!builtinModules.includes(name)) throw new Error(`lazyBuiltins: ${name} is not a Node built-in`);
  const builtins = builtinModules.filter((name) => !name.startsWith('_'));
  const filter = new RegExp(`^(node:)?(${builtins.map(escape).join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(build) {
      // Inside the shared modules, the real built-in is a plain require.
      build.onResolve({ filter: /.*/, namespace: 'builtin' }, (args) =>
        args.path.startsWith('lazy:') ? { path: args.path.slice(5), namespace: 'lazy-builtin' } : { path: args.path, external: true },
      );
      build.onResolve({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter }, (args) => {
        const name = args.path.replace(/^node:/, '');
        // `import` shares one module per built-in. A package's `require` must get the built-in's own exports
        // (`require('events')` is a class), so it is left alone unless the built-in loads lazily.
        if (args.kind === 'import-statement' || args.kind === 'dynamic-import') return { path: name, namespace: 'builtin' };
        return lazy.includes(name) ? { path: name, namespace: 'lazy-builtin' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
        const source = lazy.includes(args.path) ? `lazy:${args.path}` : `node:${args.path}`;
        return { loader: 'js', contents: `export * from ${JSON.stringify(source)};\nexport { default } from ${JSON.stringify(source)};\n` };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
        // The export names as the Node running the build has them; the code was written against those.
        const keys = Object.keys(require(`node:${args.path}`));
        return {
          loader: 'js',
          contents: `let real;
const load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));
for (const key of ${JSON.stringify(keys)}) Object.defineProperty(exports, key, { enumerable: true, get: () => load()[key] });
`,
        };
      });
    },
  };
}
