// The chat webview under load, in Debian's Chromium with the built bundle and the test harness (no model,
// no host): first paint of a 5,000-item thread, frame times while 200 deltas/s stream into it, and the
// page's JS heap after loading it. Prints numbers; `npm run bench -- webview` records them.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../test/support/protocolClient';
import { CHROMIUM_ARGS, CHROMIUM_PATH, serveHarness } from '../../test/support/webviewHarness';
import { median, percentile } from '../stats';

export interface WebviewResult {
  firstPaintMs: number;
  firstPaintFromDataMs: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frameMaxMs: number;
  renderP95Ms: number;
  framesMeasured: number;
  deltasSent: number;
  heapMb: number;
}

/** How big a run is: the measured one, or a quick check that the page and its probes still work. */
export interface WebviewSizes {
  items: number;
  runs: number;
  streamMs: number;
}
export const FULL_WEBVIEW: WebviewSizes = { items: 5000, runs: 5, streamMs: 5000 };
export const QUICK_WEBVIEW: WebviewSizes = { items: 100, runs: 1, streamMs: 500 };

/** A thread like a long real one: messages with markdown and code, commands with output, file changes. */
export function longThread(items: number): unknown {
  const turns = [];
  for (let t = 0; t < items / 5; t++) {
    const id = `turn${t}`;
    turns.push({
      id, itemsView: 'full', status: 'completed', error: null, startedAt: t, completedAt: t + 1, durationMs: 1000,
      items: [
        { type: 'userMessage', id: `${id}-u`, clientId: null, content: [{ type: 'text', text: `Question ${t}: why does the build fail in module ${t}?` }] },
        { type: 'reasoning', id: `${id}-r`, summary: [`Looking at module ${t}`], content: [] },
        { type: 'commandExecution', id: `${id}-c`, command: `npm test -- module${t}`, cwd: '/w', processId: null, status: 'completed', commandActions: [], aggregatedOutput: `\u001b[32mPASS\u001b[0m a.test.ts\n\u001b[31mFAIL\u001b[0m b.test.ts\n  expected 1 to be 2\n`, exitCode: 1, durationMs: 1200 },
        { type: 'fileChange', id: `${id}-f`, status: 'completed', changes: [{ path: `/w/src/module${t}.ts`, kind: { type: 'update', move_path: null }, diff: `--- a\n+++ b\n@@ -1,3 +1,3 @@\n const a = 1;\n-const b = 1;\n+const b = 2;\n export { a, b };\n` }] },
        { type: 'agentMessage', id: `${id}-a`, phase: null, text: `The test expected **2**. I changed \`b\`:\n\n\`\`\`ts\nconst b = 2;\n\`\`\`\n\nSee [the docs](https://example.com/${t}).` },
      ],
    });
  }
  return {
    id: 't1', sessionId: 't1', forkedFromId: null, parentThreadId: null, preview: 'long', ephemeral: false, model: 'm', modelProvider: 'p',
    reasoningEffort: null, createdAt: 0, updatedAt: 0, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
    originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'A long thread', projectId: null, turns,
  };
}

/** What the page logs once the rows are on screen. */
const PAINTED = '__tandemPainted';

async function instrumentFirstPaint(page: Page): Promise<void> {
  // Times, in the page's clock, when the resume answer arrived and when the rows were on screen.
  await page.addInitScript((PAINTED) => {
    const w = window as unknown as { __dataAt?: number; __paintedAt?: number };
    window.addEventListener('message', (e: MessageEvent<{ kind?: string; result?: { thread?: unknown } }>) => {
      if (e.data?.kind === 'response' && e.data.result?.thread && w.__dataAt === undefined) w.__dataAt = performance.now();
    }, true);
    new MutationObserver((_m, observer) => {
      if (document.querySelector('.row')) {
        observer.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => {
          w.__paintedAt = performance.now();
          console.debug(PAINTED);
        }));
      }
    }).observe(document, { childList: true, subtree: true });
  }, PAINTED);
}

export async function runWebviewBench(sizes: WebviewSizes = FULL_WEBVIEW): Promise<WebviewResult> {
  const RUNS = sizes.runs;
  // What users run: the minified bundle.
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs'), '--production'], { cwd: REPO_ROOT, stdio: 'ignore' });
  const harness = await serveHarness(longThread(sizes.items), { threadFromServer: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  try {
    const paints: number[] = [];
    const fromData: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
      await instrumentFirstPaint(page);
      // The page says when it has painted: polling it (waitForFunction) would compile Playwright's injected
      // script and run a check every frame in the page itself, while it is being timed.
      await Promise.all([page.waitForEvent('console', { predicate: (message) => message.text() === PAINTED, timeout: 30_000 }), page.goto(harness.url)]);
      const times = await page.evaluate(() => {
        const w = window as unknown as { __dataAt: number; __paintedAt: number };
        return { total: w.__paintedAt, fromData: w.__paintedAt - w.__dataAt };
      });
      paints.push(times.total);
      fromData.push(times.fromData);
      if (run < RUNS - 1) await page.close();
      else return { ...(await streamAndMeasure(page, sizes.streamMs)), firstPaintMs: median(paints), firstPaintFromDataMs: median(fromData) };
    }
    throw new Error('unreachable');
  } finally {
    await browser.close();
    await harness.close();
  }
}

/** Streams 200 deltas/s for `streamMs` into a new message at the end of the long thread; measures frames and render work. */
async function streamAndMeasure(page: Page, streamMs: number): Promise<Omit<WebviewResult, 'firstPaintMs' | 'firstPaintFromDataMs'>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  // tsx wraps named inner functions in __name(); the page needs it to exist.
  await page.evaluate('window.__name = (f) => f');
  const stats = await page.evaluate(async (streamMs) => {
    const push = (window as unknown as { __tandemPush(m: string, p: unknown): void }).__tandemPush;
    const threadId = 't1';
    push('turn/started', { threadId, turn: { id: 'live', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 0, completedAt: null, durationMs: null } });
    push('item/started', { threadId, turnId: 'live', item: { type: 'agentMessage', id: 'live-a', text: '', phase: null } });
    const frames: number[] = [];
    const work: number[] = [];
    let last = performance.now();
    let running = true;
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      // The frame's own work: what ran between this callback and the next task after layout and paint.
      const start = performance.now();
      setTimeout(() => work.push(performance.now() - start), 0);
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const words = ['Streaming', 'a', '**long**', 'answer', 'with', '`code`', 'and', 'text.\n\n'];
    let sent = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // 200 deltas per second: as many as are due since the start, so timer jitter does not lower the rate.
        const due = Math.floor(((performance.now() - started) / 1000) * 200);
        while (sent < due) push('item/agentMessage/delta', { threadId, turnId: 'live', itemId: 'live-a', delta: `${words[sent++ % words.length]} ` });
        if (performance.now() - started >= streamMs) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    running = false;
    await new Promise((r) => setTimeout(r, 100));
    return { frames: frames.slice(2), work, sent };
  }, streamMs);
  const frames = [...stats.frames].sort((a, b) => a - b);
  const work = [...stats.work].sort((a, b) => a - b);
  return {
    frameP50Ms: percentile(frames, 50),
    frameP95Ms: percentile(frames, 95),
    frameMaxMs: frames.at(-1) ?? NaN,
    renderP95Ms: percentile(work, 95),
    framesMeasured: stats.frames.length,
    deltasSent: stats.sent,
    heapMb: heap.usedSize / 2 ** 20,
  };
}

if (require.main === module) {
  runWebviewBench().then(
    (r) => console.log(r),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
