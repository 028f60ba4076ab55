// Six bundles: the extension (node, cjs, vscode external), the CLI (node) and its loader, the file walk's
// second thread (loaded from next to whichever bundle walks), and the webview (browser) with its highlighter,
// a script of its own that the webview loads once the chat is on screen.
// `--watch` rebuilds on change; `--production` minifies and drops sourcemaps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { lazyBuiltins } from './scripts/lazyBuiltins.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  target: 'es2022',
  // jsonc-parser's default build is UMD, whose inner requires a bundler cannot see: take its ES module build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

/**
 * markdown-it decodes HTML entities (`&copy;`) with `entities`, whose module unpacks its table of all 2,000
 * names when it loads: a few milliseconds of the chat's start for a table most messages never need. Here
 * markdown-it's import becomes a function that loads the module on its first call.
 * @type {import('esbuild').Plugin}
 */
const lazyEntities = {
  name: 'lazy-entities',
  setup(build) {
    build.onResolve({ filter: /^entities$/ }, async (args) => {
      if (!args.importer.includes(`${path.sep}markdown-it${path.sep}`)) return undefined;
      const decode = await build.resolve('entities/decode', { resolveDir: args.resolveDir, kind: 'require-call' });
      if (decode.errors.length > 0) return { errors: decode.errors };
      return { path: decode.path, namespace: 'lazy-entities' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-entities' }, (args) => ({
      contents: `export function decodeHTMLStrict(text) { return require(${JSON.stringify(args.path)}).decodeHTMLStrict(text); }`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'node-pty', 'bufferutil', 'utf-8-validate'],
  },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    external: ['node-pty', 'bufferutil', 'utf-8-validate'],
    // A cold start loads only the built-ins `initialize` needs, and reads less: without comments the bundle
    // is ASCII, which the loader reads without UTF-8 decoding (the sourcemap still maps every line).
    plugins: [lazyBuiltins()],
    minifyWhitespace: true,
  },
  // `tandem`: a small loader that runs cli-main.js through the V8 code cache.
  {
    ...common,
    entryPoints: ['src/cli/boot.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: ['src/core/search/fileWalkerWorker.ts'],
    outfile: 'dist/fileWalkerWorker.js',
    platform: 'node',
    format: 'cjs',
    minifyWhitespace: true,
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    plugins: [lazyEntities],
  },
  // highlight.js and its grammars, which the webview loads once the chat is on screen.
  {
    ...common,
    entryPoints: ['webview/highlighter.ts'],
    outfile: 'dist/webview-highlighter.js',
    platform: 'browser',
    format: 'iife',
  },
];

// The webview's icons: VS Code's codicon font, served from dist/ like the script (the CSP allows nothing else).
fs.mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
