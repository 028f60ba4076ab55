// The chat's words in VS Code's display language. The webview cannot call vscode.l10n: the host writes VS
// Code's bundle into the page (nothing for English) and this loads it into @vscode/l10n. main.ts imports
// this first, so the bundle is in place before any other module of the chat says a word.
import * as l10n from '@vscode/l10n';
import { L10N_BUNDLE_ELEMENT_ID } from '../src/protocol/webviewPage';

/** The page's bundle, or undefined (English): one that cannot be read leaves the chat in English, not blank. */
export function pageTranslations(page: Pick<Document, 'getElementById'>): Record<string, string> | undefined {
  const text = page.getElementById(L10N_BUNDLE_ELEMENT_ID)?.textContent;
  if (!text) return undefined;
  try {
    const bundle: unknown = JSON.parse(text);
    if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) return undefined;
    return Object.fromEntries(Object.entries(bundle).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return undefined;
  }
}

const bundle = pageTranslations(document);
if (bundle) l10n.config({ contents: bundle });
