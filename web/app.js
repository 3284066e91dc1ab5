// Tern's web client: plain ES modules over the JavaScript SDK (served at sdk/ by the server).
import { TernClient, TernError } from "./sdk/index.js";

const $ = (id) => document.getElementById(id);
const big = (v) => BigInt(v ?? 0);
const WS_URL = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
const PAGE = 30;

let client;
let me; // { userId, username }
const dialogs = new Map(); // conversationId -> Dialog
// The open chat: peer and conversation (null until the first message of a new direct chat).
let chat = null; // { conversationId, peer, title, seqs: Set, oldest, more, peerRead, loading }
let typingTimer;
let lastTypingSent = 0;

function show(section) {
  $("auth").hidden = section !== "auth";
  $("app").hidden = section !== "app";
}

function banner(text) {
  $("banner").textContent = text ?? "";
  $("banner").hidden = !text;
}

async function connect() {
  client = await TernClient.connect({ url: WS_URL }, {
    onUpdate: onUpdate,
    onTyping: onTyping,
    onPresence: onPresence,
    onConnection: onConnection,
  });
}

async function start() {
  const ticket = localStorage.getItem("tern.ticket");
  if (!ticket) {
    show("auth");
    return;
  }
  try {
    await connect();
    const s = await client.resume(ticket);
    await enter(s);
  } catch (e) {
    if (e instanceof TernError && /TICKET|SESSION/.test(e.code)) localStorage.removeItem("tern.ticket");
    client?.close();
    show("auth");
    $("auth-error").textContent = e instanceof TernError ? `Please log in again (${e.code})` : "";
  }
}

async function authenticate(signUp) {
  const username = $("username").value.trim();
  const password = $("password").value;
  $("auth-error").textContent = "";
  if (!$("auth-form").reportValidity()) return;
  try {
    if (!client) await connect();
    if (signUp) await client.register(username, password);
    const s = await client.login(username, password, navigator.userAgent.slice(0, 60));
    localStorage.setItem("tern.ticket", client.ticket);
    await enter(s);
  } catch (e) {
    $("auth-error").textContent = e instanceof TernError ? `${e.code}: ${e.message}` : String(e);
  }
}

async function enter(session) {
  me = { userId: session.userId, username: session.username };
  $("me").textContent = me.username;
  show("app");
  await loadDialogs();
  const last = sessionStorage.getItem("tern.open");
  if (last) {
    const d = [...dialogs.values()].find((x) => x.conversationId === last);
    if (d) await openChat(d.title, d.conversationId, d.kind);
  }
}

// ---- dialogs

let dialogsPending;
function refreshDialogs() {
  clearTimeout(dialogsPending);
  dialogsPending = setTimeout(() => loadDialogs().catch(() => {}), 150);
}

async function loadDialogs() {
  const { dialogs: list = [] } = await client.dialogs({ limit: 50 });
  dialogs.clear();
  for (const d of list) dialogs.set(d.conversationId, d);
  renderDialogs();
}

function renderDialogs() {
  const ul = $("dialogs");
  ul.replaceChildren();
  for (const d of dialogs.values()) {
    const li = document.createElement("li");
    li.tabIndex = 0;
    li.dataset.conversation = d.conversationId;
    li.setAttribute("role", "button");
    const unread = d.unreadCount ?? 0;
    li.setAttribute("aria-label", `${d.title}${unread ? `, ${unread} unread` : ""}`);
    if (chat?.conversationId === d.conversationId) li.setAttribute("aria-current", "true");
    const text = document.createElement("span");
    text.className = "text";
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = d.title || "(untitled)";
    const preview = document.createElement("span");
    preview.className = "preview";
    preview.textContent = d.topMessage ? describe(d.topMessage) : "";
    text.append(title, preview);
    li.append(text);
    if (unread) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = String(unread);
      li.append(badge);
    }
    const open = () => openChat(d.title, d.conversationId, d.kind);
    li.addEventListener("click", open);
    li.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
    ul.append(li);
  }
}

function describe(m) {
  if (m.recalled) return "(deleted)";
  if (m.service) return "(service message)";
  if (m.media) return `[${m.media.contentType ?? "file"}] ${m.text ?? ""}`;
  return m.text ?? "";
}

// ---- chat view

// A direct chat is named by the peer; a group by its title (`peer` is then only the title).
async function openChat(peer, conversationId, kind = "DIRECT") {
  chat = { conversationId: conversationId ?? null, peer, kind, seqs: new Set(), oldest: null, more: true, peerRead: 0n };
  sessionStorage.setItem("tern.open", conversationId ?? "");
  $("chat").hidden = false;
  $("app").classList.add("in-chat");
  $("chat-title").textContent = peer;
  $("presence").textContent = "";
  $("typing").textContent = "";
  $("messages").replaceChildren();
  renderDialogs();
  $("text").focus();
  subscribePresence();
  if (chat.conversationId) {
    await loadOlder();
    markReadIfVisible();
  }
}

async function subscribePresence() {
  if (!chat?.peer || chat.kind !== "DIRECT") return;
  try {
    const { presences = [] } = await client.presence([chat.peer], true);
    for (const p of presences) onPresence(p);
  } catch { /* presence is best effort */ }
}

async function loadOlder() {
  if (!chat?.conversationId || !chat.more || chat.loading) return;
  chat.loading = true;
  const c = chat;
  try {
    const page = await client.history(c.conversationId, c.oldest ?? 0, PAGE);
    if (c !== chat) return;
    const box = $("messages");
    const before = box.scrollHeight - box.scrollTop;
    const first = c.oldest === null;
    for (const m of page.messages ?? []) addMessage(m, { prepend: true });
    const msgs = page.messages ?? [];
    if (msgs.length) c.oldest = msgs.at(-1).seq;
    c.more = !!page.more;
    box.scrollTop = first ? box.scrollHeight : box.scrollHeight - before;
  } finally {
    c.loading = false;
  }
}

function addMessage(m, { prepend = false, pendingEl = null } = {}) {
  if (!chat || m.conversationId !== chat.conversationId) return;
  if (chat.seqs.has(m.seq)) return;
  chat.seqs.add(m.seq);
  const li = pendingEl ?? document.createElement("li");
  li.className = "msg";
  li.dataset.seq = m.seq;
  const mine = m.senderId === me.userId;
  if (mine) li.classList.add("mine");
  if (m.service) li.classList.add("service");
  li.replaceChildren();
  if (chat.kind !== "DIRECT" && !mine && !m.service) {
    const who = document.createElement("span");
    who.className = "sender";
    who.textContent = m.senderName ?? "";
    li.append(who);
  }
  const body = document.createElement("span");
  body.className = "body";
  body.textContent = describe(m);
  const meta = document.createElement("span");
  meta.className = "meta";
  const time = new Date(Number(m.tsMs ?? Date.now())).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  meta.textContent = time;
  li.append(body, meta);
  const box = $("messages");
  if (pendingEl) {
    // stays where it was appended
  } else if (prepend) {
    box.prepend(li);
  } else {
    // keep seq order even if an older message arrives late
    const after = [...box.children].find((x) => x.dataset.seq && big(x.dataset.seq) > big(m.seq));
    const stick = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    box.insertBefore(li, after ?? null);
    if (stick) box.scrollTop = box.scrollHeight;
  }
  if (mine && !m.service) renderReceipt(li);
  if (chat.oldest === null || big(m.seq) < big(chat.oldest)) chat.oldest = m.seq;
}

function renderReceipt(li) {
  const meta = li.querySelector(".meta");
  if (!meta || !li.dataset.seq) return;
  let mark = meta.querySelector(".receipt");
  if (!mark) {
    mark = document.createElement("span");
    mark.className = "receipt";
    meta.append(" ", mark);
  }
  mark.textContent = big(li.dataset.seq) <= chat.peerRead ? "read" : "sent";
}

function renderReceipts() {
  for (const li of $("messages").querySelectorAll(".msg.mine:not(.service)")) renderReceipt(li);
}

function markReadIfVisible() {
  if (!chat?.conversationId || document.visibilityState !== "visible") return;
  const seqs = [...chat.seqs].map(big);
  if (!seqs.length) return;
  const top = seqs.reduce((a, b) => (a > b ? a : b));
  const d = dialogs.get(chat.conversationId);
  const read = chat.readSent ?? big(d?.readUpToSeq);
  if (top <= read) return;
  chat.readSent = top;
  client.markRead(chat.conversationId, top.toString()).then(refreshDialogs, () => {});
}

async function send() {
  const text = $("text").value.trim();
  if (!text || !chat) return;
  $("text").value = "";
  const li = document.createElement("li");
  li.className = "msg mine pending";
  li.textContent = text;
  const box = $("messages");
  box.append(li);
  box.scrollTop = box.scrollHeight;
  const c = chat;
  try {
    const ack = c.conversationId ? await client.sendText(c.conversationId, text) : await client.sendTextTo(c.peer, text);
    if (!c.conversationId) {
      c.conversationId = ack.conversationId;
      sessionStorage.setItem("tern.open", ack.conversationId);
      subscribePresence(); // presence is visible once the chat exists (its first message)
    }
    if (c === chat) {
      li.classList.remove("pending");
      addMessage({ conversationId: ack.conversationId, seq: ack.seq, senderId: me.userId, text, tsMs: ack.tsMs,
        contentType: "text/plain" }, { pendingEl: li });
    }
    refreshDialogs();
  } catch (e) {
    li.classList.add("failed");
    li.textContent = `${text} — not sent: ${e instanceof TernError ? e.code : e}`;
    if (e instanceof TernError && e.code === "USER_NOT_FOUND") $("new-chat-error").textContent = `No user named ${c.peer}`;
  }
}

// ---- pushes

function onUpdate(u) {
  if (u.message) {
    const m = u.message;
    if (chat && !chat.conversationId && m.conversationKind === "DIRECT" && m.senderName === chat.peer) {
      chat.conversationId = m.conversationId; // the peer wrote first in a chat we just opened
      subscribePresence();
    }
    if (chat && m.conversationId === chat.conversationId) {
      addMessage(m);
      if (m.senderId !== me.userId) {
        $("typing").textContent = "";
        markReadIfVisible();
      }
    }
  }
  if (u.read && chat && u.read.conversationId === chat.conversationId && u.read.userId !== me.userId) {
    if (big(u.read.upToSeq) > chat.peerRead) chat.peerRead = big(u.read.upToSeq);
    renderReceipts();
  }
  for (const m of [u.edited, u.recalled]) {
    if (m && chat && m.conversationId === chat.conversationId) {
      const li = $("messages").querySelector(`[data-seq="${m.seq}"] .body`);
      if (li) li.textContent = describe(m);
    }
  }
  refreshDialogs();
}

function onTyping(t) {
  if (!chat || t.conversationId !== chat.conversationId || t.username === me?.username) return;
  clearTimeout(typingTimer);
  $("typing").textContent = t.stopped ? "" : `${t.username} is typing…`;
  if (!t.stopped) typingTimer = setTimeout(() => { $("typing").textContent = ""; }, 6000);
}

function onPresence(p) {
  if (!chat || p.username !== chat.peer) return;
  const el = $("presence");
  el.classList.toggle("online", !!p.online);
  if (p.online) el.textContent = "online";
  else if (p.lastSeenMs) el.textContent = `last seen ${new Date(Number(p.lastSeenMs)).toLocaleString()}`;
  else el.textContent = "offline";
}

function onConnection(up) {
  banner(up ? null : "Connection lost. Reconnecting…");
  if (up && me) {
    // The SDK has resumed and synced: missed messages arrive as updates. Refresh the rest.
    refreshDialogs();
    subscribePresence();
  }
}

// ---- wiring

$("auth-form").addEventListener("submit", (e) => { e.preventDefault(); authenticate(false); });
$("signup").addEventListener("click", () => authenticate(true));
$("logout").addEventListener("click", async () => {
  try { await client.logout(); } catch { /* gone anyway */ }
  localStorage.removeItem("tern.ticket");
  sessionStorage.removeItem("tern.open");
  location.reload();
});
$("new-chat").addEventListener("submit", (e) => {
  e.preventDefault();
  const peer = $("peer").value.trim();
  $("new-chat-error").textContent = "";
  if (!peer || peer === me.username) return;
  $("peer").value = "";
  const d = [...dialogs.values()].find((x) => x.kind === "DIRECT" && x.title === peer);
  openChat(peer, d?.conversationId);
});
$("new-group").addEventListener("submit", async (e) => {
  e.preventDefault();
  const title = $("group-title").value.trim();
  const members = $("group-members").value.split(/[\s,]+/).filter(Boolean);
  $("new-chat-error").textContent = "";
  if (!title) return;
  try {
    const { conversationId } = await client.createGroup(title, members);
    $("group-title").value = "";
    $("group-members").value = "";
    await openChat(title, conversationId, "GROUP");
    refreshDialogs();
  } catch (err) {
    $("new-chat-error").textContent = err instanceof TernError ? `${err.code}: ${err.message}` : String(err);
  }
});
$("composer").addEventListener("submit", (e) => { e.preventDefault(); send(); });
$("text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
});
$("text").addEventListener("input", () => {
  if (!chat?.conversationId || Date.now() - lastTypingSent < 3000) return;
  lastTypingSent = Date.now();
  client.typing(chat.conversationId).catch(() => {});
});
$("messages").addEventListener("scroll", () => { if ($("messages").scrollTop < 40) loadOlder(); });
$("back").addEventListener("click", () => { $("app").classList.remove("in-chat"); chat = null; sessionStorage.removeItem("tern.open"); renderDialogs(); });
// An open WebSocket can outlive a lost network for a while (until a ping times out): when the
// browser says it is offline, drop the connection now; the SDK reconnects, resumes and syncs.
window.addEventListener("offline", () => client?.dropConnection());
document.addEventListener("visibilitychange", markReadIfVisible);
window.addEventListener("focus", markReadIfVisible);

start();
