// One Chromium and one served chat webview per browser-test suite: registers the mocha hooks that start
// and stop them, and hands out pages at the sidebar's size.
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, serveHarness } from './webviewHarness';

export interface ChatBrowser {
  /** The harness page's address. */
  readonly url: string;
  /** A new page, 420×640 like a sidebar. */
  newPage(): Promise<Page>;
}

export function chatBrowser(...args: Parameters<typeof serveHarness>): ChatBrowser {
  let browser: Browser | undefined;
  let harness: Awaited<ReturnType<typeof serveHarness>> | undefined;
  before(async () => {
    harness = await serveHarness(...args);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await harness?.close();
  });
  return {
    get url() {
      return harness!.url;
    },
    newPage: () => browser!.newPage({ viewport: { width: 420, height: 640 } }),
  };
}

/** Delivers a server notification to the page's chat, as the host forwards one. */
export function pushNotification(page: Page, method: string, params: unknown): Promise<void> {
  return page.evaluate(([m, p]) => (window as unknown as { __tandemPush(m: string, p: unknown): void }).__tandemPush(m, p), [method, params] as const);
}
