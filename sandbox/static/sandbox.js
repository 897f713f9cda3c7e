// The sandbox's Slack client: one person's view of the workspace, live, and what their clicks send.
"use strict";

(function () {
  const { el, render, mrkdwn, emoji, PICKER } = window.BlockKit;
  const SLACKBOT = "USLACKBOT";

  const app = {
    user: null,
    conversation: null,
    thread: null,
    data: null,
    dismissed: new Set(),
    modalKey: null,
    fetching: null,
    again: false,
  };

  // --- talking to the sandbox

  async function post(path, body) {
    const answer = await fetch(`/api/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: app.user, ...body }),
    });
    const result = await answer.json().catch(() => ({ ok: false, error: "no answer" }));
    if (!answer.ok || result.ok === false) console.warn(path, result.error || answer.status);
    await refresh();
    return result;
  }

  async function refresh() {
    if (app.fetching) {
      app.again = true;
      return app.fetching;
    }
    app.fetching = (async () => {
      do {
        app.again = false;
        const asked = { user: app.user, conversation: app.conversation };
        const query = new URLSearchParams({ user: app.user || "" });
        if (app.conversation) query.set("conversation", app.conversation);
        if (app.thread) query.set("thread", app.thread);
        const answer = await fetch(`/api/state?${query}`);
        const data = await answer.json();
        // Someone switched person or conversation meanwhile: this answer is for where they were, not where
        // they are; showing it would send them back to its first channel. Ask again instead.
        if (asked.user !== app.user || asked.conversation !== app.conversation) {
          app.again = true;
          continue;
        }
        app.data = data;
        show();
      } while (app.again);
      app.fetching = null;
    })();
    return app.fetching;
  }

  function listen() {
    const events = new EventSource("/api/events");
    events.onmessage = () => refresh();
  }

  // --- where the person is

  function saveLocation() {
    const parts = [app.user, app.conversation, app.thread].filter(Boolean).map(encodeURIComponent);
    history.replaceState(null, "", `#/${parts.join("/")}`);
  }

  function loadLocation() {
    const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
    [app.user, app.conversation, app.thread] = [parts[0] || null, parts[1] || null, parts[2] || null];
  }

  function go(conversation, thread) {
    app.conversation = conversation;
    app.thread = thread || null;
    saveLocation();
    if (conversation === "home") post("home", {});
    else refresh();
  }

  // --- names

  function person(id) {
    return (app.data.people || {})[id] || { display_name: id, name: id, is_bot: false };
  }

  function channelNames() {
    const names = {};
    for (const c of app.data.conversations) if (c.kind === "channel") names[c.id] = c.name;
    return names;
  }

  function conversationLabel(c) {
    if (c.kind === "channel") return `#${c.name}`;
    if (c.kind === "im") return c.name;
    return c.members.filter((m) => m !== app.user && m !== app.data.app.bot).map((m) => person(m).display_name).join(", ");
  }

  function context(extra) {
    return { people: app.data.people, me: app.user, channelNames: channelNames(), ...extra };
  }

  // --- the page

  function show() {
    const data = app.data;
    if (!data) return;
    document.getElementById("team-name").textContent = data.team.name;
    document.getElementById("sidebar-team").textContent = data.team.name;
    showActAs();
    const known = data.conversations.map((c) => c.id);
    if (app.conversation !== "home" && !known.includes(app.conversation)) {
      app.conversation = known[0];
      app.thread = null;
      saveLocation();
      refresh();
      return;
    }
    showSidebar();
    if (app.conversation === "home") showHome();
    else showConversation();
    showThread();
    showModal();
  }

  function showActAs() {
    const select = document.getElementById("act-as");
    const people = Object.entries(app.data.people).filter(([id, p]) => !p.is_bot);
    const signature = people.map(([id]) => id).join(",");
    if (select.dataset.signature !== signature) {
      select.replaceChildren(...people.map(([id, p]) => el("option", { value: id, text: p.display_name })));
      select.dataset.signature = signature;
    }
    select.value = app.user;
  }

  function sidebarLink(label, target, { current, prefix, badge } = {}) {
    return el("a", {
      href: "#",
      class: `sidebar-item${current ? " current" : ""}`,
      "aria-label": label,
      "aria-current": current ? "page" : undefined,
      onclick: (event) => {
        event.preventDefault();
        go(target);
      },
    }, el("span", { class: "sidebar-prefix", "aria-hidden": "true", text: prefix || "" }),
    el("span", { class: "sidebar-name", text: label.replace(/^#/, "") }),
    badge ? el("span", { class: "sidebar-badge", "aria-hidden": "true", text: badge }) : null);
  }

  function showSidebar() {
    const data = app.data;
    const channels = data.conversations.filter((c) => c.kind === "channel");
    const direct = data.conversations.filter((c) => c.kind !== "channel");
    const lists = document.getElementById("sidebar-lists");
    lists.replaceChildren(
      el("div", { class: "sidebar-section", text: "Channels" }),
      ...channels.map((c) => sidebarLink(`#${c.name}`, c.id, {
        current: c.id === app.conversation,
        prefix: c.is_private ? "🔒" : "#",
        badge: c.is_ext_shared ? "⇄" : null,
      })),
      el("div", { class: "sidebar-section", text: "Direct messages" }),
      ...direct.map((c) => sidebarLink(conversationLabel(c), c.id, {
        current: c.id === app.conversation,
        prefix: c.kind === "im" ? "◆" : "👥",
      })),
      el("div", { class: "sidebar-section", text: "Apps" }),
      el("div", { class: "sidebar-app" }, avatar(data.app.bot, "small"), el("span", { text: data.app.name })),
      sidebarLink("Home", "home", { current: app.conversation === "home", prefix: "⌂" }),
    );
  }

  function current() {
    return app.data.conversations.find((c) => c.id === app.conversation);
  }

  function showConversation() {
    const c = current();
    const header = document.getElementById("conversation-header");
    const shared = c.is_ext_shared ? el("span", { class: "shared-note", text: "Shared with another organisation" }) : null;
    header.replaceChildren(...[
      el("h1", { text: conversationLabel(c) }),
      c.topic ? el("span", { class: "topic", text: c.topic }) : null,
      shared,
      el("span", { class: "member-count", text: `${c.members.length} members` }),
    ].filter(Boolean));
    const box = document.getElementById("message-box");
    box.disabled = false;
    box.placeholder = `Message ${conversationLabel(c)}`;
    document.getElementById("composer").hidden = false;
    const list = document.getElementById("messages");
    const conversation = app.data.conversation || { messages: [], ephemerals: [] };
    fillMessages(list, conversation, false);
  }

  function fillMessages(list, conversation, inThread) {
    const shown = `${conversation.id}/${inThread ? conversation.thread_ts || app.thread : ""}`;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const items = [
      ...conversation.messages.map((m) => ({ ts: m.ts, node: () => messageNode(m, conversation.id, inThread) })),
      ...conversation.ephemerals
        .filter((e) => !app.dismissed.has(e.message_ts))
        .map((e) => ({ ts: e.message_ts, node: () => ephemeralNode(e, conversation.id) })),
    ].sort((a, b) => Number(a.ts) - Number(b.ts));
    const nodes = items.map((item) => item.node());
    if (!nodes.length && !inThread) {
      nodes.push(el("div", { class: "empty", text: "No messages yet. Type /complaint and a few words to file one." }));
    }
    list.replaceChildren(...nodes);
    if (atBottom || list.dataset.shown !== shown) keepAtBottom(list);
    list.dataset.shown = shown;
  }

  // The newest message stays in view, also once the images above it have loaded and pushed it down.
  function keepAtBottom(list) {
    list.scrollTop = list.scrollHeight;
    for (const img of list.querySelectorAll("img")) {
      if (img.complete) continue;
      img.addEventListener("load", () => {
        if (list.scrollHeight - list.scrollTop - list.clientHeight < 40 + img.offsetHeight) list.scrollTop = list.scrollHeight;
      }, { once: true });
    }
  }

  function avatar(id, size) {
    const who = person(id);
    const name = who.display_name || "?";
    const initials = name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
    const isApp = app.data && id === app.data.app.bot;
    let hue = 0;
    for (const ch of id) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
    return el("span", {
      class: `avatar ${size || ""}${isApp ? " avatar-app" : ""}`,
      style: isApp ? undefined : `background: hsl(${hue} 45% 42%)`,
      "aria-hidden": "true",
      text: isApp ? "CD" : initials,
    });
  }

  function clock(ts) {
    const when = new Date(Number(ts) * 1000);
    const zone = (person(app.user) || {}).tz || undefined;  // times as the person's Slack shows them
    return when.toLocaleTimeString(document.documentElement.lang || "en", { hour: "2-digit", minute: "2-digit", timeZone: zone });
  }

  function authorLine(userId, ts) {
    const who = person(userId);
    return el("div", { class: "message-header" },
      el("span", { class: "author", text: who.display_name }),
      who.is_bot ? el("span", { class: "app-badge", text: "APP" }) : null,
      who.external ? el("span", { class: "external-badge", text: who.team }) : null,
      el("time", { class: "timestamp", text: clock(ts) }));
  }

  function contentNode(message, ctx) {
    if (message.blocks && message.blocks.length) return render(message.blocks, ctx);
    return el("div", { class: "mrkdwn", html: mrkdwn(message.text || "", ctx) });
  }

  function filesNode(message) {
    if (!message.files || !message.files.length) return null;
    return el("div", { class: "files" }, message.files.map((f) => {
      const file = app.data.files[f.id] || { name: f.name, title: f.title, mimetype: "", url: "#" };
      if (file.mimetype.startsWith("image/")) {
        return el("figure", { class: "file-image" }, el("img", { src: file.url, alt: file.title || file.name }),
          el("figcaption", {}, el("a", { href: file.url, target: "_blank", text: file.title || file.name })));
      }
      return el("a", { class: "file-card", href: file.url, download: file.name },
        el("span", { class: "file-icon", "aria-hidden": "true", text: file.name.split(".").pop().toUpperCase() }),
        el("span", { class: "file-meta" }, el("strong", { text: file.title || file.name }),
          el("span", { class: "muted", text: `${file.name} · ${Math.max(1, Math.round(file.size / 1024))} KB` })));
    }));
  }

  function reactionsNode(message, channel) {
    const reactions = message.reactions || [];
    if (!reactions.length) return null;
    return el("div", { class: "reactions" }, reactions.map((r) => {
      const mine = r.users.includes(app.user);
      return el("button", {
        type: "button",
        class: `reaction${mine ? " mine" : ""}`,
        "aria-label": `${r.name} ${r.count}`,
        "aria-pressed": mine ? "true" : "false",
        title: `${r.users.map((u) => person(u).display_name).join(", ")} reacted with :${r.name}:`,
        onclick: () => post("react", { channel, ts: message.ts, name: r.name }),
      }, el("span", { class: "reaction-emoji", text: emoji(r.name) || `:${r.name}:` }), el("span", { text: String(r.count) }));
    }));
  }

  function messageNode(message, channel, inThread) {
    const ctx = context({
      onAction: (action) => post("act", { action, where: { channel, ts: message.ts } }),
    });
    const replies = message.reply_count || 0;
    const isRoot = !message.thread_ts || message.thread_ts === message.ts;
    const node = el("article", { class: "message", "data-ts": message.ts, "aria-label": `${person(message.user).display_name}, ${clock(message.ts)}` },
      avatar(message.user),
      el("div", { class: "message-body" },
        authorLine(message.user, message.ts),
        el("div", { class: "message-content" }, contentNode(message, ctx)),
        filesNode(message),
        reactionsNode(message, channel),
        !inThread && replies && isRoot
          ? el("button", { type: "button", class: "thread-summary", onclick: () => go(channel, message.ts) },
            el("span", { class: "reply-avatars" }, (message.reply_users || []).slice(0, 4).map((u) => avatar(u, "tiny"))),
            `${replies} ${replies === 1 ? "reply" : "replies"}`)
          : null),
      toolbar(message, channel, inThread));
    return node;
  }

  function toolbar(message, channel, inThread) {
    const bar = el("div", { class: "message-toolbar" });
    bar.append(el("button", {
      type: "button", class: "icon-button", "aria-label": "Add reaction", title: "Add reaction",
      onclick: (event) => emojiDialog(event.currentTarget, channel, message.ts),
    }, "☺+"));
    if (!inThread) {
      bar.append(el("button", {
        type: "button", class: "icon-button", "aria-label": "Reply in thread", title: "Reply in thread",
        onclick: () => go(channel, message.thread_ts || message.ts),
      }, "💬"));
    }
    bar.append(el("button", {
      type: "button", class: "icon-button", "aria-label": "More actions", title: "More actions",
      onclick: (event) => shortcutMenu(event.currentTarget, channel, message.ts),
    }, "⋮"));
    return bar;
  }

  function ephemeralNode(ephemeral, channel) {
    const author = ephemeral.author || app.data.app.bot;
    const ctx = context({
      onAction: (action) => post("act", { action, where: { channel, ts: ephemeral.message_ts, ephemeral: true } }),
    });
    return el("article", { class: "message ephemeral", "data-ts": ephemeral.message_ts },
      avatar(author),
      el("div", { class: "message-body" },
        el("div", { class: "only-you" }, el("span", { "aria-hidden": "true", text: "👁 " }), "Only visible to you"),
        authorLine(author, ephemeral.message_ts),
        el("div", { class: "message-content" }, contentNode(ephemeral, ctx)),
        el("button", {
          type: "button", class: "link-button", text: "Dismiss message",
          onclick: () => { app.dismissed.add(ephemeral.message_ts); show(); },
        })));
  }

  // --- popovers: the emoji dialog and the shortcut menu

  function closePopover() {
    document.getElementById("popover-root").replaceChildren();
  }

  function popover(anchor, node) {
    const root = document.getElementById("popover-root");
    const box = anchor.getBoundingClientRect();
    node.style.top = `${Math.min(window.innerHeight - 260, box.bottom + 4)}px`;
    node.style.left = `${Math.max(8, Math.min(window.innerWidth - 300, box.right - 280))}px`;
    root.replaceChildren(el("div", { class: "popover-backdrop", onclick: closePopover }), node);
    const first = node.querySelector("button");
    if (first) first.focus();
    node.addEventListener("keydown", (event) => { if (event.key === "Escape") closePopover(); });
  }

  function emojiDialog(anchor, channel, ts) {
    const names = [...PICKER, ...Object.keys(window.BlockKit.EMOJI).filter((n) => !PICKER.includes(n))].slice(0, 48);
    popover(anchor, el("div", { class: "popover emoji-dialog", role: "dialog", "aria-label": "Emoji" },
      el("div", { class: "popover-title", text: "Add reaction" }),
      el("div", { class: "emoji-grid" }, names.map((name) => el("button", {
        type: "button", class: "emoji-choice", "aria-label": name, title: `:${name}:`,
        onclick: () => { closePopover(); post("react", { channel, ts, name }); },
      }, emoji(name))))));
  }

  function shortcutMenu(anchor, channel, ts) {
    const shortcuts = app.data.app.shortcuts;
    popover(anchor, el("div", { class: "popover shortcut-menu", role: "dialog", "aria-label": "More actions" },
      el("div", { class: "popover-title", text: app.data.app.name }),
      shortcuts.length
        ? shortcuts.map((s) => el("button", {
          type: "button", class: "menu-item",
          onclick: () => { closePopover(); post("shortcut", { channel, ts, callback_id: s.callback_id }); },
        }, s.name))
        : el("div", { class: "muted menu-empty", text: "This app has no message shortcuts." })));
  }

  // --- thread

  function showThread() {
    const panel = document.getElementById("thread");
    const thread = app.data.thread;
    if (!app.thread || !thread || app.conversation === "home") {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    document.getElementById("thread-channel").textContent = conversationLabel(current());
    fillMessages(document.getElementById("thread-messages"), thread, true);
  }

  // --- App Home

  function showHome() {
    const header = document.getElementById("conversation-header");
    header.replaceChildren(el("div", { class: "app-title" }, avatar(app.data.app.bot), el("h1", { text: app.data.app.name })),
      el("nav", { class: "tabs", "aria-label": "App tabs" }, el("span", { class: "tab current", text: "Home" })));
    document.getElementById("composer").hidden = true;
    const list = document.getElementById("messages");
    const view = app.data.home;
    if (!view) {
      list.replaceChildren(el("div", { class: "empty", text: "Opening the app's Home…" }));
      return;
    }
    const ctx = context({
      onAction: (action) => post("act", { action, where: { view_id: view.id, values: {} } }),
    });
    list.replaceChildren(el("div", { class: "home-view" }, render(view.blocks, ctx)));
  }

  // --- modals

  function showModal() {
    const root = document.getElementById("modal-root");
    const modal = app.data.modal;
    if (!modal) {
      root.replaceChildren();
      app.modalKey = null;
      return;
    }
    const view = modal.view;
    const key = `${view.id}:${view.hash}:${JSON.stringify(modal.errors)}`;
    if (key === app.modalKey) return;
    const kept = keptValues(root);
    app.modalKey = key;
    const readers = [];
    const ctx = context({
      errors: modal.errors,
      upload,
      register: (blockId, actionId, read) => readers.push({ blockId, actionId, read }),
    });
    ctx.onAction = async (action) => post("act", { action, where: { view_id: view.id, values: await values(readers) } });
    const titleId = `modal-title-${view.id}`;
    const submit = view.submit ? el("button", { type: "submit", class: "bk-button bk-button-primary", text: view.submit.text }) : null;
    const close = () => post("close", { view_id: view.id });
    const form = el("form", {
      class: "modal",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": titleId,
      // Escape closes a modal, as in Slack (the app hears view_closed when it asked to).
      onkeydown: (event) => { if (event.key === "Escape") { event.preventDefault(); close(); } },
      onsubmit: async (event) => {
        event.preventDefault();
        if (submit) submit.disabled = true;
        await post("submit", { view_id: view.id, values: await values(readers) });
        if (submit) submit.disabled = false;
      },
    },
    el("header", { class: "modal-header" },
      el("h2", { id: titleId, text: view.title ? view.title.text : "" }),
      el("button", { type: "button", class: "icon-button", "aria-label": "Close dialog", onclick: close }, "✕")),
    el("div", { class: "modal-body" }, render(view.blocks, ctx)),
    el("footer", { class: "modal-footer" },
      el("button", { type: "button", class: "bk-button", text: view.close ? view.close.text : "Cancel", onclick: close }),
      submit));
    root.replaceChildren(el("div", { class: "modal-backdrop" }, form));
    restoreValues(root, kept);
    const first = form.querySelector(".has-error input, .has-error textarea, .has-error select, input, textarea, select");
    if (first) first.focus();
  }

  async function base64(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  // A form's file field: each file goes to Slack first; the app gets the file objects in the form's state.
  async function upload(files) {
    const stored = [];
    for (const file of files) {
      const answer = await fetch("/api/upload", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ user: app.user, name: file.name, content: await base64(file) }),
      });
      const result = await answer.json();
      if (result.file) stored.push(result.file);
    }
    return stored;
  }

  async function values(readers) {
    const state = {};
    for (const { blockId, actionId, read } of readers) {
      state[blockId] = state[blockId] || {};
      state[blockId][actionId] = await read();
    }
    return state;
  }

  function keptValues(root) {
    const kept = {};
    root.querySelectorAll(".bk-input-block").forEach((block, index) => {
      const control = block.querySelector("input:not([type=file]), textarea, select");
      if (control) kept[index] = control.multiple ? Array.from(control.selectedOptions).map((o) => o.value) : control.value;
    });
    return kept;
  }

  function restoreValues(root, kept) {
    root.querySelectorAll(".bk-input-block").forEach((block, index) => {
      const control = block.querySelector("input:not([type=file]), textarea, select");
      if (!control || !(index in kept)) return;
      if (control.multiple) Array.from(control.options).forEach((o) => { o.selected = kept[index].includes(o.value); });
      else control.value = kept[index];
    });
  }

  // --- composers

  // The message box, and its file picker: picked files are posted at once, with what the box holds as their text.
  function composer(formId, boxId, filesId, target) {
    const form = document.getElementById(formId);
    const box = document.getElementById(boxId);
    const picker = document.getElementById(filesId);
    const send = async () => {
      const text = box.value;
      if (!text.trim()) return;
      box.value = "";
      await post("send", { ...target(), text });
    };
    picker.addEventListener("change", async () => {
      const files = [];
      for (const file of Array.from(picker.files)) files.push({ name: file.name, content: await base64(file) });
      picker.value = "";
      if (!files.length) return;
      const text = box.value;
      box.value = "";
      await post("send", { ...target(), text, files });
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
      }
    });
    form.addEventListener("submit", (event) => { event.preventDefault(); send(); });
  }

  function start() {
    loadLocation();
    composer("composer", "message-box", "message-files", () => ({ channel: app.conversation }));
    composer("reply-composer", "reply-box", "reply-files", () => ({ channel: app.conversation, thread_ts: app.thread }));
    document.getElementById("thread-close").addEventListener("click", () => go(app.conversation, null));
    document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("a[data-channel]");
      if (!link) return;
      event.preventDefault();
      const known = app.data.conversations.some((c) => c.id === link.dataset.channel);
      if (known) go(link.dataset.channel, link.dataset.ts);
    });
    document.getElementById("act-as").addEventListener("change", (event) => {
      app.user = event.target.value;
      app.thread = null;
      // The sidebar is the last person's until this person's view arrives: nothing of it may be clicked.
      document.getElementById("sidebar-lists").replaceChildren();
      closePopover();
      saveLocation();
      if (app.conversation === "home") post("home", {});
      else refresh();
    });
    fetch("/api/state").then((r) => r.json()).then((data) => {
      const people = Object.entries(data.people).filter(([id, p]) => !p.is_bot);
      if (!app.user || !data.people[app.user]) app.user = people[0][0];
      saveLocation();
      listen();
      return app.conversation === "home" ? post("home", {}) : refresh();
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
