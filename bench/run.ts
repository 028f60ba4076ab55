// `npm run bench`: prints numbers and ratios and writes bench/RESULTS.md. Benchmarks are never part of
// `npm test`. `npm run bench -- transport` (or vs-codex, file-search, webview) runs one group.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFileSearchBench } from './fileSearch';
import { runTransportBench } from './transport';
import { runVsCodexBench, type Row } from './vsCodex';
import { runWebviewBench } from './webview';

function table(rows: Row[]): string {
  const lines = ['| measure | Tandem | codex | Tandem/codex | target |', '|---|---|---|---|---|'];
  for (const row of rows) {
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

async function main(): Promise<void> {
  const only = process.argv[2];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}/${process.arch}`;
  console.log(`Tandem benchmarks — ${new Date().toISOString()} — ${machine}`);
  const sections: string[] = [];
  if (!only || only === 'transport') {
    const transport = await runTransportBench();
    const lines = ['| transport | round trip p50 | round trip p99 | notifications/s | target |', '|---|---|---|---|---|'];
    for (const r of transport) lines.push(`| ${r.name} | ${(r.p50Ms * 1000).toFixed(1)} µs | ${(r.p99Ms * 1000).toFixed(1)} µs | ${Math.round(r.notificationsPerSecond).toLocaleString('en-US')} | ${r.name === 'in-process' ? 'p50 < 50 µs, ≥ 200,000/s' : '–'} |`);
    sections.push(`## (e) In-process transport\n\n${lines.join('\n')}`);
  }
  if (!only || only === 'vs-codex') {
    const rows = await runVsCodexBench();
    console.log(table(rows));
    sections.push(`## Tandem next to codex app-server 0.169.0\n\n${table(rows)}`);
  }
  if (!only || only === 'file-search') {
    const rows = await runFileSearchBench();
    console.log(table(rows));
    sections.push(`## File search\n\n${table(rows)}`);
  }
  if (!only || only === 'webview') {
    const r = await runWebviewBench();
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const met = (ok: boolean) => (ok ? 'met' : '**missed**');
    const lines = [
      '| measure | result | target | |',
      '|---|---|---|---|',
      `| first paint of a 5,000-item thread, from navigation | ${ms(r.firstPaintMs)} | < 300 ms | ${met(r.firstPaintMs < 300)} |`,
      `| … of which from the thread's arrival | ${ms(r.firstPaintFromDataMs)} | – | |`,
      `| frame interval while 200 deltas/s stream (p50 / p95 / max) | ${ms(r.frameP50Ms)} / ${ms(r.frameP95Ms)} / ${ms(r.frameMaxMs)} | p95 ≤ 16.7 ms (one 60 Hz frame) | ${met(r.frameP95Ms <= 16.7 + 0.5)} |`,
      `| main-thread work per frame, p95 | ${ms(r.renderP95Ms)} | < 16 ms | ${met(r.renderP95Ms < 16)} |`,
      `| JS heap after loading the thread | ${r.heapMb.toFixed(1)} MB | < 100 MB | ${met(r.heapMb < 100)} |`,
    ];
    const notes = [
      `- ${r.deltasSent} deltas in 5 s, ${r.framesMeasured} frames measured; median of 5 loads for first paint. The production bundle (\`node esbuild.mjs --production\`) in Debian's headless Chromium.`,
      '- The frame interval cannot go below the display\'s 16.7 ms; "p95 at one frame" means no dropped frames at p95. Work per frame is the time from the frame\'s callback to the next task.',
    ];
    console.log([...lines, '', ...notes].join('\n'));
    sections.push(`## Chat webview (bench/webview)\n\n${lines.join('\n')}\n\n${notes.join('\n')}`);
  }
  writeResults(machine, sections);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
