/**
 * A bounded text sink for child output: a crash report or a command's log is most useful at its
 * end, and an import that prints megabytes must not grow the result.
 */

/** Bytes of output a check keeps: the last 4 KiB. */
export const outputLimit = 4096;

/** Collects text and keeps only its last `limit` characters. */
export interface TailBuffer {
  push(text: string): void;
  text(): string;
  clear(): void;
}

/** Creates a buffer that keeps the last `limit` characters pushed into it. */
export function createTailBuffer(limit = outputLimit): TailBuffer {
  let kept = '';
  let dropped = false;
  return {
    push(text) {
      kept += text;
      // Trim only when well past the limit, so a stream of small chunks is not re-sliced each time.
      if (kept.length > limit * 2) {
        kept = kept.slice(-limit);
        dropped = true;
      }
    },
    text() {
      if (kept.length <= limit) return dropped ? `…${kept}` : kept;
      return `…${kept.slice(-limit)}`;
    },
    clear() {
      kept = '';
      dropped = false;
    },
  };
}
