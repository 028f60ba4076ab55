// Fetches a web page's text for `@url`, in the extension host: http(s) only, bounded in time and size, HTML
// turned into readable text, anything that is not text refused with the reason. The user approves each
// fetch before this runs (contextAttachments.ts asks), so redirects are followed only within the approved
// address's origin. Why a page was refused is said through @vscode/l10n.
import * as l10n from '@vscode/l10n';
import type { PageText } from './contextAttachments';
import { htmlToText } from './htmlText';

/** A page that has not answered by then is given up: the user is waiting to send. */
export const URL_FETCH_TIMEOUT_MS = 15_000;
/** Bytes read from a response; a larger page is cut there (and the model told). */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
/** The page's text sent to the model: a long article; more is cut. */
export const MAX_PAGE_TEXT_CHARS = 50_000;

/** Redirects followed for one page; a chain longer than this is given up. */
export const MAX_REDIRECTS = 5;

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxChars?: number;
}

/** A page that answered, but not with text Tandem can send: the message says why as it is. */
class PageRefused extends Error {}

const TEXT_TYPES = /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|rss\+xml|atom\+xml)|[^;]*\+(json|xml)\b)/i;
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)/i;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = { accept: 'text/html, text/plain;q=0.9, */*;q=0.5', 'user-agent': 'Tandem (VS Code extension)' };

export async function fetchPageText(url: URL, options: FetchOptions = {}): Promise<PageText> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(l10n.t('only http and https pages can be fetched, not {0}', url.protocol));
  const timeoutMs = options.timeoutMs ?? URL_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  // One limit for the whole chain of redirects, not one per request.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const { response, at } = await followRedirects(url, controller.signal);
    if (!response.ok) {
      await discard(response);
      throw new PageRefused(l10n.t('{0} answered HTTP {1}', at.toString(), `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`));
    }
    const type = response.headers.get('content-type') ?? '';
    if (type && !TEXT_TYPES.test(type)) {
      await discard(response);
      throw new PageRefused(l10n.t('{0} is not a text page ({1})', at.toString(), type.split(';')[0]!));
    }
    const { bytes, cut } = await readBounded(response, options.maxBytes ?? MAX_PAGE_BYTES);
    const body = decode(bytes, type);
    // Text has no NUL characters; a binary file served without a type (or with a wrong one) has many.
    if (body.includes('\0')) throw new PageRefused(l10n.t('{0} is not a text page', at.toString()));
    const maxChars = options.maxChars ?? MAX_PAGE_TEXT_CHARS;
    const html = HTML_TYPES.test(type) || (!type && /^\s*</.test(body));
    if (html) {
      const page = htmlToText(body, maxChars);
      return { url: at.toString(), title: page.title, text: page.text, truncated: cut || page.truncated };
    }
    const text = body.trim();
    const long = text.length > maxChars;
    return { url: at.toString(), title: null, text: long ? text.slice(0, maxChars) : text, truncated: cut || long };
  } catch (error) {
    if (timedOut) {
      const waited = timeoutMs >= 1000 ? l10n.t('{0} s', Math.round(timeoutMs / 1000)) : l10n.t('{0} ms', timeoutMs);
      throw new Error(l10n.t('{0} did not answer within {1}', url.toString(), waited), { cause: error });
    }
    if (error instanceof PageRefused) throw error;
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new Error(l10n.t('could not fetch {0}: {1}', url.toString(), reason), { cause: error });
  } finally {
    clearTimeout(timer);
    // Whatever was not read (a refused page, a failure halfway) is dropped, and its connection with it.
    controller.abort();
  }
}

/**
 * Requests `url`, following redirects within its origin only. The user approved that one address: a page
 * that sends Tandem elsewhere (another site, this machine, the local network) is refused, and the message
 * names the target so the user can attach, and approve, that one instead.
 */
async function followRedirects(url: URL, signal: AbortSignal): Promise<{ response: Response; at: URL }> {
  const visited = new Set<string>();
  let at = url;
  for (;;) {
    visited.add(at.href);
    const response = await fetch(at, { signal, redirect: 'manual', headers: HEADERS });
    if (!REDIRECTS.has(response.status)) return { response, at };
    await discard(response);
    const location = response.headers.get('location');
    if (!location) throw new PageRefused(l10n.t('{0} redirects without saying where to', at.toString()));
    let target: URL;
    try {
      target = new URL(location, at);
    } catch {
      throw new PageRefused(l10n.t('{0} redirects to {1}, which is not a web address', at.toString(), JSON.stringify(location.slice(0, 200))));
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new PageRefused(l10n.t('{0} redirects to {1}, which is not an http or https page', at.toString(), target.toString()));
    }
    // Named from the address the user approved, which may be a few hops back.
    if (target.origin !== url.origin) throw new PageRefused(l10n.t('{0} redirects to {1}; attach {1} instead', url.toString(), target.toString()));
    if (visited.has(target.href)) throw new PageRefused(l10n.t('{0} redirects in a loop', url.toString()));
    if (visited.size > MAX_REDIRECTS) throw new PageRefused(l10n.t('{0} redirects more than {1} times', url.toString(), MAX_REDIRECTS));
    at = target;
  }
}

/** A response Tandem will not read: its body is dropped rather than left waiting on the connection. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
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
