// Every word the extension shows can be translated: nothing in src/vscode writes text straight into a
// notification, dialog, quick pick, input box or progress title; every l10n.t names its message as a string
// the export can read, with an argument for each `{n}`; and l10n/bundle.l10n.json holds exactly the source's
// messages. The checker is also run on small sources, so a check that found nothing could not pass unseen.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { checkLocalization, translatedMessages, untranslatedText } from '../../../scripts/checkLocalization';
import { loadTranslations, translationsBlock } from '../../../src/vscode/localization';
import { statusText } from '../../../src/vscode/statusText';

const ROOT = path.join(__dirname, '..', '..', '..');
const problems = (findings: Array<{ line: number; problem: string }>) => findings.map((f) => `${f.line}: ${f.problem}`);

describe('vscode/localization', () => {
  it('finds nothing untranslated in src/vscode and webview, and the bundle matches the source', () => {
    assert.deepEqual(problems(checkLocalization(ROOT)), []);
  });

  it('reports text written straight into messages, buttons, dialogs, quick picks, input boxes and progress titles', () => {
    const source = [
      "vscode.window.showInformationMessage('Tandem: signed out.');",
      'vscode.window.showErrorMessage(`Tandem: sign-in failed: ${error}`);',
      "vscode.window.showWarningMessage(vscode.l10n.t('Delete it?'), { modal: true, detail: 'It cannot be undone.' }, 'Delete');",
      "vscode.window.showWarningMessage(ok ? vscode.l10n.t('Fine') : 'Not fine');",
      "vscode.window.showQuickPick([{ label: '$(add) New Thread' }, { label: `$(add) ${vscode.l10n.t('New Thread')}` }], { title: 'Tandem', placeHolder: 'Choose an action' });",
      "vscode.window.showInputBox({ prompt: 'Your key', title: vscode.l10n.t('Sign In') });",
      "vscode.window.withProgress({ location: 15, title: 'Looking…' }, task);",
      "vscode.window.showInformationMessage(message, vscode.l10n.t('Show Chat'));",
    ].join('\n');
    assert.deepEqual(problems(untranslatedText('sample.ts', source)), [
      '1: showInformationMessage\'s message is not translated: "Tandem: signed out."',
      '2: showErrorMessage\'s message is not translated: "Tandem: sign-in failed:  "',
      '3: showWarningMessage\'s detail is not translated: "It cannot be undone."',
      '3: showWarningMessage\'s button is not translated: "Delete"',
      '4: showWarningMessage\'s message is not translated: "Not fine"',
      '5: showQuickPick\'s item label is not translated: "$(add) New Thread"',
      '5: showQuickPick\'s placeHolder is not translated: "Choose an action"',
      '6: showInputBox\'s prompt is not translated: "Your key"',
      '7: withProgress\'s title is not translated: "Looking…"',
    ]);
  });

  it('reads each l10n.t message as the export does, and reports calls it could not read or fill', () => {
    const source = [
      "l10n.t('Plain');",
      "vscode.l10n.t('Hello {0}', name);",
      "l10n.t({ message: '{0}: {1}', args: [a, b], comment: ['A step, then its state'] });",
      "l10n.t('Named {name}', { name });",
      'l10n.t(`Changed ${count} files`);',
      'l10n.t(message);',
      "l10n.t('{0} of {1}', done);",
      'l10n.t`Hello ${name}`;',
    ].join('\n');
    const { keys, findings } = translatedMessages('sample.ts', source);
    assert.deepEqual([...keys], ['Plain', 'Hello {0}', '{0}: {1}/A step, then its state', 'Named {name}', '{0} of {1}']);
    assert.deepEqual(problems(findings), [
      '5: l10n.t needs its message as a plain string, not a template or a variable: the export reads it from the source',
      '6: l10n.t needs its message as a plain string, not a template or a variable: the export reads it from the source',
      '7: "{0} of {1}" has {1} but only 1 argument(s)',
      '8: l10n.t as a tagged template: give the message as a string and its values as arguments',
    ]);
  });

  it('says the words of the modules free of the vscode module in the bundle VS Code gives, arguments filled in', () => {
    loadTranslations({ 'Tandem: sign in': 'Tandem : se connecter', 'Model: {0}': 'Modèle : {0}' });
    try {
      const status = statusText({ account: null, model: 'gpt-5.5', rateLimits: null, restricted: false, provider: 'ollama', signInNeeded: false });
      assert.match(status.tooltip, /\nModèle : gpt-5\.5$/);
      assert.equal(statusText({ account: null, model: null, rateLimits: null, restricted: false }).text, '$(sparkle) Tandem : se connecter');
    } finally {
      loadTranslations({});
    }
    assert.equal(statusText({ account: null, model: null, rateLimits: null, restricted: false }).text, '$(sparkle) Tandem: sign in', 'an empty bundle is English');
  });

  it('writes the bundle into the chat\'s page as data no translation can break out of, and nothing for English', () => {
    assert.equal(translationsBlock(undefined), '');
    const block = translationsBlock({ Stop: '</script><script>alert(1)</script>' });
    assert.equal(block.match(/<\/script>/g)?.length, 1, 'only the block\'s own end tag');
    const json = /^<script type="application\/json" id="tandem-l10n">(.*)<\/script>$/.exec(block)?.[1];
    assert.deepEqual(JSON.parse(json!), { Stop: '</script><script>alert(1)</script>' });
  });
});
