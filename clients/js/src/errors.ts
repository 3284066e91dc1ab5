import type { ErrorBody, ErrorCode } from "./types.js";

/**
 * Codes the client itself gives: the connection closed before a response came, or none came in
 * `requestTimeoutMs`. Both are retryable; the outcome of a request that failed so is unknown.
 */
export type ClientErrorCode = "CONNECTION_CLOSED" | "REQUEST_TIMEOUT";

/** The server refused a request with an error frame (or HTTP refusal), or the client gave up. */
export class TernError extends Error {
  override readonly name = "TernError";
  /** The server's ErrorCode name, or a ClientErrorCode. */
  readonly code: ErrorCode | ClientErrorCode;
  readonly retryable: boolean;
  /** The server's hint: wait at least this long before trying again (0: no hint). */
  readonly retryAfterMs: number;

  constructor(code: ErrorCode | ClientErrorCode, message: string, retryable = false, retryAfterMs = 0) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }

  static fromFrame(e: ErrorBody): TernError {
    return new TernError(e.code ?? "ERROR_CODE_UNSPECIFIED", e.message ?? "", e.retryable ?? false, e.retryAfterMs ?? 0);
  }

  override toString(): string {
    return `TernError ${this.code}: ${this.message}`;
  }
}
