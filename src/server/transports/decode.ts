import type { Logger } from '../../core/log';

/** Parses one wire message; malformed JSON is logged with the reason and dropped (there is no id to answer). */
export function decodeJson(text: string, logger: Logger, connectionLabel: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    logger.warn('dropped malformed JSON', {
      connection: connectionLabel,
      reason: error instanceof Error ? error.message : String(error),
    });
    return { ok: false };
  }
}
