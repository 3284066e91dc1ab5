// The panel about a group or channel: title, description, public name, member count, the
// members (for those allowed to list them) and adding a member by username.
import { S, $, el, errorText } from "./state.js";
import { catchUp } from "./chat.js";

const ROLE = { OWNER: "owner", ADMIN: "admin" };

export function closeInfo() {
  $("info").hidden = true;
  $("info-toggle").setAttribute("aria-expanded", "false");
}

async function openInfo() {
  const c = S.chat;
  if (!c?.conversationId) return;
  $("info").hidden = false;
  $("info-toggle").setAttribute("aria-expanded", "true");
  $("info-error").textContent = "";
  $("add-member").hidden = !(c.kind === "GROUP" || c.isAdmin);
  try {
    const info = await S.client.conversation(c.conversationId);
    if (c !== S.chat) return;
    $("info-title").textContent = info.title ?? c.title;
    const facts = [info.kind === "CHANNEL" ? "Channel" : "Group", `${info.memberCount ?? info.members?.length ?? 0} members`];
    if (info.publicName) facts.push(`@${info.publicName}`);
    $("info-facts").textContent = facts.join(" · ");
    $("info-description").textContent = info.description ?? "";
    await listMembers(c);
  } catch (e) {
    $("info-error").textContent = errorText(e);
  }
}

async function listMembers(c) {
  const ul = $("member-list");
  ul.replaceChildren();
  try {
    const { members = [], more } = await S.client.members(c.conversationId, 0, 100);
    for (const m of members) {
      ul.append(el("li", {}, m.username ?? "", ROLE[m.role] ? el("span", { className: "role", textContent: ` ${ROLE[m.role]}` }) : null));
    }
    if (more) ul.append(el("li", { className: "more", textContent: "…" }));
  } catch (e) {
    if (e?.code === "FORBIDDEN") ul.append(el("li", { className: "more", textContent: "Only admins see the subscribers." }));
    else throw e;
  }
}

export function wireInfo() {
  $("info-toggle").addEventListener("click", () => ($("info").hidden ? openInfo() : closeInfo()));
  $("info-close").addEventListener("click", () => { closeInfo(); $("info-toggle").focus(); });
  $("add-member").addEventListener("submit", async (e) => {
    e.preventDefault();
    const c = S.chat;
    const username = $("member-name").value.trim();
    if (!c?.conversationId || !username) return;
    $("info-error").textContent = "";
    try {
      await S.client.addMember(c.conversationId, username);
      $("member-name").value = "";
      await Promise.all([openInfo(), catchUp()]); // this device's own service message is not pushed to it
    } catch (err) {
      $("info-error").textContent = errorText(err);
    }
  });
}
