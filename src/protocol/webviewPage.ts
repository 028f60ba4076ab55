// What the chat page and the host that writes it agree on outside the message protocol. Free of zod: the
// page loads it.

/**
 * The page element (`<script type="application/json">`) in which the host gives the chat VS Code's
 * translations for the display language, as `{ english: translated }`; absent for English. It is in the
 * page, not a message, so the chat's first words are already translated.
 */
export const L10N_BUNDLE_ELEMENT_ID = 'tandem-l10n';
