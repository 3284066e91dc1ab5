// The open chat: history that loads on scroll-up, live messages in seq order, edits, deletions
// and reactions as they happen, sent/delivered/read status, typing and presence, and catching up
// after a reconnect. What the user writes is in composer.js; the members panel in info.js.
import { S, $, big, max, errorText } from "./state.js";
import { renderMessage, renderStatus } from "./messages.js";
import { notePreview, renderDialogs, refreshDialogs } from "./dialogs.js";
import { resetComposer, startEdit, startReply } from "./composer.js";
import { closeInfo } from "./info.js";
import { forward, saveDraft, showPinned, togglePin } from "./settings.js";

const PAGE = 30;

/** Opens a chat: a direct one is named by the peer; a group or channel by its title. */
export async function openChat(title, conversationId, kind = "DIRECT") {
  saveDraft();
  const d = conversationId ? S.dialogs.get(conversationId) : null;
  S.chat = {
    conversationId: conversationId ?? null, title, kind, peer: kind === "DIRECT" ? title : null,
    msgs: new Map(), // seq (string) -> Message, what is shown
    oldest: null, more: true, loading: false,
    peerRead: big(d?.peerReadSeq), peerDelivered: max(big(d?.peerDeliveredSeq), big(d?.peerReadSeq)),
    readSent: big(d?.readUpToSeq), canPost: kind !== "CHANNEL", isAdmin: false, myReactions: new Map(),
  };
  sessionStorage.setItem("tern.open", conversationId ?? "");
  $("chat").hidden = false;
  $("app").classList.add("in-chat");
  $("chat-title").textContent = title;
  $("info-toggle").hidden = kind === "DIRECT";
  $("presence").textContent = "";
  $("typing").textContent = "";
  $("messages").replaceChildren();
  closeInfo();
  resetComposer();
  $("text").value = d?.draft ?? "";
  renderDialogs();
  subscribePresence();
  showPinned();
  if (S.chat.conversationId) {
    const c = S.chat;
    await Promise.all([loadOlder(), loadRole(c)]);
    markReadIfVisible();
  }
  $("text").focus();
}

export function closeChat() {
  saveDraft();
  $("app").classList.remove("in-chat");
  S.chat = null;
  sessionStorage.removeItem("tern.open");
  renderDialogs();
  $("dialogs").querySelector("li")?.focus();
}

// Who may post and moderate: the caller's own role (members are listed in user-id order, so
// the first after id-1 is the caller). Channel subscribers may not list members at all.
async function loadRole(c) {
  if (c.kind === "DIRECT") return applyRole(c);
  try {
    const [info, page] = await Promise.all([
      S.client.conversation(c.conversationId),
      S.client.members(c.conversationId, (big(S.me.userId) - 1n).toString(), 1).catch(() => ({ members: [] })),
    ]);
    const mine = page.members?.[0]?.userId === S.me.userId ? page.members[0] : null;
    c.info = info;
    c.isAdmin = mine?.role === "OWNER" || mine?.role === "ADMIN";
    c.canPost = c.kind === "CHANNEL" || info.adminsOnly ? c.isAdmin : true;
  } catch {
    c.canPost = c.kind !== "CHANNEL";
  }
  applyRole(c);
}

function applyRole(c) {
  if (c !== S.chat) return;
  $("text").disabled = !c.canPost;
  $("send").disabled = !c.canPost;
  $("attach").disabled = !c.canPost;
  $("text").placeholder = c.canPost ? "Message" : "Only admins can post here";
  rerenderAll(); // reply/delete buttons follow the role
}

/** Every bubble of the open chat again (after the role or the pins changed). */
export function rerenderAll() {
  for (const m of S.chat?.msgs.values() ?? []) rerender(m);
}

/** The open chat's dialog as loaded again (after a reconnect, say): it takes the peer markers. */
export function noteDialog(d) {
  if (S.chat?.conversationId === d.conversationId) raisePeer(S.chat, big(d.peerReadSeq), big(d.peerDeliveredSeq));
}

export async function subscribePresence() {
  const c = S.chat;
  if (!c?.peer) return;
  try {
    const { presences = [] } = await S.client.presence([c.peer], true);
    for (const p of presences) onPresence(p);
  } catch { /* presence is best effort */ }
}

export async function loadOlder() {
  const c = S.chat;
  if (!c?.conversationId || !c.more || c.loading) return;
  c.loading = true;
  try {
    const page = await S.client.history(c.conversationId, c.oldest ?? 0, PAGE);
    if (c !== S.chat) return;
    const box = $("messages");
    const fromBottom = box.scrollHeight - box.scrollTop;
    const first = c.oldest === null;
    const msgs = page.messages ?? [];
    for (const m of msgs) addMessage(m, { quiet: true });
    if (msgs.length) c.oldest = msgs.at(-1).seq;
    c.more = !!page.more;
    box.scrollTop = first ? box.scrollHeight : box.scrollHeight - fromBottom;
  } catch (e) {
    $("typing").textContent = `Could not load messages (${errorText(e)})`;
  } finally {
    c.loading = false;
  }
}

/** After a reconnect or news of a broadcast conversation: newest pages until a known message. */
export async function catchUp() {
  const c = S.chat;
  if (!c?.conversationId) return;
  if (!c.msgs.size) { // nothing shown yet: the newest page is all there is to fetch
    c.more = true;
    await loadOlder();
    markReadIfVisible();
    return;
  }
  // Newest pages first, collected until one reaches a message shown already; a chat that missed
  // more than 20 pages starts again from its newest page instead (scrolling up loads the rest),
  // so the view never holds a hole between what it had and what came.
  const newer = [];
  let before = 0;
  let joined = false;
  for (let i = 0; i < 20 && !joined; i++) {
    const page = await S.client.history(c.conversationId, before, PAGE);
    if (c !== S.chat) return;
    const msgs = page.messages ?? [];
    newer.push(...msgs);
    joined = msgs.some((m) => c.msgs.has(String(m.seq))) || !page.more || !msgs.length;
    if (msgs.length) before = msgs.at(-1).seq;
  }
  if (!joined) {
    c.msgs.clear();
    $("messages").replaceChildren();
    c.oldest = null;
    c.more = true;
    for (const m of newer.slice(0, PAGE)) addMessage(m, { quiet: true });
    $("messages").scrollTop = $("messages").scrollHeight; // at the newest, as after opening the chat
  } else {
    for (const m of newer) c.msgs.has(String(m.seq)) ? changed(m) : addMessage(m);
  }
  markReadIfVisible();
}

/** Shows a message of the open chat in seq order (a no-op for one already shown). */
export function addMessage(m, { quiet = false, replace = null } = {}) {
  const c = S.chat;
  if (!c || m.conversationId !== c.conversationId || c.msgs.has(String(m.seq))) {
    replace?.remove(); // the message came as an update before its ack: one bubble is enough
    return;
  }
  c.msgs.set(String(m.seq), m);
  const li = replace ?? document.createElement("li");
  renderMessage(li, m, actions);
  if (!replace) {
    const box = $("messages");
    const after = [...box.children].find((x) => x.dataset.seq && big(x.dataset.seq) > big(m.seq));
    const stick = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.insertBefore(li, after ?? null);
    if (stick && !quiet) box.scrollTop = box.scrollHeight;
  }
  if (c.oldest === null || big(m.seq) < big(c.oldest)) c.oldest = m.seq;
  // A reply may arrive before (history pages go backwards): quotes of this message refresh.
  for (const other of c.msgs.values()) if (other.replyToSeq === m.seq) rerender(other);
}

/** An edited, deleted or reacted-to message: its bubble shows the new state. */
export function changed(m) {
  const c = S.chat;
  if (!c || m.conversationId !== c.conversationId || !c.msgs.has(String(m.seq))) return;
  c.msgs.set(String(m.seq), m);
  rerender(m);
}

/** One message as the server has it now (the history page that ends at it), or null. */
export async function readMessage(conversationId, seq) {
  const { messages = [] } = await S.client.history(conversationId, (big(seq) + 1n).toString(), 1);
  return messages[0]?.seq === seq ? messages[0] : null;
}

/** Reads one message again from the server and shows it as it is now. */
async function refetch(m) {
  const now = await readMessage(m.conversationId, m.seq);
  if (now) changed(now);
}

function rerender(m) {
  const li = $("messages").querySelector(`li[data-seq="${m.seq}"]`);
  if (li) renderMessage(li, m, actions);
}

// ---- markers

export function onMarker(marker, read) {
  const c = S.chat;
  if (!c || marker.conversationId !== c.conversationId || marker.userId === S.me.userId) return;
  const seq = big(marker.upToSeq);
  raisePeer(c, read ? seq : 0n, seq);
}

/** How far the other side got only rises; reading implies receiving. Statuses follow a change. */
function raisePeer(c, read, delivered) {
  const r = max(c.peerRead, read);
  const d = max(max(c.peerDelivered, delivered), r);
  if (r === c.peerRead && d === c.peerDelivered) return;
  c.peerRead = r;
  c.peerDelivered = d;
  for (const li of $("messages").querySelectorAll(".msg.mine")) renderStatus(li);
}

export function markReadIfVisible() {
  const c = S.chat;
  if (!c?.conversationId || document.visibilityState !== "visible" || !c.msgs.size) return;
  const top = [...c.msgs.keys()].map(big).reduce(max);
  if (top <= c.readSent) return;
  c.readSent = top;
  S.client.markRead(c.conversationId, top.toString()).then(refreshDialogs, () => { c.readSent = 0n; });
}

// ---- what the buttons on a message do

const actions = {
  reply: (m) => startReply(m),
  edit: (m) => startEdit(m),
  quoteOf: (seq) => S.chat?.msgs.get(String(seq)),
  async recall(m) {
    if (!confirm("Delete this message for everyone?")) return;
    try {
      await S.client.recall(m.conversationId, m.seq);
      changed({ ...m, recalled: true, text: "", media: undefined, reactions: [] });
      refreshDialogs();
    } catch (e) {
      $("typing").textContent = `Not deleted: ${errorText(e)}`;
    }
  },
  // A reaction chip or button toggles the user's own reaction with that emoji. Whether the user
  // already reacted is known from this session, else asked from the server (reactors come in
  // user-id order, so the first reactor after id-1 is the user if anyone).
  async react(m, emoji) {
    const c = S.chat;
    const key = `${m.seq} ${emoji}`;
    try {
      let mine = c.myReactions.get(key);
      if (mine === undefined) {
        const page = await S.client.reactions(m.conversationId, m.seq,
          { emoji, afterUserId: (big(S.me.userId) - 1n).toString(), limit: 1 }).catch(() => ({ reactors: [] }));
        mine = page.reactors?.[0]?.userId === S.me.userId;
      }
      if (mine) await S.client.unreact(m.conversationId, m.seq, emoji);
      else await S.client.react(m.conversationId, m.seq, emoji);
      c.myReactions.set(key, !mine);
      await refetch(m); // the device that reacted is answered with ok, not the new counts
    } catch (e) {
      $("typing").textContent = `Reaction failed: ${errorText(e)}`;
    }
  },
  jump: (seq) => jumpTo(seq, S.chat?.conversationId),
  forward: (m) => forward(m),
  async pin(m) {
    await togglePin(m);
    await catchUp(); // the service message of a pin is this device's own: not pushed to it
    await showPinned();
  },
};

/** Scrolls to a message of conversation {@code conversationId} if its chat is open, loading older pages (at most 50). */
export async function jumpTo(seq, conversationId) {
  const c = S.chat;
  if (!c || c.conversationId !== conversationId) return;
  for (let i = 0; i < 50 && !c.msgs.has(String(seq)) && c.more && c === S.chat; i++) {
    if (c.loading) await new Promise((r) => setTimeout(r, 50));
    else await loadOlder();
  }
  const li = c === S.chat ? $("messages").querySelector(`li[data-seq="${seq}"]`) : null;
  if (!li) return;
  li.scrollIntoView({ block: "center" });
  li.classList.add("highlight");
  li.focus();
  setTimeout(() => li.classList.remove("highlight"), 1500);
}

// ---- pushes

export function onMessage(m) {
  const c = S.chat;
  if (c && !c.conversationId && m.conversationKind === "DIRECT" && m.senderName === c.peer) {
    c.conversationId = m.conversationId; // the peer wrote first in a chat opened just now
    sessionStorage.setItem("tern.open", m.conversationId);
    subscribePresence();
  }
  notePreview(m);
  if (c && m.conversationId === c.conversationId) {
    addMessage(m);
    if (m.service?.type === "MESSAGE_PINNED" || m.service?.type === "MESSAGE_UNPINNED") showPinned();
    if (m.senderId !== S.me.userId) {
      $("typing").textContent = "";
      markReadIfVisible();
    }
  }
}

let typingTimer;
export function onTyping(t) {
  if (!S.chat || t.conversationId !== S.chat.conversationId || t.username === S.me?.username) return;
  clearTimeout(typingTimer);
  $("typing").textContent = t.stopped ? "" : `${t.username} is typing…`;
  if (!t.stopped) typingTimer = setTimeout(() => { $("typing").textContent = ""; }, 6000);
}

export function onPresence(p) {
  if (!S.chat || p.username !== S.chat.peer) return;
  const e = $("presence");
  e.classList.toggle("online", !!p.online);
  if (p.online) e.textContent = "online";
  else if (p.lastSeenMs) e.textContent = `last seen ${new Date(Number(p.lastSeenMs)).toLocaleString()}`;
  else e.textContent = "offline";
}

/** The SDK has resumed and synced after a reconnect: refresh what syncing does not carry. */
export function onReconnected() {
  subscribePresence();
  catchUp().catch(() => {});
}
