// `npm run bench`: prints numbers and ratios and writes bench/RESULTS.md. Benchmarks are never part of
// `npm test`. `npm run bench -- transport` (or vs-codex, file-search) runs one group.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFileSearchBench } from './fileSearch';
import { runTransportBench } from './transport';
import { runVsCodexBench, type Row } from './vsCodex';

function table(rows: Row[]): string {
  const lines = ['| measure | Tandem | codex | Tandem/codex | target |', '|---|---|---|---|---|'];
  for (const row of rows) {
    const ratio = row.tandem / row.codex;
    lines.push(`| ${row.name} | ${row.tandem.toFixed(2)} ${row.unit} | ${row.codex.toFixed(2)} ${row.unit} | ${ratio.toFixed(3)} | ${row.target ?? '–'} |`);
  }
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  return [...lines, '', ...notes].join('\n');
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
  if (!only) {
    const file = path.join(__dirname, 'RESULTS.md');
    fs.writeFileSync(file, `# Benchmark results\n\n${new Date().toISOString().slice(0, 10)} on ${machine}. Medians; runs alternate between the servers; the fake model's own time is subtracted from turn times.\n\n${sections.join('\n\n')}\n`);
    console.log(`written to ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
