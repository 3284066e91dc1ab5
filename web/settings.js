// What the user decides about a conversation: mute, pin and archive it (settings every device of
// the user follows), leave it; forward a message into another conversation; the bar showing the
// conversation's newest pinned message.
import { S, $, el, errorText } from "./state.js";
import { closeChat, jumpTo, readMessage, rerenderAll } from "./chat.js";
import { isEditing } from "./composer.js";
import { refreshDialogs } from "./dialogs.js";
import { mediaLabel } from "./format.js";

const FOREVER = "9223372036854775807";

function dialog() {
  return S.chat?.conversationId ? S.dialogs.get(S.chat.conversationId) : null;
}

function say(text) {
  $("typing").textContent = text;
}

/** Shows the menu's entries for the open conversation as they are now. */
function fillMenu() {
  const d = dialog() ?? {};
  const muted = Number(d.muteUntilMs ?? 0) > Date.now();
  $("menu-mute").textContent = muted ? "Unmute" : "Mute";
  $("menu-pin").textContent = d.pinned ? "Unpin chat" : "Pin chat";
  $("menu-archive").textContent = d.archived ? "Unarchive" : "Archive";
  $("menu-leave").hidden = S.chat?.kind === "DIRECT";
  $("menu-leave").textContent = S.chat?.kind === "CHANNEL" ? "Leave channel" : "Leave group";
}

async function update(change) {
  const c = S.chat;
  if (!c?.conversationId) return;
  try {
    await S.client.updateDialog({ conversationId: c.conversationId, ...change });
    const d = S.dialogs.get(c.conversationId);
    if (d) Object.assign(d, change);
    refreshDialogs();
  } catch (e) {
    say(errorText(e));
  }
}

/** Saves what is typed but not sent as the conversation's draft (every device of the user sees it). */
export function saveDraft() {
  const c = S.chat;
  if (!c?.conversationId || !c.canPost) return;
  const text = $("text").value;
  const d = S.dialogs.get(c.conversationId);
  if ((d?.draft ?? "") === text || isEditing()) return;
  if (d) d.draft = text;
  S.client.updateDialog({ conversationId: c.conversationId, draft: text.slice(0, 4096) }).then(refreshDialogs, () => {});
}

/** A sent message replaces the draft (the server keeps drafts as they were set: clear it). */
export function clearDraft(conversationId) {
  const d = S.dialogs.get(conversationId);
  if (!d?.draft) return;
  d.draft = "";
  S.client.updateDialog({ conversationId, draft: "" }).then(refreshDialogs, () => {});
}

// ---- forwarding

export function forward(m) {
  const list = $("forward-list");
  list.replaceChildren(...[...S.dialogs.values()].filter((d) => !d.left).map((d) => {
    const b = el("button", { type: "button", className: "link", textContent: d.title || "(untitled)" });
    b.addEventListener("click", async () => {
      $("forward").close();
      try {
        await S.client.forward(d.conversationId, m.conversationId, m.seq);
        say(`Forwarded to ${d.title}`);
        refreshDialogs();
      } catch (e) {
        say(`Not forwarded: ${errorText(e)}`);
      }
    });
    return el("li", {}, b);
  }));
  $("forward").showModal();
}

// ---- pinned messages

/** Shows the newest pinned message of the open chat above the messages (if any). */
export async function showPinned() {
  const c = S.chat;
  $("pinned").hidden = true;
  if (!c?.conversationId) return;
  try {
    const info = await S.client.conversation(c.conversationId);
    if (c !== S.chat) return;
    c.pinnedSeqs = info.pinnedSeqs ?? [];
    rerenderAll(); // the Pin/Unpin buttons follow
    const seq = c.pinnedSeqs[0];
    if (!seq) return;
    const m = await readMessage(c.conversationId, seq);
    if (c !== S.chat || !m) return;
    $("pinned-text").textContent = `${m.senderName ?? ""}: ${m.text || mediaLabel(m.media)}`;
    $("pinned").dataset.seq = seq;
    $("pinned").hidden = false;
  } catch { /* the bar is optional */ }
}

export async function togglePin(m) {
  const c = S.chat;
  const pinned = c.pinnedSeqs?.includes(m.seq);
  try {
    if (pinned) await S.client.unpin(m.conversationId, m.seq);
    else await S.client.pin(m.conversationId, m.seq);
  } catch (e) {
    say(`${pinned ? "Not unpinned" : "Not pinned"}: ${errorText(e)}`);
  }
}

export function wireSettings() {
  $("menu-toggle").addEventListener("click", () => {
    const open = $("menu").hidden;
    if (open) fillMenu();
    $("menu").hidden = !open;
    $("menu-toggle").setAttribute("aria-expanded", String(open));
    if (open) $("menu").querySelector("button")?.focus();
  });
  $("menu").addEventListener("click", () => { $("menu").hidden = true; $("menu-toggle").setAttribute("aria-expanded", "false"); });
  $("menu").addEventListener("keydown", (e) => { if (e.key === "Escape") { $("menu").hidden = true; $("menu-toggle").focus(); } });
  $("menu-mute").addEventListener("click", () => {
    const muted = Number(dialog()?.muteUntilMs ?? 0) > Date.now();
    update({ muteUntilMs: muted ? "0" : FOREVER });
  });
  $("menu-pin").addEventListener("click", () => update({ pinned: !dialog()?.pinned }));
  $("menu-archive").addEventListener("click", () => update({ archived: !dialog()?.archived }));
  $("menu-leave").addEventListener("click", async () => {
    const c = S.chat;
    if (!c?.conversationId || !confirm(`Leave ${c.title}?`)) return;
    try {
      await S.client.leave(c.conversationId);
      closeChat();
      refreshDialogs();
    } catch (e) {
      say(errorText(e));
    }
  });
  $("forward-cancel").addEventListener("click", () => $("forward").close());
  $("pinned").addEventListener("click", () => jumpTo($("pinned").dataset.seq, S.chat?.conversationId));
  $("archived-toggle").addEventListener("click", async () => {
    const showing = $("archived-toggle").getAttribute("aria-pressed") === "true";
    $("archived-toggle").setAttribute("aria-pressed", String(!showing));
    $("archived-toggle").textContent = showing ? "Archived chats" : "Back to chats";
    S.archived = !showing;
    refreshDialogs();
  });
}
