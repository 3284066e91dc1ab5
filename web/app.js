// Tern's web client: plain ES modules over the JavaScript SDK (served at sdk/ by the server).
// This module signs in, keeps the session across reloads and routes the SDK's events; the dialog
// list is dialogs.js, the open chat chat.js (with composer.js, messages.js, info.js, media.js).
import { TernClient, TernError } from "./sdk/index.js";
import { S, $, errorText } from "./state.js";
import { loadDialogs, refreshDialogs, wireDialogs } from "./dialogs.js";
import { catchUp, changed, closeChat, loadOlder, markReadIfVisible, onMarker, onMessage, onPresence,
  onReconnected, onTyping, openChat } from "./chat.js";
import { wireComposer } from "./composer.js";
import { wireInfo } from "./info.js";
import { wireSearch } from "./search.js";
import { saveDraft, wireSettings } from "./settings.js";
import { notify, wireNotifications } from "./notify.js";
import { forgetThumbnails } from "./media.js";

const WS_URL = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;

function show(section) {
  $("auth").hidden = section !== "auth";
  $("app").hidden = section !== "app";
}

function banner(text) {
  $("banner").textContent = text ?? "";
  $("banner").hidden = !text;
}

async function connect() {
  S.client = await TernClient.connect({ url: WS_URL }, {
    onUpdate,
    onNews,
    onTyping,
    onPresence,
    onConnection,
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
    await enter(await S.client.resume(ticket));
  } catch (e) {
    if (e instanceof TernError && /TICKET|SESSION/.test(e.code)) localStorage.removeItem("tern.ticket");
    S.client?.close();
    S.client = null;
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
    if (!S.client) await connect();
    if (signUp) await S.client.register(username, password);
    const s = await S.client.login(username, password, navigator.userAgent.slice(0, 60));
    localStorage.setItem("tern.ticket", S.client.ticket);
    await enter(s);
  } catch (e) {
    $("auth-error").textContent = errorText(e);
  }
}

async function enter(session) {
  S.me = { userId: session.userId, username: session.username };
  $("me").textContent = S.me.username;
  show("app");
  await loadDialogs();
  const last = sessionStorage.getItem("tern.open");
  const d = last && S.dialogs.get(last);
  if (d) await openChat(d.title, d.conversationId, d.kind);
  else $("peer").focus();
}

function onUpdate(u) {
  if (u.message) {
    onMessage(u.message);
    notify(u.message);
  }
  if (u.read) onMarker(u.read, true);
  if (u.delivered) onMarker(u.delivered, false);
  for (const m of [u.edited, u.recalled, u.reacted]) if (m) changed(m);
  if (u.dialog && u.dialog.left && S.chat?.conversationId === u.dialog.conversationId) closeChat();
  if (!u.delivered) refreshDialogs(); // a delivered marker changes nothing the list shows
}

// A broadcast conversation (channel, large group) has new posts that were not in the log.
function onNews(n) {
  if (S.chat?.conversationId === n.conversationId) catchUp().catch(() => {});
  refreshDialogs();
}

function onConnection(up) {
  banner(up ? null : "Connection lost. Reconnecting…");
  if (up && S.me) {
    refreshDialogs();
    onReconnected();
  }
}

$("auth-form").addEventListener("submit", (e) => { e.preventDefault(); authenticate(false); });
$("signup").addEventListener("click", () => authenticate(true));
$("logout").addEventListener("click", async () => {
  try { await S.client.logout(); } catch { /* gone anyway */ }
  localStorage.removeItem("tern.ticket");
  sessionStorage.removeItem("tern.open");
  forgetThumbnails();
  location.reload();
});
$("messages").addEventListener("scroll", () => { if ($("messages").scrollTop < 40) loadOlder(); });
// Arrow keys move between messages; Tab then reaches the focused message's buttons.
$("messages").addEventListener("keydown", (e) => {
  if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
  const items = [...$("messages").querySelectorAll("li.msg[data-seq]")];
  const at = items.indexOf(document.activeElement?.closest("li.msg"));
  const next = items[at < 0 ? items.length - 1 : Math.max(0, Math.min(items.length - 1, at + (e.key === "ArrowUp" ? -1 : 1)))];
  if (next) {
    e.preventDefault();
    next.focus();
    if (next === items[0]) loadOlder();
  }
});
$("back").addEventListener("click", closeChat);
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && S.chat && document.activeElement?.id !== "text" && window.matchMedia("(max-width: 640px)").matches) closeChat();
});
wireDialogs();
wireComposer();
wireInfo();
wireSearch();
wireSettings();
wireNotifications();
window.addEventListener("pagehide", saveDraft);
// An open WebSocket can outlive a lost network for a while (until a ping times out): when the
// browser says it is offline, drop the connection now; the SDK reconnects, resumes and syncs.
window.addEventListener("offline", () => S.client?.dropConnection());
document.addEventListener("visibilitychange", markReadIfVisible);
window.addEventListener("focus", markReadIfVisible);

start();
