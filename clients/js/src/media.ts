import { TernError } from "./errors.js";
import type { ErrorCode } from "./types.js";

/** What an upload takes: a Blob (or File) in browsers, bytes anywhere. */
export type UploadData = Blob | ArrayBuffer | ArrayBufferView;

export interface UploadOptions {
  /** Called with the bytes the server has (after the creation and after each chunk) and the size. */
  onProgress?: (sent: number, total: number) => void;
  /** The file name the server records (default: a File's name, else "file"). */
  fileName?: string;
  /** Bytes per PATCH (default 8 MiB): what a broken connection can cost at most. */
  chunkSize?: number;
  /** How many failures in a row (network errors) before giving up (default 8). */
  attempts?: number;
}

type Body = { size: number; slice(from: number, to: number): Blob | Uint8Array; name?: string };

/**
 * Files over the server's HTTP media endpoints (docs/openapi.yaml), signed in with the client's
 * ticket: resumable uploads (tus 1.0) and downloads. An upload goes in chunks; when one fails (a
 * dropped connection, a server restart) the client asks the server with HEAD where the upload
 * stands and goes on from there, so a broken connection costs at most one chunk.
 */
export class TernMedia {
  static readonly CHUNK = 8 << 20;

  /**
   * @param base the server's HTTP address, e.g. "http://127.0.0.1:8080/"
   * @param ticket the session's ticket (undefined before login)
   */
  constructor(readonly base: string, private readonly ticket: () => string | undefined,
              private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)) {}

  /** Uploads `data` as `mime`; resolves with the media id to send in a message (`send({mediaId})`). */
  async upload(data: UploadData, mime: string, options: UploadOptions = {}): Promise<string> {
    const body = bodyOf(data);
    const name = options.fileName ?? body.name ?? "file";
    const created = await this.http("media/uploads", "POST", {
      "Upload-Length": String(body.size),
      "Upload-Metadata": `filename ${b64(name)},filetype ${b64(mime)}`,
    });
    await expect(created, 201);
    const done = created.headers.get("Tern-Media-Id");
    if (done) {
      options.onProgress?.(body.size, body.size);
      return done;
    }
    const location = created.headers.get("Location");
    if (!location) {
      throw new TernError("INTERNAL", "the server created an upload without a Location");
    }
    return this.resume(new URL(location, this.base).toString(), data, options);
  }

  /**
   * Continues (or finishes) an upload created earlier, e.g. before the page was reloaded: sends
   * what the server does not have yet. Resolves with the media id.
   */
  async resume(uploadUrl: string, data: UploadData, options: UploadOptions = {}): Promise<string> {
    const body = bodyOf(data);
    const chunk = Math.max(1, options.chunkSize ?? TernMedia.CHUNK);
    const attempts = options.attempts ?? 8;
    let failures = 0;
    for (;;) {
      try {
        const head = await this.http(uploadUrl, "HEAD");
        await expect(head, 200);
        const offset = Number(head.headers.get("Upload-Offset"));
        options.onProgress?.(offset, body.size);
        const done = head.headers.get("Tern-Media-Id");
        if (done) {
          return done;
        }
        const end = Math.min(body.size, offset + chunk);
        const r = await this.http(uploadUrl, "PATCH", {
          "Upload-Offset": String(offset),
          "Content-Type": "application/offset+octet-stream",
        }, body.slice(offset, end));
        if (r.status === 409) {
          await r.body?.cancel();
          continue; // the server has another offset: ask again
        }
        await expect(r, 204);
        failures = 0;
        const media = r.headers.get("Tern-Media-Id");
        if (media) {
          options.onProgress?.(body.size, body.size);
          return media;
        }
      } catch (e) {
        if (e instanceof TernError || ++failures >= attempts) {
          throw e;
        }
        await sleep(Math.min(5000, 100 * 2 ** failures)); // then HEAD says how far it got
      }
    }
  }

  /** The plain download URL (needs the ticket in an Authorization header; for <img> use `link`). */
  url(mediaId: string, thumbnail = false): string {
    return new URL(`media/${encodeURIComponent(mediaId)}${thumbnail ? "/thumbnail" : ""}`, this.base).toString();
  }

  /** A signed URL that downloads the media without a ticket until it expires (for <img src>). */
  async link(mediaId: string, thumbnail = false): Promise<string> {
    const r = await this.http(`media/${encodeURIComponent(mediaId)}/link${thumbnail ? "?thumbnail" : ""}`, "POST");
    await expect(r, 200);
    const { url } = (await r.json()) as { url: string };
    return new URL(url, this.base).toString();
  }

  /** Downloads the whole file (or its thumbnail). */
  async download(mediaId: string, thumbnail = false): Promise<Blob> {
    const r = await this.http(this.url(mediaId, thumbnail), "GET");
    await expect(r, 200);
    return r.blob();
  }

  /** The same as bytes. */
  async downloadBytes(mediaId: string, thumbnail = false): Promise<Uint8Array> {
    const r = await this.http(this.url(mediaId, thumbnail), "GET");
    await expect(r, 200);
    return new Uint8Array(await r.arrayBuffer());
  }

  private http(path: string, method: string, headers: Record<string, string> = {},
               body?: Blob | Uint8Array): Promise<Response> {
    const t = this.ticket();
    if (!t) {
      return Promise.reject(new TernError("NOT_AUTHENTICATED", "log in first"));
    }
    return this.fetchImpl(new URL(path, this.base), {
      method,
      headers: { Authorization: `Bearer ${t}`, "Tus-Resumable": "1.0.0", ...headers },
      body: body as BodyInit | undefined,
    });
  }
}

async function expect(r: Response, status: number): Promise<void> {
  if (r.status !== status) {
    throw await failure(r);
  }
}

/** The server's refusal with its stable code (the JSON body's "code"), or INTERNAL when there is none. */
async function failure(r: Response): Promise<TernError> {
  let text = "";
  try {
    text = await r.text();
  } catch {
    // nothing readable
  }
  let code: ErrorCode = "INTERNAL";
  let message = `HTTP ${r.status}`;
  try {
    const j = JSON.parse(text) as { code?: ErrorCode; message?: string };
    code = j.code ?? code;
    message = `HTTP ${r.status}: ${j.message ?? text}`;
  } catch {
    if (text) {
      message += `: ${text}`;
    }
  }
  const retryAfter = Number(r.headers.get("Retry-After") ?? 0);
  return new TernError(code, message, r.status === 429 || r.status === 503,
    Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
}

function bodyOf(data: UploadData): Body {
  if (typeof Blob !== "undefined" && data instanceof Blob) {
    return { size: data.size, slice: (a, b) => data.slice(a, b), name: (data as { name?: string }).name };
  }
  const view = data as ArrayBuffer | ArrayBufferView;
  const bytes = view instanceof ArrayBuffer ? new Uint8Array(view)
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return { size: bytes.byteLength, slice: (a, b) => bytes.subarray(a, b) };
}

function b64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (const b of bytes) {
    bin += String.fromCharCode(b);
  }
  return btoa(bin);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
