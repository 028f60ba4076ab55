// Four bundles: the extension (node, cjs, vscode external), the CLI (node) and its loader, and the webview (browser).
// `--watch` rebuilds on change; `--production` minifies and drops sourcemaps.
import * as fs from 'node:fs';
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
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
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
