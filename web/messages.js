// One message bubble: sender, reply quote, forward note, picture or file, text, reactions, time,
// "edited" and the delivery status of the user's own messages. Rendering only: what the buttons
// do is passed in by the chat view.
import { S, el, big } from "./state.js";
import { bodyText, clock, mediaLabel, size } from "./format.js";
import { openMedia, thumbnailUrl } from "./media.js";

export const REACTIONS = ["👍", "❤️", "😂", "😮", "😢"];

/**
 * Fills `li` for message `m` of the open chat. `actions` has reply(m), edit(m), recall(m),
 * react(m, emoji), jump(seq) and quoteOf(seq) (the quoted message if loaded).
 */
export function renderMessage(li, m, actions) {
  const mine = m.senderId === S.me.userId;
  li.className = "msg";
  li.classList.toggle("mine", mine && !m.service);
  li.classList.toggle("service", !!m.service);
  li.classList.toggle("recalled", !!m.recalled);
  li.dataset.seq = m.seq;
  li.tabIndex = -1;
  li.replaceChildren();
  if (m.service) {
    li.append(el("span", { className: "body", textContent: bodyText(m) }));
    return;
  }
  if (S.chat.kind !== "DIRECT" && !mine && S.chat.kind !== "CHANNEL") {
    li.append(el("span", { className: "sender", textContent: m.senderName ?? "" }));
  }
  if (m.forwarded) {
    li.append(el("span", { className: "forwarded", textContent: `Forwarded from ${m.forwarded.senderName ?? "someone"}` }));
  }
  if (m.replyToSeq && !m.recalled) li.append(quote(m.replyToSeq, actions));
  if (m.media && !m.recalled) li.append(mediaView(m.media));
  li.append(el("span", { className: "body", textContent: bodyText(m) }));
  if (m.reactions?.length && !m.recalled) {
    li.append(el("div", { className: "reactions", role: "group", "aria-label": "Reactions" },
      ...m.reactions.map((r) => {
        const b = el("button", { type: "button", className: "reaction", textContent: `${r.emoji} ${r.count ?? 0}`,
          "aria-label": `${r.emoji} ${r.count ?? 0}, toggle your reaction` });
        b.addEventListener("click", () => actions.react(m, r.emoji));
        return b;
      })));
  }
  const meta = el("span", { className: "meta" }, clock(m.tsMs));
  if (m.editedAtMs && !m.recalled) meta.append(" ", el("span", { className: "edited", textContent: "edited" }));
  li.append(meta);
  if (!m.recalled) li.append(toolbar(m, mine, actions));
  if (mine) renderStatus(li);
}

function quote(seq, actions) {
  const q = actions.quoteOf(seq);
  const text = q ? `${q.senderName ?? ""}: ${q.recalled ? "deleted message" : q.text || mediaLabel(q.media)}` : "Earlier message";
  const b = el("button", { type: "button", className: "quote", textContent: text, "aria-label": `Reply to: ${text}. Show it` });
  b.addEventListener("click", () => actions.jump(seq));
  return b;
}

function mediaView(media) {
  const label = `${mediaLabel(media)}${media.fileName ? ` ${media.fileName}` : ""}, ${size(media.size)}`;
  if (media.hasThumbnail) {
    const img = el("img", { className: "thumb", alt: media.fileName || "picture", width: media.width, height: media.height });
    if (media.width && media.height) {
      const scale = Math.min(1, 320 / Math.max(media.width, media.height));
      img.width = Math.round(media.width * scale);
      img.height = Math.round(media.height * scale);
    }
    thumbnailUrl(media.mediaId).then((u) => { img.src = u; }, () => { img.alt = `${label} (preview unavailable)`; });
    const b = el("button", { type: "button", className: "media", "aria-label": `Open ${label}` }, img);
    b.addEventListener("click", () => openMedia(media).catch(() => {}));
    return b;
  }
  const b = el("button", { type: "button", className: "file", textContent: `📎 ${media.fileName || "file"} · ${size(media.size)}`,
    "aria-label": `Download ${label}` });
  b.addEventListener("click", () => openMedia(media).catch(() => {}));
  return b;
}

function toolbar(m, mine, actions) {
  const bar = el("div", { className: "actions", role: "toolbar", "aria-label": "Message actions" });
  const button = (text, label, fn) => {
    const b = el("button", { type: "button", textContent: text, "aria-label": label });
    b.addEventListener("click", (e) => { e.stopPropagation(); fn(); });
    bar.append(b);
  };
  if (S.chat.canPost) button("↩", "Reply", () => actions.reply(m));
  if (mine && !m.media && !m.forwarded) button("✎", "Edit", () => actions.edit(m));
  if (mine || S.chat.isAdmin) button("🗑", "Delete", () => actions.recall(m));
  button("↪", "Forward", () => actions.forward(m));
  if (S.chat.kind === "DIRECT" || S.chat.isAdmin) {
    const pinned = S.chat.pinnedSeqs?.includes(m.seq);
    button("📌", pinned ? "Unpin" : "Pin", () => actions.pin(m));
  }
  for (const emoji of REACTIONS) button(emoji, `React ${emoji}`, () => actions.react(m, emoji));
  return bar;
}

/** Sent, delivered or read, from what the other side's markers say. */
export function renderStatus(li) {
  const meta = li.querySelector(".meta");
  if (!meta || !li.dataset.seq || S.chat.kind === "CHANNEL") return;
  let mark = meta.querySelector(".receipt");
  if (!mark) {
    mark = el("span", { className: "receipt" });
    meta.append(" ", mark);
  }
  const seq = big(li.dataset.seq);
  const status = seq <= S.chat.peerRead ? "read" : seq <= S.chat.peerDelivered ? "delivered" : "sent";
  mark.textContent = status;
  mark.dataset.status = status;
}
