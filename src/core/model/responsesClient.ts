// POST {base}/responses and stream the SSE reply as typed events. One call is one attempt (plus one retry
// after a successful credential refresh on 401); the turn loop decides about further retries, because a
// retry re-reads history and must tell the client (`error` with `willRetry`).
import type { Logger } from '../log';
import { BodyStalled, httpRequest, readWithin, type BodyReader, type HttpResponse, type ResponseHeaders } from '../net/httpRequest';
import type { ResponseItem } from './responseItems';
import { ModelError, connectionError, httpError, parseRetryAfter, streamFailure } from './errors';
import { responsesUrl, type ModelProviderInfo } from './provider';
import { SseParser } from './sse';

/** How long handling a fast stream may hold the event loop before it lets other work run. */
const STREAM_SLICE_MS = 10;

export interface ResponsesRequest {
  model: string;
  instructions: string;
  input: ResponseItem[];
  tools: unknown[];
  parallelToolCalls: boolean;
  reasoning: { effort?: string; summary?: string } | null;
  promptCacheKey: string;
  /** The service tier to ask for (`priority`…); absent: the provider's default. */
  serviceTier?: string;
  /** The Responses API `text` options: a strict JSON schema for the final message, and the verbosity. */
  text?: { verbosity?: 'low' | 'medium' | 'high'; format?: { type: 'json_schema'; strict: true; schema: unknown; name: string } };
}

export interface RequestIdentity {
  threadId: string;
  originator: string;
  userAgent: string;
  /** The client's turn metadata (`responsesapiClientMetadata`), sent as the `x-codex-turn-metadata` header. */
  turnMetadata?: Record<string, string>;
}

export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
  totalTokens: number;
}

export type ResponseEvent =
  | { type: 'created' }
  | { type: 'outputItemAdded'; outputIndex: number; item: Record<string, unknown> }
  | { type: 'outputItemDone'; outputIndex: number; item: Record<string, unknown> }
  | { type: 'outputTextDelta'; outputIndex: number; delta: string }
  | { type: 'reasoningSummaryPartAdded'; outputIndex: number; summaryIndex: number }
  | { type: 'reasoningSummaryDelta'; outputIndex: number; summaryIndex: number; delta: string }
  | { type: 'reasoningContentDelta'; outputIndex: number; contentIndex: number; delta: string }
  | { type: 'completed'; responseId: string | undefined; usage: TokenUsage | undefined };

/** Credentials for a provider. The config/auth layer supplies the real one. */
export interface ModelAuth {
  /** Headers that carry the credentials (for example `authorization`). */
  headers(provider: ModelProviderInfo): Promise<Record<string, string>>;
  /** Called after a 401; resolves true when the credentials were refreshed and one retry is worth it. */
  refreshAfterUnauthorized(provider: ModelProviderInfo): Promise<boolean>;
  /** A base URL that depends on the sign-in (the ChatGPT backend), if any. */
  baseUrlFor?(provider: ModelProviderInfo): string | undefined;
}

export interface ModelClientOptions {
  provider: ModelProviderInfo;
  auth: ModelAuth;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Sees each response's headers (rate limits). */
  onResponseHeaders?: (headers: ResponseHeaders) => void;
}

/** Numbers requests in the log, so a request's status, retries and completion read as one story. */
let requestSequence = 0;

export class ModelClient {
  constructor(private readonly options: ModelClientOptions) {}

  get provider(): ModelProviderInfo {
    return this.options.provider;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  async *stream(request: ResponsesRequest, identity: RequestIdentity, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const requestId = `req-${++requestSequence}`;
    const started = Date.now();
    const { logger } = this.options;
    const response = await this.open(request, identity, signal, requestId);
    try {
      for await (const event of this.readEvents(response, signal)) {
        if (event.type === 'completed') {
          logger.info('model response completed', { requestId, responseId: event.responseId, ms: Date.now() - started, totalTokens: event.usage?.totalTokens });
        }
        yield event;
      }
    } catch (error) {
      if (!signal.aborted) logger.warn('model stream failed', { requestId, ms: Date.now() - started, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  private async open(request: ResponsesRequest, identity: RequestIdentity, signal: AbortSignal, requestId: string): Promise<HttpResponse> {
    const { provider, auth, logger } = this.options;
    const url = responsesUrl(provider, auth.baseUrlFor?.(provider));
    const body = JSON.stringify(requestBody(request));
    // What the model was sent is the user's content: only at debug, which the user chooses.
    logger.debug('model request body', { requestId, body: body.length > 20_000 ? `${body.slice(0, 20_000)}…` : body });
    let refreshed = false;
    while (true) {
      const headers = { ...(await this.headers(identity)), ...(await auth.headers(provider)) };
      let response: HttpResponse;
      const sent = Date.now();
      const fields = { requestId, provider: provider.id, model: request.model, threadId: identity.threadId, inputItems: request.input.length };
      try {
        response = await httpRequest(url, { method: 'POST', headers, body, signal, headersTimeoutMs: provider.streamIdleTimeoutMs });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        logger.warn('model request could not connect', { ...fields, ms: Date.now() - sent, error: error instanceof Error ? error.message : String(error) });
        throw connectionError(error, url, provider.id);
      }
      const serverRequestId = response.headers.get('x-request-id');
      logger[response.ok ? 'info' : 'warn']('model request', { ...fields, status: response.status, ms: Date.now() - sent, ...(serverRequestId ? { serverRequestId } : {}) });
      this.options.onResponseHeaders?.(response.headers);
      if (response.ok) return response;
      const text = await response.text(provider.streamIdleTimeoutMs).catch(() => '');
      if (response.status === 401 && !refreshed && (await auth.refreshAfterUnauthorized(provider))) {
        refreshed = true;
        logger.info('retrying the model request after refreshing credentials', { requestId, provider: provider.id });
        continue;
      }
      throw httpError(response.status, text, parseRetryAfter(response.headers.get('retry-after')), `The model provider "${provider.name}"`);
    }
  }

  private async headers(identity: RequestIdentity): Promise<Record<string, string>> {
    const { provider } = this.options;
    const env = this.options.env ?? process.env;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      originator: identity.originator,
      'user-agent': identity.userAgent,
      session_id: identity.threadId,
      'x-client-request-id': identity.threadId,
      ...(identity.turnMetadata ? { 'x-codex-turn-metadata': JSON.stringify(identity.turnMetadata) } : {}),
      ...provider.httpHeaders,
    };
    for (const [header, variable] of Object.entries(provider.envHttpHeaders)) {
      const value = env[variable];
      if (value) headers[header] = value;
    }
    return headers;
  }

  private async *readEvents(response: HttpResponse, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const idleMs = this.options.provider.streamIdleTimeoutMs;
    const reader = response.reader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let failure: ModelError | undefined;
    let completed = false;
    let unreadable = 0;
    let sliceStart = performance.now();
    try {
      while (!completed) {
        const chunk = await readWithIdleTimeout(reader, idleMs, signal);
        if (chunk.done) break;
        for (const sse of parser.push(decoder.decode(chunk.value, { stream: true }))) {
          const event = parseEvent(sse.data, (error) => (failure = error), () => (unreadable += 1), this.options.logger);
          if (!event) continue;
          yield event;
          // A stream that arrives faster than it is handled is drained in microtasks, which never let
          // timers or other clients' I/O run: give the event loop a turn every few milliseconds.
          if (performance.now() - sliceStart > STREAM_SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
          }
          if (event.type === 'completed') {
            completed = true;
            break;
          }
        }
        if (failure) break;
      }
    } finally {
      reader.cancel();
    }
    if (failure) throw failure;
    if (!completed) {
      const note = unreadable > 0 ? ` ${unreadable} event(s) in it were not valid JSON; the server may not speak the Responses API.` : '';
      throw new ModelError(
        `The model stream closed before the response completed.${note}`,
        { responseStreamDisconnected: { httpStatusCode: response.status } },
        true,
        'stream',
      );
    }
  }
}

async function readWithIdleTimeout(reader: BodyReader, idleMs: number, signal: AbortSignal): ReturnType<BodyReader['read']> {
  try {
    return await readWithin(reader, idleMs, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const disconnected = { responseStreamDisconnected: { httpStatusCode: null } };
    if (error instanceof BodyStalled) throw new ModelError(`The model sent nothing for ${Math.round(idleMs / 1000)} s (idle timeout).`, disconnected, true, 'stream');
    throw new ModelError(`The model stream broke: ${(error as Error).message}`, disconnected, true, 'stream');
  }
}

function requestBody(request: ResponsesRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    instructions: request.instructions,
    input: request.input,
    tools: request.tools,
    tool_choice: 'auto',
    parallel_tool_calls: request.parallelToolCalls,
    store: false,
    stream: true,
    include: request.reasoning ? ['reasoning.encrypted_content'] : [],
    prompt_cache_key: request.promptCacheKey,
  };
  if (request.reasoning) body.reasoning = request.reasoning;
  if (request.text && Object.keys(request.text).length > 0) body.text = request.text;
  if (request.serviceTier) body.service_tier = request.serviceTier;
  return body;
}

type RawEvent = Record<string, unknown> & { type?: unknown };

function parseEvent(data: string, fail: (error: ModelError) => void, unreadable: () => void, logger: Logger): ResponseEvent | undefined {
  let raw: RawEvent;
  try {
    raw = JSON.parse(data) as RawEvent;
  } catch {
    unreadable();
    logger.warn('skipped an SSE event that is not JSON', { data: data.slice(0, 200) });
    return undefined;
  }
  const outputIndex = typeof raw.output_index === 'number' ? raw.output_index : 0;
  const item = typeof raw.item === 'object' && raw.item !== null ? (raw.item as Record<string, unknown>) : undefined;
  switch (raw.type) {
    case 'response.created':
      return { type: 'created' };
    case 'response.output_item.added':
      return item ? { type: 'outputItemAdded', outputIndex, item } : undefined;
    case 'response.output_item.done':
      return item ? { type: 'outputItemDone', outputIndex, item } : undefined;
    case 'response.output_text.delta':
      return typeof raw.delta === 'string' ? { type: 'outputTextDelta', outputIndex, delta: raw.delta } : undefined;
    case 'response.reasoning_summary_part.added':
      return { type: 'reasoningSummaryPartAdded', outputIndex, summaryIndex: numberOr(raw.summary_index, 0) };
    case 'response.reasoning_summary_text.delta':
      return typeof raw.delta === 'string'
        ? { type: 'reasoningSummaryDelta', outputIndex, summaryIndex: numberOr(raw.summary_index, 0), delta: raw.delta }
        : undefined;
    case 'response.reasoning_text.delta':
      return typeof raw.delta === 'string'
        ? { type: 'reasoningContentDelta', outputIndex, contentIndex: numberOr(raw.content_index, 0), delta: raw.delta }
        : undefined;
    case 'response.completed': {
      const response = (raw.response ?? {}) as { id?: unknown; usage?: Record<string, unknown> };
      return { type: 'completed', responseId: typeof response.id === 'string' ? response.id : undefined, usage: readUsage(response.usage) };
    }
    case 'response.failed':
      fail(streamFailure((raw.response as { error?: Record<string, string> } | undefined)?.error));
      return undefined;
    case 'error':
      fail(streamFailure((raw.error as Record<string, string> | undefined) ?? (raw as Record<string, string>)));
      return undefined;
    case 'response.incomplete': {
      const reason = (raw.response as { incomplete_details?: { reason?: string } } | undefined)?.incomplete_details?.reason ?? 'unknown';
      fail(new ModelError(`The model returned an incomplete response (reason: ${reason}).`, 'other', reason !== 'max_output_tokens', 'stream'));
      return undefined;
    }
    default:
      return undefined;
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function readUsage(usage: Record<string, unknown> | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const input = n(usage.input_tokens);
  const output = n(usage.output_tokens);
  return {
    inputTokens: input,
    cachedInputTokens: n((usage.input_tokens_details as Record<string, unknown> | undefined)?.cached_tokens),
    outputTokens: output,
    reasoningOutputTokens: n((usage.output_tokens_details as Record<string, unknown> | undefined)?.reasoning_tokens),
    totalTokens: usage.total_tokens === undefined ? input + output : n(usage.total_tokens),
  };
}
