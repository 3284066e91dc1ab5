// The dialog list (pinned first, then by activity, paged) and the forms that start conversations:
// a direct chat by username, a group, a channel, joining a public channel by name.
import { S, $, el, errorText } from "./state.js";
import { preview } from "./format.js";
import { noteDialog, openChat } from "./chat.js";

const PAGE = 50;
let pending;

/** Reloads the first page of dialogs soon (several updates in a burst cost one request). */
export function refreshDialogs() {
  clearTimeout(pending);
  pending = setTimeout(() => loadDialogs().catch(() => {}), 150);
}

export async function loadDialogs() {
  const { dialogs = [], more } = await S.client.dialogs({ limit: PAGE, archived: !!S.archived });
  if (!!S.archived !== shownArchived) pagedIn.clear(); // switched between the list and the archive
  shownArchived = !!S.archived;
  // Older dialogs the user paged in with "More" stay below the fresh first page.
  const kept = [...S.dialogs.values()].filter((d) => pagedIn.has(d.conversationId)
    && !dialogs.some((x) => x.conversationId === d.conversationId));
  S.dialogs.clear();
  for (const d of [...dialogs, ...kept]) S.dialogs.set(d.conversationId, d);
  const open = S.chat && S.dialogs.get(S.chat.conversationId);
  if (open) noteDialog(open);
  if (!pagedIn.size) S.moreDialogs = !!more;
  renderDialogs();
}

const pagedIn = new Set();
let shownArchived = false;
async function loadMoreDialogs() {
  const last = [...S.dialogs.values()].filter((d) => !d.pinned).at(-1);
  if (!last) return;
  const { dialogs = [], more } = await S.client.dialogs({ limit: PAGE, archived: !!S.archived, beforeActivityMs: last.lastActivityMs,
    beforeConversationId: last.conversationId });
  for (const d of dialogs) {
    if (d.pinned) continue;
    pagedIn.add(d.conversationId);
    S.dialogs.set(d.conversationId, d);
  }
  S.moreDialogs = !!more;
  renderDialogs();
}

/** Puts a new message into its dialog's preview at once (the server's list follows). */
export function notePreview(m) {
  const d = S.dialogs.get(m.conversationId);
  if (!d || (d.topMessage && BigInt(d.topMessage.seq ?? 0) > BigInt(m.seq ?? 0))) return;
  d.topMessage = m;
  renderDialogs();
}

export function renderDialogs() {
  const ul = $("dialogs");
  ul.replaceChildren();
  for (const d of S.dialogs.values()) {
    const unread = d.unreadCount ?? 0;
    const mentions = d.unreadMentions ?? 0;
    const label = [d.title || "(untitled)", d.kind === "CHANNEL" ? "channel" : d.kind === "GROUP" ? "group" : null,
      d.pinned ? "pinned" : null, Number(d.muteUntilMs ?? 0) > Date.now() ? "muted" : null,
      unread ? `${unread} unread` : null, mentions ? `${mentions} mention${mentions > 1 ? "s" : ""}` : null]
      .filter(Boolean).join(", ");
    const li = el("li", { tabIndex: 0, role: "button", "aria-label": label, dataset: { conversation: d.conversationId } },
      el("span", { className: `kind ${String(d.kind).toLowerCase()}`, "aria-hidden": "true",
        textContent: d.kind === "CHANNEL" ? "#" : d.kind === "GROUP" ? "👥" : "" }),
      el("span", { className: "text" },
        el("span", { className: "title", textContent: d.title || "(untitled)" }),
        el("span", { className: "preview", textContent: d.draft ? `Draft: ${d.draft}` : preview(d.topMessage) })),
      Number(d.muteUntilMs ?? 0) > Date.now() ? el("span", { className: "muted", textContent: "🔕", title: "Muted" }) : null,
      mentions ? el("span", { className: "mention", textContent: "@", title: `${mentions} unread mentions` }) : null,
      unread ? el("span", { className: "unread", textContent: String(unread) }) : null);
    if (d.pinned) li.classList.add("pinned");
    if (S.chat?.conversationId === d.conversationId) li.setAttribute("aria-current", "true");
    const open = () => openChat(d.title, d.conversationId, d.kind);
    li.addEventListener("click", open);
    li.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
    ul.append(li);
  }
  $("more-dialogs").hidden = S.moreDialogs !== true;
  // The tab's title counts unread messages of dialogs that are not muted.
  const now = Date.now();
  const unread = [...S.dialogs.values()].filter((d) => !(Number(d.muteUntilMs ?? 0) > now))
    .reduce((n, d) => n + (d.unreadCount ?? 0), 0);
  document.title = unread ? `(${unread}) Tern` : "Tern";
}

function failed(e) {
  $("new-chat-error").textContent = errorText(e);
}

// One id per form until it succeeds: pressing Create again after a lost answer (a dropped network)
// gets the conversation made the first time instead of a second one.
function requestId(form) {
  form.dataset.requestId ||= Array.from(crypto.getRandomValues(new Uint8Array(12)),
    (b) => b.toString(16).padStart(2, "0")).join("");
  return form.dataset.requestId;
}

async function submit(form, action) {
  $("new-chat-error").textContent = "";
  try {
    await action();
    delete form.dataset.requestId;
    form.reset();
    form.closest("details")?.removeAttribute("open");
  } catch (e) {
    failed(e);
  }
}

let channelSearch;
export function wireDialogs() {
  // A changed form is a new request, not a retry of the one that failed.
  for (const id of ["new-group", "new-channel"]) $(id).addEventListener("input", (e) => delete e.currentTarget.dataset.requestId);
  $("more-dialogs").addEventListener("click", () => loadMoreDialogs().catch(failed));
  $("new-chat").addEventListener("submit", (e) => {
    e.preventDefault();
    const peer = $("peer").value.trim();
    $("new-chat-error").textContent = "";
    if (!peer || peer === S.me.username) return;
    $("peer").value = "";
    const d = [...S.dialogs.values()].find((x) => x.kind === "DIRECT" && x.title === peer);
    openChat(peer, d?.conversationId);
  });
  $("new-group").addEventListener("submit", (e) => {
    e.preventDefault();
    const title = $("group-title").value.trim();
    const members = $("group-members").value.split(/[\s,]+/).filter(Boolean);
    submit(e.target, async () => {
      const { conversationId } = await S.client.createGroup(title, members, requestId(e.target));
      await openChat(title, conversationId, "GROUP");
      refreshDialogs();
    });
  });
  $("new-channel").addEventListener("submit", (e) => {
    e.preventDefault();
    const title = $("channel-title").value.trim();
    submit(e.target, async () => {
      const { conversationId } = await S.client.createChannel(title, $("channel-description").value.trim(),
        $("channel-name").value.trim(), requestId(e.target));
      await openChat(title, conversationId, "CHANNEL");
      refreshDialogs();
    });
  });
  $("join-channel").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = $("join-name").value.trim().replace(/^@/, "");
    submit(e.target, async () => {
      const { conversationId } = await S.client.joinChannel(name);
      const { title } = await S.client.conversation(conversationId);
      await openChat(title || name, conversationId, "CHANNEL");
      refreshDialogs();
    });
  });
  // Public channels by name prefix, offered as suggestions while typing.
  $("join-name").addEventListener("input", () => {
    clearTimeout(channelSearch);
    const prefix = $("join-name").value.trim().replace(/^@/, "");
    if (prefix.length < 2) return;
    channelSearch = setTimeout(async () => {
      try {
        const { channels = [] } = await S.client.searchChannels(prefix, 10);
        $("channel-results").replaceChildren(...channels.map((c) =>
          el("option", { value: c.publicName, label: `${c.title} (${c.memberCount ?? 0} subscribers)` })));
      } catch { /* suggestions are optional */ }
    }, 200);
  });
}
