// Real VS Code for the end-to-end suite: code-server 4.100.3 (installed once into a cache folder by
// test/e2e/setup.sh), the packaged .vsix installed into a temp extensions dir, a temp user-data dir and
// workspace, and a temp TANDEM_HOME whose config points the model at the fake Responses server.
// Debian's Chromium, driven by playwright-core, is the browser.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../support/protocolClient';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/webviewHarness';

let vsixPath: string | undefined;

/** Installs code-server if needed (idempotent) and returns its launcher. */
export function ensureCodeServer(): string {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'test', 'e2e', 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

/** Packages the extension once per run, the way users get it. */
export function packagedVsix(): string {
  if (vsixPath) return vsixPath;
  const out = execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const name = /packaged (\S+\.vsix)/.exec(out)?.[1];
  if (!name) throw new Error(`npm run package did not say what it made:\n${out}`);
  vsixPath = path.join(REPO_ROOT, name);
  return vsixPath;
}

export interface Workbench {
  root: string;
  home: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  url: string;
  browser: Browser;
  page: Page;
  /** Everything code-server printed, for failures. */
  log: string[];
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** config.toml for TANDEM_HOME. */
  config: string;
  /** Files to create in the workspace, by relative path. */
  files?: Record<string, string>;
  /** Text of Tandem's status-bar item once it is ready: "Tandem: sign in" until signed in, the model when no sign-in is needed. */
  readyStatus?: string;
  /** User settings besides the ones every test needs. */
  settings?: Record<string, unknown>;
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const launcher = ensureCodeServer();
  const vsix = packagedVsix();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
  const home = path.join(root, 'home');
  const workspace = path.join(root, 'workspace');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  for (const dir of [home, workspace, path.join(userDataDir, 'User'), extensionsDir]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(home, 'config.toml'), options.config);
  for (const [file, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.writeFileSync(path.join(workspace, file), content);
  }
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'window.dialogStyle': 'custom',
      ...options.settings,
    }),
  );
  const env = { ...process.env, TANDEM_HOME: home, XDG_CONFIG_HOME: path.join(root, 'xdg-config'), XDG_DATA_HOME: path.join(root, 'xdg-data') };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', path.join(root, 'code-server.yaml')];
  fs.writeFileSync(path.join(root, 'code-server.yaml'), 'auth: none\n');
  execFileSync(launcher, [...common, '--install-extension', vsix], { env, stdio: 'pipe' });

  const log: string[] = [];
  const server = spawn(launcher, [...common, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = await listeningUrl(server, log);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--window-size=1400,900'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // Tandem activates on startup; its status-bar item says it is ready.
  await page.locator('.statusbar-item', { hasText: options.readyStatus ?? 'Tandem' }).first().waitFor({ timeout: 60_000 });

  return {
    root,
    home,
    workspace,
    userDataDir,
    extensionsDir,
    url,
    browser,
    page,
    log,
    async close() {
      await browser.close().catch(() => undefined);
      await stop(server);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function listeningUrl(server: ChildProcess, log: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${log.join('')}`)), 60_000);
    const read = (chunk: Buffer) => {
      const text = chunk.toString();
      log.push(text);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    server.stdout!.on('data', read);
    server.stderr!.on('data', read);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}):\n${log.join('')}`));
    });
  });
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.pid === undefined) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  // code-server and its extension host share a process group (detached above).
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command from the Command Palette by its title; retries while the workbench is still loading commands. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt === 6) throw error;
    }
  }
  await row.click();
}

/** The chat webview's document: the webview iframe holds the active frame that holds our page. */
export function chatFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Opens the Tandem sidebar and waits for the chat's composer. */
export async function openChat(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'Tandem: Focus Chat');
  const chat = chatFrame(page);
  await chat.locator('textarea').waitFor({ state: 'visible', timeout: 60_000 });
  return chat;
}

/** Clicks a button of the modal dialog that is showing. */
export async function answerDialog(page: Page, button: string, screenshot?: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  const text = (await dialog.innerText()).trim();
  if (screenshot) await keepScreenshot(page, screenshot);
  await dialog.locator('a.monaco-button', { hasText: new RegExp(`^${button}$`) }).click();
  await dialog.waitFor({ state: 'hidden' });
  return text;
}

/** The modal dialog showing: its text, its buttons in screen order, and the button that has the focus (the one Enter presses). */
export async function readDialog(page: Page): Promise<{ text: string; buttons: string[]; focused: string | null }> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  const buttons = (await dialog.locator('a.monaco-button').allInnerTexts()).map((b) => b.trim());
  const focused = await page.evaluate(() => {
    const active = document.activeElement;
    return active?.closest('.monaco-dialog-box') && active.classList.contains('monaco-button') ? (active.textContent ?? '').trim() : null;
  });
  return { text: (await dialog.innerText()).trim(), buttons, focused };
}

/** Every file under `dir` whose bytes contain `secret`. */
export function filesContaining(dir: string, secret: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.readFileSync(full).includes(secret)) found.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}

/**
 * Keeps a screenshot for the README (test-results/e2e/screenshots; docs/screenshots holds the committed
 * copies): the window, or only `part` of it (the sidebar, say) for a small image.
 */
export async function keepScreenshot(page: Page, name: string, part?: Locator): Promise<void> {
  const dir = path.join(REPO_ROOT, 'test-results', 'e2e', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  if (part) await part.screenshot({ path: path.join(dir, `${name}.png`) });
  else await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Switches the colour theme with *Preferences: Color Theme*, by the theme's label ("Dark High Contrast"). */
export async function chooseColorTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** Keeps a screenshot of a failed test next to the run's artifacts. */
export async function screenshotOnFailure(page: Page | undefined, title: string): Promise<void> {
  if (!page) return;
  const dir = path.join(REPO_ROOT, 'test-results', 'e2e');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`) }).catch(() => undefined);
}
