// Fetches a web page's text for `@url`, in the extension host: http(s) only, bounded in time and size, HTML
// turned into readable text, anything that is not text refused with the reason. The user approves each
// fetch before this runs (contextAttachments.ts asks). Why a page was refused is said through @vscode/l10n.
import * as l10n from '@vscode/l10n';
import type { PageText } from './contextAttachments';
import { htmlToText } from './htmlText';

/** A page that has not answered by then is given up: the user is waiting to send. */
export const URL_FETCH_TIMEOUT_MS = 15_000;
/** Bytes read from a response; a larger page is cut there (and the model told). */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
/** The page's text sent to the model: a long article; more is cut. */
export const MAX_PAGE_TEXT_CHARS = 50_000;

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxChars?: number;
}

/** A page that answered, but not with text Tandem can send: the message says why as it is. */
class PageRefused extends Error {}

const TEXT_TYPES = /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|rss\+xml|atom\+xml)|[^;]*\+(json|xml)\b)/i;
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)/i;

export async function fetchPageText(url: URL, options: FetchOptions = {}): Promise<PageText> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(l10n.t('only http and https pages can be fetched, not {0}', url.protocol));
  const timeoutMs = options.timeoutMs ?? URL_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      redirect: 'follow',
      headers: { accept: 'text/html, text/plain;q=0.9, */*;q=0.5', 'user-agent': 'Tandem (VS Code extension)' },
    });
    if (!response.ok) throw new PageRefused(l10n.t('{0} answered HTTP {1}', url.toString(), `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`));
    const type = response.headers.get('content-type') ?? '';
    if (type && !TEXT_TYPES.test(type)) throw new PageRefused(l10n.t('{0} is not a text page ({1})', url.toString(), type.split(';')[0]!));
    const { bytes, cut } = await readBounded(response, options.maxBytes ?? MAX_PAGE_BYTES);
    const body = decode(bytes, type);
    const html = HTML_TYPES.test(type) || (!type && /^\s*</.test(body));
    const page = html ? htmlToText(body) : { title: null, text: body.trim() };
    const maxChars = options.maxChars ?? MAX_PAGE_TEXT_CHARS;
    const long = page.text.length > maxChars;
    return { url: response.url || url.toString(), title: page.title, text: long ? page.text.slice(0, maxChars) : page.text, truncated: cut || long };
  } catch (error) {
    if (controller.signal.aborted) {
      const waited = timeoutMs >= 1000 ? l10n.t('{0} s', Math.round(timeoutMs / 1000)) : l10n.t('{0} ms', timeoutMs);
      throw new Error(l10n.t('{0} did not answer within {1}', url.toString(), waited), { cause: error });
    }
    if (error instanceof PageRefused) throw error;
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new Error(l10n.t('could not fetch {0}: {1}', url.toString(), reason), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** The body's first `max` bytes; the rest is not downloaded. */
async function readBounded(response: Response, max: number): Promise<{ bytes: Uint8Array; cut: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), cut: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, size), cut: false };
    chunks.push(value);
    size += value.byteLength;
    if (size >= max) {
      await reader.cancel().catch(() => undefined);
      return { bytes: concat(chunks, size).subarray(0, max), cut: true };
    }
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/** The charset the server names, UTF-8 when it names none or one Node does not know. */
function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset="?([\w-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
