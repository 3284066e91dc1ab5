import type { ConversationNews, SyncResult, Update } from "./types.js";

/** Where the cursor hands what it applies. */
export interface CursorSink {
  update(u: Update): void;
  news(n: ConversationNews): void;
}

interface Held {
  prevPts: bigint;
  update?: Update;
}

/** A 64-bit value from the wire (a decimal string, absent for 0). */
export function big(v: string | number | bigint | undefined | null): bigint {
  return v === undefined || v === null || v === "" ? 0n : BigInt(v);
}

/**
 * The device's position in its update log (docs/protocol.md, "The cursor algorithm"). Updates are
 * handed on strictly in pts order, each once: an entry whose prevPts is not the cursor reveals a
 * gap, the cursor stays, and a sync fetches what is missing. Entries that arrive during a sync are
 * held and applied after it when they link on.
 */
export class Cursor {
  private value = 0n;
  private known = false; // false until login/resume set the cursor
  private syncing = false;
  private again = false;
  private epoch = 0; // a reset or forget makes the answers of earlier syncs stale
  private readonly held = new Map<bigint, Held>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sink: CursorSink,
              private readonly fetch: (afterPts: bigint) => Promise<SyncResult>) {}

  get pts(): bigint {
    return this.value;
  }

  /** Sets the cursor after login or resume; what arrived before it is left to the sync that follows. */
  reset(pts: bigint): void {
    this.epoch++;
    this.known = true;
    this.syncing = false;
    this.again = false;
    this.held.clear();
    this.value = pts;
  }

  /** After a logout: no cursor until the next login or resume; nothing held or syncing. */
  forget(): void {
    this.epoch++;
    this.known = false;
    this.syncing = false;
    this.again = false;
    this.held.clear();
    clearTimeout(this.retryTimer);
  }

  /** A log entry seen in a push or a response; no update for the device's own entries. */
  entry(pts: bigint, prevPts: bigint, update?: Update): void {
    if (!this.known || pts <= this.value) {
      return; // before the session answer the sync brings it; or already applied
    }
    if (this.syncing) {
      this.held.set(pts, { prevPts, update });
    } else if (prevPts === this.value) {
      this.value = pts;
      if (update) {
        this.sink.update(update);
      }
    } else {
      this.held.set(pts, { prevPts, update });
      this.gap();
    }
  }

  /** A push outside the log (pts 0): a broadcast conversation's message or change, applied as it comes. */
  outsideLog(update: Update): void {
    if (this.known) {
      this.sink.update(update);
    }
  }

  /** Something may have been missed (e.g. after a reconnect): sync from the cursor. */
  gap(): void {
    if (!this.known) {
      return;
    }
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    this.again = false;
    void this.run(this.epoch);
  }

  close(): void {
    this.forget();
  }

  private async run(epoch: number): Promise<void> {
    for (;;) {
      let r: SyncResult;
      try {
        r = await this.fetch(this.value);
      } catch {
        if (epoch !== this.epoch) {
          return;
        }
        this.syncing = false;
        // Try again shortly; if the connection is gone, the reconnect's sync takes over.
        this.retryTimer = setTimeout(() => this.gap(), 1000);
        unref(this.retryTimer);
        return;
      }
      if (epoch !== this.epoch) {
        return; // logged out or reset meanwhile
      }
      for (const u of r.updates ?? []) {
        const pts = big(u.pts);
        if (pts > this.value) {
          this.value = pts;
          this.sink.update(u);
        }
      }
      const top = big(r.pts);
      if (top > this.value) {
        this.value = top;
      }
      if (r.more || this.again) {
        this.again = false;
        continue;
      }
      for (const n of r.news ?? []) {
        this.sink.news(n);
      }
      // Entries held during the sync: drop what it brought, apply what links on.
      for (const pts of [...this.held.keys()]) {
        if (pts <= this.value) {
          this.held.delete(pts);
        }
      }
      for (;;) {
        const first = this.firstHeld();
        if (first === undefined || this.held.get(first)!.prevPts !== this.value) {
          break;
        }
        const h = this.held.get(first)!;
        this.held.delete(first);
        this.value = first;
        if (h.update) {
          this.sink.update(h.update);
        }
      }
      if (this.held.size === 0) {
        this.syncing = false;
        return;
      }
      // still a hole below the held entries: another round
    }
  }

  private firstHeld(): bigint | undefined {
    let min: bigint | undefined;
    for (const k of this.held.keys()) {
      if (min === undefined || k < min) {
        min = k;
      }
    }
    return min;
  }
}

/** Lets Node exit while only this timer is left; a no-op in browsers. */
export function unref(t: unknown): void {
  (t as { unref?: () => void } | undefined)?.unref?.();
}
