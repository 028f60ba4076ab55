import { strict as assert } from 'node:assert';
import { buildEnvironment, DEFAULT_ENVIRONMENT_POLICY, policyFromConfig } from '../../../../src/core/exec/environment';

describe('core/exec/environment: secrets stay out of commands', () => {
  const base = { PATH: '/bin', SSH_AUTH_SOCK: '/run/agent.sock', DB_PASSWORD: 'p', MY_PASSWORD_FILE: '/x', GOOGLE_APPLICATION_CREDENTIALS: '/c.json', GITHUB_TOKEN: 't', AWS_SECRET_ACCESS_KEY: 's', EDITOR: 'vi' };

  it('drops the ssh-agent socket and *PASSWORD*, *CREDENTIAL*, *TOKEN*, *SECRET*, *KEY* by default', () => {
    const env = buildEnvironment(DEFAULT_ENVIRONMENT_POLICY, base);
    assert.deepEqual(Object.keys(env).sort(), ['EDITOR', 'PATH']);
  });

  it('passes them only when the user turns the default excludes off', () => {
    const env = buildEnvironment(policyFromConfig({ ignore_default_excludes: true }), base);
    assert.equal(env.SSH_AUTH_SOCK, '/run/agent.sock');
    assert.equal(env.DB_PASSWORD, 'p');
  });
});
