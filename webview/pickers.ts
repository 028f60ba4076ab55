// The model, reasoning effort and mode under the composer. A choice waits for the next turn (sent as
// turn/start overrides), so the pickers show the choice, else the thread's settings, else the defaults
// of a new thread. *Set as default* saves what they show, through the host.
import * as l10n from '@vscode/l10n';
import type { ChatDefaults, ChatMode, ModelInfo } from '../src/protocol';
import { CHAT_MODES, MODE_SETTINGS, modeOf } from '../src/protocol/chatModes';
import type { HostRpc } from './rpc';
import type { ChatStore } from './store';
import { el } from './dom';
import { describeMode, effortLabel, modeDescription, modeLabel } from './settingsWords';

interface Choice {
  model?: string;
  effort?: string | null;
  mode?: ChatMode;
}

export class SettingsPickers {
  readonly model = el('select', 'picker model-picker');
  readonly effort = el('select', 'picker effort-picker');
  readonly mode = el('select', 'picker mode-picker');
  readonly save = el('button', 'link-button save-defaults', l10n.t('Set as default'));
  private readonly status = el('span', 'picker-status');
  private models: ModelInfo[] = [];
  private defaults: ChatDefaults | null = null;
  private choice: Choice = {};
  /** An untrusted workspace: only *Read only* is offered. */
  restricted = false;

  constructor(
    parent: HTMLElement,
    private readonly rpc: HostRpc,
    private readonly store: ChatStore,
  ) {
    this.model.setAttribute('aria-label', l10n.t('Model'));
    this.effort.setAttribute('aria-label', l10n.t('Reasoning effort'));
    this.mode.setAttribute('aria-label', l10n.t('Mode'));
    this.save.type = 'button';
    this.save.title = l10n.t('Start new threads with this model, effort and mode');
    this.status.setAttribute('aria-live', 'polite');
    parent.append(this.model, this.effort, this.mode, this.save, this.status);
    store.onChange(() => this.render());
    this.model.addEventListener('change', () => this.chooseModel(this.model.value));
    this.effort.addEventListener('change', () => this.pick({ effort: this.effort.value || null }));
    this.mode.addEventListener('change', () => void this.chooseMode(this.mode.value as ChatMode));
    this.save.addEventListener('click', () => void this.saveDefaults());
  }

  /** The models the server offers and what a new thread starts with; a failure leaves the pickers as they are. */
  async load(): Promise<void> {
    const [models, defaults] = await Promise.allSettled([
      this.rpc.request<{ data: ModelInfo[] }>('model/list', {}),
      this.rpc.call<ChatDefaults>((id) => ({ kind: 'readDefaults', id })),
    ]);
    if (models.status === 'fulfilled') this.models = models.value.data ?? [];
    if (defaults.status === 'fulfilled') this.defaults = defaults.value;
    this.render();
  }

  /** What the next turn runs with, as the pickers show it. */
  current(): { model: string; effort: string | null; mode: ChatMode | null; label: string } {
    const settings = this.store.state.settings;
    const threadMode = settings ? modeOf(settings.approvalPolicy, settings.sandbox, settings.reviewFileChanges) : (this.defaults?.mode ?? null);
    const mode = this.restricted ? 'readOnly' : (this.choice.mode ?? threadMode);
    const label = this.choice.mode || this.restricted || !settings ? modeLabel(mode ?? 'review') : describeMode(settings.approvalPolicy, settings.sandbox, settings.reviewFileChanges);
    return {
      model: this.choice.model ?? settings?.model ?? this.defaults?.model ?? this.models.find((m) => m.isDefault)?.model ?? '',
      effort: this.choice.effort !== undefined ? this.choice.effort : (settings?.effort ?? this.defaults?.effort ?? null),
      mode,
      label,
    };
  }

  /** turn/start fields for what the user changed; nothing for what they left alone (a custom config stays). */
  overrides(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.choice.model) out.model = this.choice.model;
    if (this.choice.effort) out.effort = this.choice.effort;
    if (this.choice.mode && !this.restricted) {
      const mode = MODE_SETTINGS[this.choice.mode];
      Object.assign(out, { approvalPolicy: mode.approvalPolicy, permissions: mode.permissions, reviewFileChanges: mode.reviewFileChanges });
    }
    return out;
  }

  /** The turn started with the choice: from now on the thread's settings say it. */
  sent(): void {
    this.choice = {};
    this.render();
  }

  private pick(choice: Choice): void {
    this.choice = { ...this.choice, ...choice };
    this.status.textContent = '';
    this.render();
  }

  /** A new model keeps the effort only if it supports it. */
  private chooseModel(model: string): void {
    const efforts = this.models.find((m) => m.model === model)?.supportedReasoningEfforts.map((e) => e.reasoningEffort) ?? [];
    const effort = this.current().effort;
    this.pick({ model, ...(effort && !efforts.includes(effort) ? { effort: null } : {}) });
  }

  /** *Full access* asks the host first: the warning is shown once, and refused it changes nothing. */
  private async chooseMode(mode: ChatMode): Promise<void> {
    if (mode === 'fullAccess' && !(await this.rpc.call<boolean>((id) => ({ kind: 'confirmFullAccess', id })).catch(() => false))) {
      this.render();
      return;
    }
    this.pick({ mode });
  }

  private async saveDefaults(): Promise<void> {
    const { model, effort, mode } = this.current();
    if (!model) return;
    const defaults: ChatDefaults = { model, effort, mode: this.restricted ? null : mode };
    try {
      await this.rpc.call((id) => ({ kind: 'saveDefaults', id, defaults }));
      this.defaults = defaults;
      this.status.textContent = l10n.t('Saved as the default for new threads.');
    } catch (error) {
      this.status.textContent = l10n.t('Not saved: {0}', (error as Error).message);
    }
  }

  render(): void {
    const { model, effort, mode, label } = this.current();
    const known = this.models.some((m) => m.model === model);
    fill(this.model, [...(known || !model ? [] : [{ value: model, label: model }]), ...this.models.map((m) => ({ value: m.model, label: m.displayName || m.model, title: m.description }))], model);
    const info = this.models.find((m) => m.model === model);
    const efforts = info?.supportedReasoningEfforts ?? [];
    this.effort.hidden = efforts.length === 0;
    const fallback = info?.defaultReasoningEffort;
    const defaultEffort = { value: '', label: fallback ? l10n.t('Default effort ({0})', fallback) : l10n.t('Default effort') };
    fill(this.effort, [defaultEffort, ...efforts.map((e) => ({ value: e.reasoningEffort, label: effortLabel(e.reasoningEffort), title: e.description }))], effort ?? '');
    const modes = this.restricted ? (['readOnly'] as const) : CHAT_MODES;
    const options = modes.map((m) => ({ value: m, label: modeLabel(m), title: modeDescription(m) }));
    // Settings that are no mode (set in config.toml) show as they are, in plain words, until a mode is chosen.
    fill(this.mode, mode ? options : [{ value: '', label, title: l10n.t('Set in config.toml') }, ...options], mode ?? '');
    this.mode.disabled = this.restricted;
    this.mode.title = this.restricted ? l10n.t('This folder is not trusted, so Tandem only reads.') : mode ? modeDescription(mode) : label;
    this.save.disabled = !model;
  }
}

/** Replaces a select's options only when they differ, so an open dropdown is not rebuilt under the user. */
function fill(select: HTMLSelectElement, options: Array<{ value: string; label: string; title?: string }>, value: string): void {
  const same = select.options.length === options.length && options.every((o, i) => select.options[i]!.value === o.value && select.options[i]!.text === o.label);
  if (!same) {
    select.replaceChildren(
      ...options.map((o) => {
        const option = el('option', undefined, o.label);
        option.value = o.value;
        if (o.title) option.title = o.title;
        return option;
      }),
    );
  }
  select.value = value;
}
