// The extension's words in VS Code's display language. Code that uses the vscode module says them with
// vscode.l10n.t; the modules kept free of it (so their wording is tested without VS Code) use @vscode/l10n,
// which reads the same bundle and formats `{0}` the same way; the chat's page gets the bundle too. Free of
// the vscode module itself: the caller passes `vscode.l10n.bundle` (undefined for English).
import * as l10n from '@vscode/l10n';
import { L10N_BUNDLE_ELEMENT_ID } from '../protocol';

export type TranslationBundle = Record<string, string>;

/** Gives @vscode/l10n VS Code's bundle, before anything is shown; English needs none. */
export function loadTranslations(bundle: TranslationBundle | undefined): void {
  if (bundle) l10n.config({ contents: bundle });
}

/**
 * The bundle as a data block for the chat's page, which cannot call vscode.l10n ('' for English). A data block
 * never runs, so the page's script policy allows it; `<` is escaped so no text can end the element early.
 */
export function translationsBlock(bundle: TranslationBundle | undefined): string {
  if (!bundle) return '';
  return `<script type="application/json" id="${L10N_BUNDLE_ELEMENT_ID}">${JSON.stringify(bundle).replace(/</g, '\\u003c')}</script>`;
}
