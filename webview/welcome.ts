// The first-run welcome: shown above the conversation while there are no credentials for the provider.
// Three paths: sign in with ChatGPT, use an API key, or use a model a local server (Ollama, LM Studio)
// serves. The host does the work; this only shows the choices and names the one picked.
import * as l10n from '@vscode/l10n';
import type { LocalModelServer, WebviewToHost, WelcomeState } from '../src/protocol';
import { el } from './dom';

/** Models listed per server; the rest are a quick pick away. */
const MODELS_SHOWN = 8;

type Post = (message: WebviewToHost) => void;

function button(label: string, icon: string, data: Record<string, string>, primary = false): HTMLButtonElement {
  const node = el('button', primary ? 'welcome-choice primary' : 'welcome-choice');
  node.type = 'button';
  node.append(el('span', `codicon codicon-${icon}`), el('span', 'label', label));
  Object.assign(node.dataset, data);
  return node;
}

export class WelcomePanel {
  readonly element = el('section', 'welcome');

  constructor(post: Post) {
    this.element.setAttribute('aria-label', l10n.t('Get started with Tandem'));
    this.element.hidden = true;
    this.element.addEventListener('click', (event) => {
      const choice = (event.target as HTMLElement).closest<HTMLElement>('[data-welcome]');
      if (!choice) return;
      const { welcome: action, provider, model } = choice.dataset;
      if (action !== 'signInWithChatGpt' && action !== 'signInWithApiKey' && action !== 'detectLocalModels' && action !== 'useLocalModel') return;
      post({ kind: 'welcome', action, ...(provider === 'ollama' || provider === 'lmstudio' ? { provider } : {}), ...(model ? { model } : {}) });
    });
  }

  update(state: WelcomeState | null | undefined): void {
    this.element.hidden = !state;
    if (!state) {
      this.element.replaceChildren();
      return;
    }
    const local = el('div', 'welcome-local');
    local.append(el('h3', undefined, l10n.t('Use a local model')));
    if (state.detecting) local.append(el('p', 'welcome-note', l10n.t('Looking for Ollama and LM Studio…')));
    else if (state.localServers.length === 0) {
      local.append(
        el('p', 'welcome-note', l10n.t('No local model server answered. Start Ollama (ollama serve, port 11434) or the local server in LM Studio (port 1234), load a model, then look again.')),
        button(l10n.t('Look again'), 'refresh', { welcome: 'detectLocalModels' }),
      );
    } else for (const server of state.localServers) local.append(this.server(server));
    this.element.replaceChildren(
      el('h2', undefined, l10n.t('Welcome to Tandem')),
      el('p', 'welcome-note', l10n.t('Choose how Tandem reaches a model. You can change it later in config.toml.')),
      button(l10n.t('Sign in with ChatGPT'), 'account', { welcome: 'signInWithChatGpt' }, true),
      button(l10n.t('Use an API key'), 'key', { welcome: 'signInWithApiKey' }),
      local,
    );
  }

  private server(server: LocalModelServer): HTMLElement {
    const group = el('div', 'welcome-server');
    const heading = server.models.length > 0 ? l10n.t('{0} serves:', server.name) : l10n.t('{0} is running but serves no model yet: load or pull one, then look again.', server.name);
    group.append(el('p', 'welcome-server-name', heading));
    for (const model of server.models.slice(0, MODELS_SHOWN)) group.append(button(model, 'server', { welcome: 'useLocalModel', provider: server.provider, model }));
    if (server.models.length > MODELS_SHOWN) group.append(button(l10n.t('All {0} models…', server.models.length), 'list-unordered', { welcome: 'useLocalModel' }));
    if (server.models.length === 0) group.append(button(l10n.t('Look again'), 'refresh', { welcome: 'detectLocalModels' }));
    return group;
  }
}
