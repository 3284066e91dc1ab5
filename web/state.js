// What the web client's modules share: the SDK client, the signed-in user, the dialog list and
// the open chat. One mutable object, so every module sees the same values without a framework.
export const S = {
  client: null,
  me: null, // { userId, username }
  dialogs: new Map(), // conversationId -> Dialog, in the server's order
  moreDialogs: false,
  // The open chat (null when none): conversationId is null until a new direct chat's first message.
  chat: null,
};

export const $ = (id) => document.getElementById(id);
export const big = (v) => BigInt(v ?? 0);
export const max = (a, b) => (a > b ? a : b);

/** Text for an error shown to the user: the stable code first, then the server's words. */
export function errorText(e) {
  return e?.code ? `${e.code}: ${e.message ?? ""}` : String(e?.message ?? e);
}

/** document.createElement with properties (className, textContent, dataset…) and children. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("aria-") || k === "role") e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}
