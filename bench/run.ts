// `npm run bench`: prints numbers and ratios and writes bench/RESULTS.md. `npm run bench -- transport` (or
// vs-codex, file-search, webview) runs one group. `npm run bench -- --quick` runs every step at small sizes
// and writes nothing: `npm test` runs it so the benchmarks keep working; its numbers mean nothing.
// A failed step is reported as failed and the others still run; the run then exits non-zero.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFileSearchBench } from './fileSearch';
import { runTransportBench } from './transport';
import { rowsOf, runStep, type Row } from './steps';
import { runVsCodexBench } from './vsCodex';
import { FULL_WEBVIEW, QUICK_WEBVIEW, runWebviewBench, type WebviewSizes } from './webview';

function table(rows: Row[]): string {
  const lines = ['| measure | Tandem | codex | Tandem/codex | target |', '|---|---|---|---|---|'];
  for (const row of rows) {
    if (row.failed) {
      lines.push(`| ${row.name} | **failed**: ${row.failed.replace(/\|/g, '\\|')} | | | ${row.target ?? '–'} |`);
      continue;
    }
    if (Number.isNaN(row.codex)) {
      lines.push(`| ${row.name} | ${row.tandem.toFixed(2)} ${row.unit} | – | – | ${row.target ?? '–'} |`);
      continue;
    }
    const ratio = row.tandem / row.codex;
    lines.push(`| ${row.name} | ${row.tandem.toFixed(2)} ${row.unit} | ${row.codex.toFixed(2)} ${row.unit} | ${ratio.toFixed(3)} | ${row.target ?? '–'} |`);
  }
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  return [...lines, '', ...notes].join('\n');
}

/** Replaces the sections this run measured in RESULTS.md and keeps the others. */
function writeResults(machine: string, sections: string[]): void {
  const file = path.join(__dirname, 'RESULTS.md');
  const kept = new Map<string, string>();
  if (fs.existsSync(file)) {
    for (const part of fs.readFileSync(file, 'utf8').split(/\n(?=## )/).slice(1)) kept.set(part.split('\n')[0]!, part.trim());
  }
  for (const section of sections) kept.set(section.split('\n')[0]!, `${section.trim()}\n\n_Measured ${new Date().toISOString().slice(0, 10)} on ${machine}._`);
  const header = '# Benchmark results\n\nMedians; runs alternate between the servers; the fake model\'s own time is subtracted from turn times. `npm run bench` refreshes every section, `npm run bench -- <group>` one of them.';
  fs.writeFileSync(file, `${header}\n\n${[...kept.values()].join('\n\n')}\n`);
  console.log(`written to ${file}`);
}

const MINUTE = 60_000;

async function main(): Promise<boolean> {
  const quick = process.argv.includes('--quick');
  const args = process.argv.slice(2);
  const stepAt = args.indexOf('--step');
  const step = stepAt >= 0 ? args[stepAt + 1] : undefined;
  const only = args.find((arg, i) => !arg.startsWith('--') && (stepAt < 0 || i !== stepAt + 1));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}/${process.arch}`;
  console.log(`Tandem benchmarks${quick ? ' (quick: small sizes, numbers not meaningful)' : ''} — ${new Date().toISOString()} — ${machine}`);
  const sections: string[] = [];
  let failed = 0;
  if (!only || only === 'transport') {
    const result = await runStep('(e) transport', 5 * MINUTE, (cleanup) => runTransportBench(quick, cleanup));
    const lines = ['| transport | round trip p50 | round trip p99 | notifications/s | target |', '|---|---|---|---|---|'];
    if (result.ok) {
      for (const r of result.value) lines.push(`| ${r.name} | ${(r.p50Ms * 1000).toFixed(1)} µs | ${(r.p99Ms * 1000).toFixed(1)} µs | ${Math.round(r.notificationsPerSecond).toLocaleString('en-US')} | ${r.name === 'in-process' ? 'p50 < 50 µs, ≥ 200,000/s' : '–'} |`);
    } else {
      failed += 1;
      lines.push(`| **failed**: ${result.error} | | | | |`);
    }
    sections.push(`## (e) In-process transport\n\n${lines.join('\n')}`);
  }
  if (!only || only === 'vs-codex') {
    const rows = await runVsCodexBench({ quick, step });
    failed += rows.filter((r) => r.failed).length;
    console.log(table(rows));
    sections.push(`## Tandem next to codex app-server 0.169.0\n\n${table(rows)}`);
  }
  if (!only || only === 'file-search') {
    const rows = await rowsOf('fuzzyFileSearch', 10 * MINUTE, (cleanup) => runFileSearchBench(quick ? 2_000 : 100_000, quick ? 1 : 5, cleanup));
    failed += rows.filter((r) => r.failed).length;
    console.log(table(rows));
    sections.push(`## File search\n\n${table(rows)}`);
  }
  if (!only || only === 'webview') {
    const sizes = quick ? QUICK_WEBVIEW : FULL_WEBVIEW;
    const result = await runStep('webview', 5 * MINUTE, () => runWebviewBench(sizes));
    if (result.ok) sections.push(`## Chat webview (bench/webview)\n\n${webviewSection(result.value, sizes)}`);
    else {
      failed += 1;
      sections.push(`## Chat webview (bench/webview)\n\n**failed**: ${result.error}`);
    }
  }
  if (quick || step) console.log(`${quick ? "quick" : "partial"} run: ${failed === 0 ? 'every step worked' : `${failed} step(s) failed`}; RESULTS.md left as it was`);
  else writeResults(machine, sections);
  return failed === 0;
}

function webviewSection(r: Awaited<ReturnType<typeof runWebviewBench>>, sizes: WebviewSizes): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const lines = [
    '| measure | result | target | |',
    '|---|---|---|---|',
    `| first paint of a ${sizes.items.toLocaleString('en')}-item thread, from navigation | ${ms(r.firstPaintMs)} | < 200 ms | ${met(r.firstPaintMs < 200)} |`,
    `| … of which from the thread's arrival | ${ms(r.firstPaintFromDataMs)} | – | |`,
    `| frame interval while 200 deltas/s stream (p50 / p95 / max) | ${ms(r.frameP50Ms)} / ${ms(r.frameP95Ms)} / ${ms(r.frameMaxMs)} | p95 ≤ 16.7 ms (one 60 Hz frame) | ${met(r.frameP95Ms <= 16.7 + 0.5)} |`,
    `| main-thread work per frame, p95 | ${ms(r.renderP95Ms)} | < 16 ms | ${met(r.renderP95Ms < 16)} |`,
    `| JS heap after loading the thread | ${r.heapMb.toFixed(1)} MB | < 100 MB | ${met(r.heapMb < 100)} |`,
  ];
  const notes = [
    `- ${r.deltasSent} deltas in ${sizes.streamMs / 1000} s, ${r.framesMeasured} frames measured; median of ${sizes.runs} loads for first paint. The production bundle (\`node esbuild.mjs --production\`) in Debian's headless Chromium.`,
    '- The frame interval cannot go below the display\'s 16.7 ms; "p95 at one frame" means no dropped frames at p95. Work per frame is the time from the frame\'s callback to the next task.',
  ];
  const text = [...lines, '', ...notes].join('\n');
  console.log(text);
  return text;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
