// Desktop notifications for messages from others that the user is not looking at: another chat
// is open, or the tab is hidden. Muted dialogs stay quiet (mentions included, as muting asks).
import { S, $ } from "./state.js";
import { preview } from "./format.js";
import { openChat } from "./chat.js";

const supported = () => typeof Notification !== "undefined";

export function notify(m) {
  if (!supported() || Notification.permission !== "granted" || m.senderId === S.me?.userId || m.service) return;
  const looking = document.visibilityState === "visible" && S.chat?.conversationId === m.conversationId;
  const d = S.dialogs.get(m.conversationId);
  if (looking || Number(d?.muteUntilMs ?? 0) > Date.now()) return;
  const title = d && d.kind !== "DIRECT" ? `${m.senderName ?? ""} in ${d.title}` : (m.senderName ?? "New message");
  const n = new Notification(title, { body: preview(m), tag: `tern-${m.conversationId}` });
  n.onclick = () => {
    window.focus();
    if (d) openChat(d.title, d.conversationId, d.kind);
    n.close();
  };
}

export function wireNotifications() {
  const button = $("notify");
  button.hidden = !supported() || Notification.permission !== "default";
  button.addEventListener("click", async () => {
    await Notification.requestPermission();
    button.hidden = Notification.permission !== "default";
  });
}
