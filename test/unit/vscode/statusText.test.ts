import { strict as assert } from 'node:assert';
import { statusText } from '../../../src/vscode/statusText';

describe('vscode/statusText', () => {
  it('asks to sign in when there is no account', () => {
    assert.deepEqual(statusText({ account: null, model: 'gpt-5.5', rateLimits: null, restricted: false }), { text: '$(sparkle) Tandem: sign in', tooltip: 'Tandem: not signed in. Click to sign in or use a local model.' });
  });

  it('shows the local provider and model, with no sign-in asked', () => {
    const status = statusText({ account: null, model: 'qwen3:8b', rateLimits: null, restricted: false, provider: 'ollama', signInNeeded: false });
    assert.equal(status.text, '$(sparkle) qwen3:8b');
    assert.match(status.tooltip, /using ollama \(no sign-in needed\)\nModel: qwen3:8b/);
  });

  it('shows the model and rate-limit use, with the windows named', () => {
    const status = statusText({
      account: { type: 'chatgpt', email: 'a@example.com', planType: 'plus' },
      model: 'gpt-5.5',
      rateLimits: { primary: { usedPercent: 13, windowDurationMins: 300 }, secondary: { usedPercent: 40, windowDurationMins: 10080 } },
      restricted: true,
    });
    assert.equal(status.text, '$(shield) gpt-5.5 13%');
    assert.equal(
      status.tooltip,
      'Tandem: signed in with ChatGPT (a@example.com), plus\nModel: gpt-5.5\nPrimary limit: 13% used of the 5-hour window\nSecondary limit: 40% used of the 1-week window\nUntrusted workspace: read-only, asks before everything',
    );
  });
});
