// Writing: text (Enter sends, Shift+Enter a new line), replies and edits (Escape cancels, Arrow
// Up in an empty box edits the last own message), pictures and files with a progress bar
// (the attach button, paste or drop), and the typing indicator sent while typing.
import { S, $, el, big, errorText } from "./state.js";
import { addMessage, changed, readMessage, subscribePresence } from "./chat.js";
import { refreshDialogs } from "./dialogs.js";
import { mediaLabel } from "./format.js";
import { upload } from "./media.js";
import { clearDraft } from "./settings.js";

let mode = null; // null, { reply: Message } or { edit: Message }
let lastTypingSent = 0;

export function isEditing() {
  return !!mode?.edit;
}

export function resetComposer() {
  mode = null;
  $("text").value = "";
  $("context").hidden = true;
}

export function startReply(m) {
  mode = { reply: m };
  showContext(`Replying to ${m.senderName ?? ""}: ${m.text || mediaLabel(m.media)}`);
}

export function startEdit(m) {
  mode = { edit: m };
  $("text").value = m.text ?? "";
  showContext("Editing message");
}

function showContext(text) {
  $("context-text").textContent = text;
  $("context").hidden = false;
  $("text").focus();
}

/** Where a new message goes: the open conversation, or the peer of a new direct chat. */
function target(c) {
  return c.conversationId ? { conversationId: c.conversationId } : { peer: c.peer };
}

function adopt(c, ack) {
  if (c.conversationId) return;
  c.conversationId = ack.conversationId;
  sessionStorage.setItem("tern.open", ack.conversationId);
  subscribePresence(); // presence is visible once the chat exists (its first message)
}

async function send() {
  const c = S.chat;
  const text = $("text").value.trim();
  if (!c || !text || !c.canPost) return;
  const current = mode;
  resetComposer();
  if (current?.edit) {
    const m = current.edit;
    if (text === m.text) return;
    try {
      await S.client.editText(m.conversationId, m.seq, text);
      changed({ ...m, text, editedAtMs: String(Date.now()) });
      refreshDialogs();
    } catch (e) {
      $("typing").textContent = `Not edited: ${errorText(e)}`;
    }
    return;
  }
  const li = el("li", { className: "msg mine pending" }, el("span", { className: "body", textContent: text }));
  const box = $("messages");
  box.append(li);
  box.scrollTop = box.scrollHeight;
  const replyToSeq = current?.reply?.seq;
  try {
    const ack = await S.client.send({ ...target(c), contentType: "text/plain", text, replyToSeq });
    adopt(c, ack);
    clearDraft(ack.conversationId);
    // Shown if its chat is open now, also after switching away and back (the device that sent a
    // message gets no push of it, and the reopened chat read its history before it was stored).
    li.remove();
    addMessage({ conversationId: ack.conversationId, seq: ack.seq, senderId: S.me.userId, senderName: S.me.username,
      contentType: "text/plain", text, tsMs: ack.tsMs, replyToSeq, conversationKind: c.kind });
    refreshDialogs();
  } catch (e) {
    li.classList.add("failed");
    li.querySelector(".body").textContent = `${text} — not sent: ${errorText(e)}`;
    // Switched chats meanwhile: the bubble is gone with the old view; say it where it is seen.
    if (c !== S.chat) $("new-chat-error").textContent = `Not sent to ${c.title}: “${text}” (${errorText(e)})`;
    if (e?.code === "USER_NOT_FOUND") $("new-chat-error").textContent = `No user named ${c.peer}`;
  }
}

/** Uploads each file with its own progress bar, then sends it (the text box becomes the caption). */
async function sendFiles(files) {
  const c = S.chat;
  if (!c || !c.canPost) return;
  const replyTo = mode?.reply; // as it is now: the user may reply elsewhere while this uploads
  let caption = mode?.edit ? "" : $("text").value.trim(); // the text of an edit is not a caption
  if (caption) $("text").value = "";
  if (replyTo) resetComposer();
  for (const file of files) {
    const bar = el("progress", { max: 1, value: 0, "aria-label": `Uploading ${file.name}` });
    const pct = el("span", { className: "meta", textContent: "0%" });
    const li = el("li", { className: "msg mine pending upload" },
      el("span", { className: "body", textContent: `📎 ${file.name}` }), bar, pct);
    $("messages").append(li);
    $("messages").scrollTop = $("messages").scrollHeight;
    try {
      const mediaId = await upload(file, (f) => {
        bar.value = f;
        pct.textContent = `${Math.round(f * 100)}%`;
      });
      const ack = await S.client.send({ ...target(c), mediaId, text: caption || undefined,
        replyToSeq: replyTo?.seq });
      caption = "";
      adopt(c, ack);
      // The stored message carries what the server learned of the file (type, size, thumbnail).
      const stored = await readMessage(ack.conversationId, ack.seq);
      li.remove();
      if (stored) addMessage(stored); // shown if its chat is open now
      refreshDialogs();
    } catch (e) {
      li.classList.add("failed");
      pct.textContent = `not sent: ${errorText(e)}`;
    }
  }
}

export function wireComposer() {
  $("composer").addEventListener("submit", (e) => { e.preventDefault(); send(); });
  $("text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === "Escape" && mode) {
      e.preventDefault();
      resetComposer();
    } else if (e.key === "ArrowUp" && !$("text").value && S.chat) {
      const own = [...S.chat.msgs.values()].filter((m) => m.senderId === S.me.userId && !m.service && !m.recalled
        && !m.media && !m.forwarded);
      if (own.length) {
        e.preventDefault();
        startEdit(own.reduce((a, b) => (big(a.seq) > big(b.seq) ? a : b)));
      }
    }
  });
  $("text").addEventListener("input", () => {
    const c = S.chat;
    if (!c?.conversationId || mode?.edit || Date.now() - lastTypingSent < 3000) return;
    lastTypingSent = Date.now();
    S.client.typing(c.conversationId).catch(() => {});
  });
  $("context-cancel").addEventListener("click", () => { resetComposer(); $("text").focus(); });
  $("attach").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", () => {
    const files = [...$("file").files];
    $("file").value = "";
    sendFiles(files);
  });
  $("text").addEventListener("paste", (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length) {
      e.preventDefault();
      sendFiles(files);
    }
  });
  const chat = $("chat");
  chat.addEventListener("dragover", (e) => { if (S.chat?.canPost) e.preventDefault(); });
  chat.addEventListener("drop", (e) => {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) {
      e.preventDefault();
      sendFiles(files);
    }
  });
}
