// OpenAI's codex TUI (`codex --remote ws://…`, the @openai/codex dev dependency) as a real client of
// `tandem app-server --listen ws://…`, in tmux, with the fake model. Each describe block shares one server;
// each test starts a fresh fake model and TUI, types into the TUI and reads its screen. The TUI must never
// exit, print no error that codex would not print, and get no error answer that codex would not give; where
// codex prints something of its own when the action works, the test waits for that (the texts below are
// what the TUI shows against `codex app-server` 0.169: TANDEM_TUI_SERVER=codex runs the suite there).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { CodexTui, ModelFront, spawnCodexWebSocketServer, tuiSkipReason } from '../support/codexTui';
import { FakeModelServer, textReply, toolCallReply } from '../support/fakeModel';
import { REPO_ROOT, spawnWebSocketServer } from '../support/protocolClient';
import { makeTempHome, type TempHome } from '../support/tempHome';

/** A line the TUI prints for an error (`■ …`), or that says something did not work. */
const ERROR_LINE = /^\s*■|\b(failed|unavailable|does not support|not supported|unknown method)\b/i;

function errorLines(screen: string): string[] {
  return screen
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => ERROR_LINE.test(line));
}

/** The error lines on `screen` that were not on `before` (so a startup error is reported once, by its own test). */
function newErrorLines(before: string, screen: string): string[] {
  const seen = new Set(errorLines(before));
  return errorLines(screen).filter((line) => !seen.has(line));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `TANDEM_TUI_SERVER=codex` runs the same sessions against `codex app-server` 0.169 instead of Tandem: the
 * check that these tests expect what codex does (all pass there but the approval test, whose
 * `approval_policy = "untrusted"` codex 0.169 no longer accepts).
 */
const ORACLE = process.env.TANDEM_TUI_SERVER === 'codex';

/**
 * Requests codex itself answers with an error in these sessions, which the TUI takes in its stride: an
 * answer like these is no failure.
 */
const CODEX_ALSO_FAILS = [
  /^thread\/turns\/list: .*not materialized/i, // a thread before its first user message
  /^plugin\/list: .*authentication required/i, // the remote plugin catalog, without ChatGPT sign-in
];

/** The TUI's requests (after frame `after`) answered with an error that codex would not give. */
function failedRequests(tui: CodexTui, after = 0): string[] {
  return tui.tap.errors(after).filter((failed) => !CODEX_ALSO_FAILS.some((pattern) => pattern.test(failed)));
}

describe('the codex TUI as a client of Tandem', function () {
  this.timeout(30_000);
  const skipReason = tuiSkipReason();
  let front: ModelFront;
  let model: FakeModelServer;
  let tui: CodexTui;
  /** The screen once the TUI had started and its startup requests were answered, and the frames by then. */
  let startScreen: string;
  let startMark: number;

  before(async function () {
    if (skipReason) {
      console.log(`      skipped: ${skipReason}`);
      this.skip();
    }
    front = await ModelFront.start();
  });

  after(async () => {
    await front?.close();
  });

  afterEach(async function () {
    // TANDEM_TUI_TRACE=1 prints each test's last screen and what the TUI called.
    if (process.env.TANDEM_TUI_TRACE && tui) console.log(`--- ${this.currentTest?.title}\n${await tui.compactScreen()}\n${tui.tap.summary()}`);
    await tui?.close();
    await model?.stop();
  });

  /**
   * Hooks for the enclosing describe: a Tandem websocket server on a home whose config has `extraConfig`
   * and trusts the workspace (which holds `tui-marker.txt`), and a fresh fake model and TUI for each test.
   */
  function onServer(extraConfig: string, options: { trusted?: boolean } = {}): { readonly temp: TempHome; readonly url: string } {
    const state = {} as { temp: TempHome; server: { url: string; stop(): Promise<void> }; url: string; oracleTmp?: string };
    before(async () => {
      state.temp = ORACLE
        ? makeTempHome({ baseUrl: front.baseUrl, extraConfig: `check_for_update_on_startup = false\n${extraConfig}`, provider: { wire_api: 'responses', requires_openai_auth: false } })
        : makeTempHome({ baseUrl: front.baseUrl, extraConfig });
      if (options.trusted !== false) fs.appendFileSync(path.join(state.temp.home, 'config.toml'), `\n[projects.${JSON.stringify(state.temp.workspace)}]\ntrust_level = "trusted"\n`);
      fs.writeFileSync(path.join(state.temp.workspace, 'tui-marker.txt'), 'marker\n');
      if (ORACLE) {
        fs.mkdirSync(path.join(REPO_ROOT, '.cache', 'tui-test'), { recursive: true });
        state.oracleTmp = fs.mkdtempSync(path.join(REPO_ROOT, '.cache', 'tui-test', 'oracle-tmp-'));
        state.server = await spawnCodexWebSocketServer(state.temp.home, state.oracleTmp);
      } else {
        state.server = await spawnWebSocketServer([], state.temp.env);
      }
      state.url = state.server.url;
    });
    after(async () => {
      await state.server?.stop();
      if (state.temp) fs.rmSync(path.dirname(state.temp.home), { recursive: true, force: true });
      if (state.oracleTmp) fs.rmSync(state.oracleTmp, { recursive: true, force: true });
    });
    beforeEach(async () => {
      model = await new FakeModelServer().start();
      front.target = model;
      if (options.trusted === false) return; // the test starts the TUI, which asks first
      tui = await CodexTui.start({ url: state.server.url, cwd: state.temp.workspace });
      await tui.waitFor('? for shortcuts', 15_000);
      await tui.tap.waitForAnswer('thread/start');
      await tui.tap.quiet();
      await sleep(200);
      startScreen = await tui.screen();
      startMark = tui.tap.frames.length;
    });
    return state;
  }

  /**
   * After an action: the TUI still runs, printed no new error line, and none of the requests it sent since
   * it started was answered with an error (the TUI shows some such failures quietly, or not at all).
   */
  async function expectFine(what: string): Promise<void> {
    await tui.tap.quiet();
    await sleep(300);
    await tui.assertRunning(what);
    const screen = await tui.screen();
    const fresh = newErrorLines(startScreen, screen);
    if (fresh.length) assert.fail(`after ${what} the TUI shows errors codex does not print:\n${fresh.join('\n')}\n--- screen ---\n${await tui.compactScreen()}\n${tui.tap.summary()}`);
    const failed = failedRequests(tui, startMark);
    if (failed.length) assert.fail(`after ${what}, requests the TUI sent were answered with errors:\n${failed.join('\n')}\n--- screen ---\n${await tui.compactScreen()}`);
  }

  /** Waits for the TUI's `method` request (after frame `mark`) and fails at once if it was answered with an error. */
  async function expectAnswered(method: string, mark: number): Promise<void> {
    const { response } = await tui.tap.waitForAnswer(method, { after: mark }).catch(async (error: Error) => {
      const { exited } = await tui.exitStatus();
      throw new Error(`${error.message}${exited ? '\nthe TUI exited' : ''}\n--- screen ---\n${await tui.compactScreen()}`);
    });
    if (response.error) {
      await sleep(300);
      const { exited } = await tui.exitStatus();
      assert.fail(`${method} was answered with an error: ${response.error.message}${exited ? '; the TUI exited' : ''}\n--- screen ---\n${await tui.compactScreen()}`);
    }
  }

  /**
   * Waits until `match` is on the screen; fails as soon as a new error line shows instead (or the TUI
   * exits), rather than at the timeout.
   */
  async function expectScreen(match: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const found = (screen: string) => (typeof match === 'string' ? screen.includes(match) : match.test(screen));
    const screen = await tui.waitFor((screen) => found(screen) || newErrorLines(startScreen, screen).length > 0, timeoutMs, String(match));
    if (!found(screen)) {
      await sleep(300);
      assert.fail(`the TUI shows an error instead of ${String(match)}:\n${newErrorLines(startScreen, screen).join('\n')}\n--- screen ---\n${await tui.compactScreen()}\n${tui.tap.summary()}`);
    }
    return screen;
  }

  /** Types a slash command and presses Enter. */
  async function slash(command: string): Promise<number> {
    const mark = tui.tap.frames.length;
    await tui.submit(command);
    return mark;
  }

  describe('on a server with the default approval policy', () => {
    onServer('');

    it('starts without an error line, a failed request or a warning', async () => {
      const problems = [
        ...errorLines(startScreen),
        ...failedRequests(tui).map((failed) => `request answered with an error: ${failed}`),
      ];
      if (/warning/i.test(startScreen)) {
        await tui.keys('F2');
        await sleep(500);
        problems.push(`a warning:\n${(await tui.screen()).split('\n').filter((line) => line.trim()).slice(-4).join('\n')}`);
      }
      if (problems.length) assert.fail(`the TUI starts with what codex does not show or send:\n${problems.join('\n')}`);
    });

    it('shows a chat message and the streamed reply', async () => {
      model.enqueue(textReply('Hello from the fake model, streamed in pieces.', { chunks: 4 }));
      await tui.submit('Say hello');
      await expectScreen('Hello from the fake model, streamed in pieces.');
      await tui.tap.waitForNotification('turn/completed');
      const deltas = tui.tap.frames.filter((f) => f.message.method === 'item/agentMessage/delta');
      assert.ok(deltas.length >= 2, `the reply reached the TUI in ${deltas.length} delta(s), not streamed`);
      await expectFine('a chat message');
    });

    it('runs !cmd (thread/shellCommand) and shows its output', async () => {
      const mark = await slash('!ls');
      await expectAnswered('thread/shellCommand', mark);
      await expectScreen('You ran ls');
      await expectScreen('tui-marker.txt');
      await expectFine('!ls');
    });

    it('runs /review (review/start) with custom instructions', async () => {
      model.enqueue(textReply('No issues found.'));
      await slash('/review');
      await expectScreen('Select a review preset');
      await tui.keys('4');
      await expectScreen('Custom review instructions');
      const mark = tui.tap.frames.length;
      await tui.submit('check the readme');
      await expectAnswered('review/start', mark);
      await tui.tap.waitForNotification('turn/completed', { after: mark });
      await expectFine('/review');
    });

    it('runs /stop (thread/backgroundTerminals/clean)', async () => {
      const mark = await slash('/stop');
      await expectAnswered('thread/backgroundTerminals/clean', mark);
      await expectScreen('Stopping all background terminals.');
      await expectFine('/stop');
    });

    it('runs /delete (thread/delete) and returns to the command center', async () => {
      await slash('/delete');
      await expectScreen('Delete this session?');
      const mark = tui.tap.frames.length;
      await tui.keys('2');
      await expectAnswered('thread/delete', mark);
      await expectScreen('Agent command center');
      await expectFine('/delete');
    });

    it('edits the previous prompt (Esc Esc, Enter: thread/revert)', async () => {
      model.enqueue(textReply('First answer.'));
      await tui.submit('first question');
      await expectScreen('First answer.');
      await tui.tap.waitForNotification('turn/completed');
      await tui.tap.quiet();
      await tui.keys('Escape');
      await sleep(150);
      await tui.keys('Escape');
      await expectScreen('Browsing transcript');
      const mark = tui.tap.frames.length;
      await tui.keys('Enter');
      await expectAnswered('thread/revert', mark);
      await expectScreen('Conversation reverted to this point.');
      await expectFine('editing the previous prompt');
      const composer = (await tui.screen()).split('\n').filter((line) => line.startsWith('› '));
      assert.ok(composer.some((line) => line.includes('first question')), `the composer does not hold the prompt to edit:\n${await tui.compactScreen()}`);
    });

    it('opens /permissions (permissionProfile/list)', async () => {
      const mark = await slash('/permissions');
      await expectAnswered('permissionProfile/list', mark);
      await expectScreen('Update Model Permissions');
      await expectScreen(/\(current\)/);
      await expectFine('/permissions');
      await tui.keys('Escape');
      await expectFine('closing /permissions');
    });

    it('switches to Plan mode with /plan (collaborationMode/list)', async () => {
      await slash('/plan');
      await expectScreen('Plan mode (shift+tab to cycle)');
      await expectFine('/plan');
    });

    it('cycles to Plan mode and back with Shift+Tab', async () => {
      await tui.keys('BTab');
      await expectScreen('Plan mode (shift+tab to cycle)');
      await expectFine('Shift+Tab');
      await tui.keys('BTab');
      await tui.waitFor((screen) => !screen.includes('Plan mode (shift+tab to cycle)'), 10_000, 'Plan mode to end');
      await expectFine('Shift+Tab twice');
    });

    it('lists MCP servers with /mcp (mcpServerStatus/list)', async () => {
      const mark = await slash('/mcp');
      await expectAnswered('mcpServerStatus/list', mark);
      await expectScreen('MCP Tools');
      await expectFine('/mcp');
    });

    it('opens /plugins (plugin/list)', async () => {
      const mark = await slash('/plugins');
      await expectAnswered('plugin/list', mark);
      await expectScreen('Browse plugins');
      await expectFine('/plugins');
      await tui.keys('Escape');
      await expectFine('closing /plugins');
    });

    it('opens /hooks (hooks/list)', async () => {
      const mark = await slash('/hooks');
      await expectAnswered('hooks/list', mark);
      await expectScreen('Lifecycle hooks');
      await expectFine('/hooks');
      await tui.keys('Escape');
      await expectFine('closing /hooks');
    });

    it('opens /experimental (experimentalFeature/list)', async () => {
      const mark = await slash('/experimental');
      await expectAnswered('experimentalFeature/list', mark);
      await expectScreen('Experimental features');
      await expectFine('/experimental');
      await tui.keys('Escape');
      await expectFine('closing /experimental');
    });
  });

  describe('on a server with approval_policy = "untrusted"', () => {
    before(function () {
      if (ORACLE) this.skip(); // codex 0.169 refuses to start with this policy
    });
    const server = onServer('approval_policy = "untrusted"');

    it('shows the command in the approval prompt exactly as the model wrote it', async () => {
      model.enqueue(toolCallReply('exec_command', { cmd: 'touch f && echo x' }, 'call-touch'), textReply('Touched it.'));
      await tui.submit('Touch a file');
      const prompt = await expectScreen('Would you like to run the following command?');
      const commandLines = prompt.split('\n').filter((line) => line.trim().startsWith('$ '));
      assert.deepEqual(
        commandLines.map((line) => line.trim()),
        ['$ touch f && echo x'],
        `the approval prompt does not show the model's command as written:\n${await tui.compactScreen()}`,
      );
      await tui.keys('y');
      await expectScreen('Touched it.');
      assert.doesNotMatch(await tui.screen(), /'&&'/, `a command is shown with its operators quoted:\n${await tui.compactScreen()}`);
      assert.ok(fs.existsSync(path.join(server.temp.workspace, 'f')), 'the approved command did not run');
      await expectFine('approving a command');
    });
  });

  describe('on a server whose config does not trust the workspace', () => {
    const server = onServer('', { trusted: false });

    it('remembers the answer to "Trust this folder?"', async () => {
      tui = await CodexTui.start({ url: server.url, cwd: server.temp.workspace });
      await tui.waitFor('Trust this folder?', 15_000);
      await tui.keys('Enter');
      await tui.waitFor('? for shortcuts');
      await tui.tap.quiet();
      const failed = failedRequests(tui).filter((failed) => failed.startsWith('config/'));
      if (failed.length) assert.fail(`writing the trust, the server answered with errors:\n${failed.join('\n')}`);
      await tui.close();
      // The TUI writes the key path `projects."<folder>".trust_level`: a TOML dotted key, quotes and all.
      const configText = fs.readFileSync(path.join(server.temp.home, 'config.toml'), 'utf8');
      const projects = (parseToml(configText).projects ?? {}) as Record<string, { trust_level?: string }>;
      assert.equal(projects[server.temp.workspace]?.trust_level, 'trusted', `the server's config.toml does not trust the folder as codex writes it:\n${configText}`);
      // A second TUI in the same folder does not ask again: the server's config now trusts it.
      tui = await CodexTui.start({ url: server.url, cwd: server.temp.workspace });
      const screen = await tui.waitFor((screen) => screen.includes('? for shortcuts') || screen.includes('Trust this folder?'), 15_000, 'the composer or the trust question');
      assert.ok(!screen.includes('Trust this folder?'), `the TUI asks again whether to trust the folder; the server's config.toml:\n${fs.readFileSync(path.join(server.temp.home, 'config.toml'), 'utf8')}`);
    });
  });
});
