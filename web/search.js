// Searching: messages (full text, in the conversations the user can read, newest first, paged)
// shown in place of the dialog list; user names suggested while starting a direct chat.
import { S, $, el, errorText } from "./state.js";
import { clock, preview } from "./format.js";
import { jumpTo, openChat } from "./chat.js";

let pending;
let cursor = null;
let query = "";

function showResults(on) {
  $("results").hidden = !on;
  $("dialogs").hidden = on;
  if (!on) $("more-results").hidden = true;
}

async function search(more = false) {
  if (!more) {
    cursor = null;
    $("results").replaceChildren();
  }
  const q = query;
  try {
    const r = await S.client.searchMessages({ query: q, cursor: cursor ?? undefined, limit: 20 });
    if (q !== query) return;
    for (const m of r.messages ?? []) $("results").append(result(m));
    if (!$("results").children.length) $("results").append(el("li", { className: "none", textContent: "No messages found" }));
    cursor = r.more ? r.nextCursor : null;
    $("more-results").hidden = !cursor;
  } catch (e) {
    $("results").replaceChildren(el("li", { className: "none", textContent: errorText(e) }));
  }
}

function result(m) {
  const d = S.dialogs.get(m.conversationId);
  const title = d?.title ?? (m.conversationKind === "DIRECT" ? m.senderName : "Conversation");
  const li = el("li", { tabIndex: 0, role: "button", "aria-label": `${title}: ${preview(m)}, ${clock(m.tsMs)}` },
    el("span", { className: "text" },
      el("span", { className: "title", textContent: `${title} · ${clock(m.tsMs)}` }),
      el("span", { className: "preview", textContent: `${m.senderName ?? ""}: ${m.text ?? ""}` })));
  const open = async () => {
    await openChat(title, m.conversationId, d?.kind ?? m.conversationKind ?? "DIRECT");
    await jumpTo(m.seq, m.conversationId);
  };
  li.addEventListener("click", open);
  li.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
  return li;
}

let userSearch;
export function wireSearch() {
  $("search").addEventListener("input", () => {
    clearTimeout(pending);
    query = $("search").value.trim();
    if (query.length < 2) {
      showResults(false);
      return;
    }
    pending = setTimeout(() => { showResults(true); search(); }, 300);
  });
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      $("search").value = "";
      query = "";
      showResults(false);
    }
  });
  $("more-results").addEventListener("click", () => search(true));
  // Usernames by prefix, offered while typing whom to chat with.
  $("peer").addEventListener("input", () => {
    clearTimeout(userSearch);
    const prefix = $("peer").value.trim();
    if (prefix.length < 2) return;
    userSearch = setTimeout(async () => {
      try {
        const { users = [] } = await S.client.searchUsers(prefix, 10);
        $("user-results").replaceChildren(...users.filter((u) => u.userId !== S.me.userId)
          .map((u) => el("option", { value: u.username })));
      } catch { /* suggestions are optional */ }
    }, 200);
  });
}
