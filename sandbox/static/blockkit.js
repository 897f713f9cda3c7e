// Block Kit and mrkdwn, rendered as Slack shows them. Table-driven: a new block or element type is one entry in
// BLOCKS or ELEMENTS (and, for an input, the function that reads its state the way Slack sends it back).
"use strict";

(function () {
  const EMOJI = {
    raising_hand: "🙋", white_check_mark: "✅", heavy_check_mark: "✔️", tada: "🎉", eyes: "👀",
    thumbsup: "👍", "+1": "👍", thumbsdown: "👎", "-1": "👎", pray: "🙏", fire: "🔥", warning: "⚠️",
    rotating_light: "🚨", bell: "🔔", hourglass: "⌛", hourglass_flowing_sand: "⏳", alarm_clock: "⏰",
    calendar: "📅", date: "📅", memo: "📝", pencil: "✏️", clipboard: "📋", page_facing_up: "📄",
    bar_chart: "📊", chart_with_upwards_trend: "📈", chart_with_downwards_trend: "📉", package: "📦",
    truck: "🚚", factory: "🏭", wrench: "🔧", hammer_and_wrench: "🛠️", gear: "⚙️", mag: "🔍",
    speech_balloon: "💬", telephone_receiver: "📞", phone: "☎️", headphones: "🎧", busts_in_silhouette: "👥",
    bust_in_silhouette: "👤", wave: "👋", handshake: "🤝", raised_hands: "🙌", clap: "👏", muscle: "💪",
    ok_hand: "👌", point_right: "👉", point_up: "☝️", x: "❌", no_entry: "⛔", red_circle: "🔴",
    large_orange_circle: "🟠", large_yellow_circle: "🟡", large_green_circle: "🟢", white_circle: "⚪",
    large_blue_circle: "🔵", exclamation: "❗", question: "❓", bulb: "💡", star: "⭐", sparkles: "✨",
    heart: "❤️", smile: "😄", slightly_smiling_face: "🙂", confused: "😕", disappointed: "😞", rage: "😡",
    zap: "⚡", lock: "🔒", key: "🔑", link: "🔗", paperclip: "📎", inbox_tray: "📥", outbox_tray: "📤",
    email: "📧", envelope: "✉️", mailbox: "📫", repeat: "🔁", arrows_counterclockwise: "🔄", zzz: "💤",
    checkered_flag: "🏁", trophy: "🏆", money_with_wings: "💸", euro: "💶", moneybag: "💰", books: "📚",
    construction: "🚧", sos: "🆘", information_source: "ℹ️", white_flag: "🏳️", triangular_flag_on_post: "🚩",
    arrow_up: "⬆️", arrow_down: "⬇️", arrow_right: "➡️", new: "🆕", hourglass_done: "⌛",
  };
  // The emoji the "Add reaction" dialog offers first.
  const PICKER = [
    "raising_hand", "white_check_mark", "eyes", "thumbsup", "pray", "tada", "fire", "warning", "heart",
    "speech_balloon", "hourglass_flowing_sand", "rotating_light",
  ];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "html") node.innerHTML = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // Slack escapes &, < and > in text; the page shows them as typed.
  function unescapeSlack(text) {
    return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function emoji(name) {
    return EMOJI[name] || null;
  }

  function emojify(html) {
    return html.replace(/:([a-z0-9_+\-]+):/g, (whole, name) =>
      EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : whole);
  }

  // --- dates: <!date^1700000000^{date_short} at {time}|fallback>

  function formatDate(seconds, format, fallback) {
    const when = new Date(seconds * 1000);
    if (Number.isNaN(when.getTime())) return fallback;
    const lang = document.documentElement.lang || "en";
    const fmt = (options) => new Intl.DateTimeFormat(lang, options).format(when);
    const day = (options) => {
      const today = new Date();
      const delta = Math.round((new Date(when).setHours(0, 0, 0, 0) - today.setHours(0, 0, 0, 0)) / 86400000);
      if (Math.abs(delta) <= 1) {
        return new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(delta, "day");
      }
      return fmt(options);
    };
    const tokens = {
      date_num: () => fmt({ year: "numeric", month: "2-digit", day: "2-digit" }),
      date: () => fmt({ year: "numeric", month: "long", day: "numeric" }),
      date_short: () => fmt({ year: "numeric", month: "short", day: "numeric" }),
      date_long: () => fmt({ weekday: "long", year: "numeric", month: "long", day: "numeric" }),
      date_pretty: () => day({ year: "numeric", month: "long", day: "numeric" }),
      date_short_pretty: () => day({ year: "numeric", month: "short", day: "numeric" }),
      date_long_pretty: () => day({ weekday: "long", year: "numeric", month: "long", day: "numeric" }),
      time: () => fmt({ hour: "2-digit", minute: "2-digit" }),
      time_secs: () => fmt({ hour: "2-digit", minute: "2-digit", second: "2-digit" }),
      ago: () => {
        const minutes = Math.round((when.getTime() - Date.now()) / 60000);
        const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
        if (Math.abs(minutes) < 60) return rtf.format(minutes, "minute");
        if (Math.abs(minutes) < 1440) return rtf.format(Math.round(minutes / 60), "hour");
        return rtf.format(Math.round(minutes / 1440), "day");
      },
    };
    return format.replace(/\{(\w+)\}/g, (whole, token) => (tokens[token] ? tokens[token]() : whole));
  }

  // --- mrkdwn

  // One <…> token: user, channel, group and special mentions, dates, links.
  function token(inner, ctx) {
    const [target, label] = splitOnce(inner, "|");
    if (target.startsWith("@")) {
      const id = target.slice(1);
      const person = (ctx.people || {})[id];
      const name = person ? person.display_name : label || id;
      return `<span class="mention${id === ctx.me ? " mention-me" : ""}" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
    }
    if (target.startsWith("#")) {
      const id = target.slice(1);
      const channel = (ctx.channelNames || {})[id];
      return `<span class="mention channel-mention">#${escapeHtml(channel || label || id)}</span>`;
    }
    if (target.startsWith("!subteam^")) {
      return `<span class="mention">${escapeHtml(label || "@" + target.slice(9))}</span>`;
    }
    if (target.startsWith("!date^")) {
      const [, stamp, format, link] = target.split("^");
      const text = escapeHtml(formatDate(Number(stamp), format || "{date}", label || ""));
      return link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener">${text}</a>` : text;
    }
    if (target.startsWith("!")) {
      return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
    }
    const href = /^(https?:|mailto:)/i.test(target) ? target : "#";
    // A permalink into this workspace opens the message's thread here instead of a new tab.
    const permalink = /\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})/.exec(href);
    if (permalink) {
      const ts = `${permalink[2]}.${permalink[3]}`;
      return `<a href="${escapeHtml(href)}" data-channel="${permalink[1]}" data-ts="${ts}">${escapeHtml(label || target)}</a>`;
    }
    return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(label || target)}</a>`;
  }

  function splitOnce(text, separator) {
    const at = text.indexOf(separator);
    return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
  }

  // Inline formatting on HTML-escaped text whose tokens and code spans are already set aside.
  function inline(html) {
    const edge = "(^|[\\s([{>\"'“‘«])";
    const close = "(?=$|[\\s)\\]}.,;:!?\"'”’»<])";
    const wrap = (mark, tag) =>
      (text) => text.replace(new RegExp(`${edge}\\${mark}(?!\\s)([^\\${mark}\\n]*?[^\\s])\\${mark}${close}`, "g"),
        (whole, before, inner) => `${before}<${tag}>${inner}</${tag}>`);
    return wrap("~", "s")(wrap("_", "em")(wrap("*", "strong")(html)));
  }

  function mrkdwn(text, ctx) {
    ctx = ctx || {};
    const kept = [];
    const keep = (html) => `\u0000${kept.push(html) - 1}\u0000`;
    let source = String(text || "");
    source = source.replace(/```([\s\S]*?)```/g, (whole, code) =>
      keep(`<pre class="code-block">${escapeHtml(unescapeSlack(code.replace(/^\n/, "")))}</pre>`));
    source = source.replace(/`([^`\n]+)`/g, (whole, code) => keep(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
    source = source.replace(/<([^<>\n]+)>/g, (whole, inner) => keep(token(unescapeSlack(inner), ctx)));
    const lines = source.split("\n");
    const out = [];
    let list = null;
    let quote = null;
    const flush = () => {
      if (list) out.push(`<${list.tag} class="md-list">${list.items.join("")}</${list.tag}>`);
      if (quote) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
      list = null;
      quote = null;
    };
    for (const raw of lines) {
      const line = unescapeSlack(raw);
      const quoted = /^>\s?(.*)$/.exec(line);
      const bullet = /^\s*[•◦▪\-*]\s+(.*)$/.exec(line);
      const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      const render = (part) => emojify(inline(escapeHtml(part)));
      if (quoted) {
        if (list) flush();
        quote = quote || [];
        quote.push(render(quoted[1]));
      } else if (bullet || numbered) {
        if (quote) flush();
        const tag = bullet ? "ul" : "ol";
        if (list && list.tag !== tag) flush();
        list = list || { tag, items: [] };
        list.items.push(`<li>${render((bullet || numbered)[1])}</li>`);
      } else {
        flush();
        out.push(render(line) + "<br>");
      }
    }
    flush();
    let html = out.join("").replace(/(<br>)+$/, "");
    html = html.replace(/\u0000(\d+)\u0000/g, (whole, index) => kept[Number(index)]);
    return html;
  }

  function plainText(text) {
    return emojify(escapeHtml(text || "")).replace(/\n/g, "<br>");
  }

  // A composition text object.
  function textObject(object, ctx, tag) {
    if (!object) return el(tag || "span");
    const html = object.type === "mrkdwn" ? mrkdwn(object.text, ctx) : plainText(object.text);
    return el(tag || "span", { class: object.type === "mrkdwn" ? "mrkdwn" : "plain", html });
  }

  function plain(object) {
    return object && object.text ? object.text : "";
  }

  // --- elements

  let generated = 0;
  function actionIdOf(element) {
    if (!element.action_id) element.action_id = `sbx${++generated}`;
    return element.action_id;
  }

  function labelFor(element, where) {
    return where.label || plain(element.placeholder) || plain(element.text) || element.type;
  }

  function selectNode(element, where, options, { multiple, initial, onChange }) {
    const select = el("select", {
      class: "bk-select",
      "aria-label": labelFor(element, where),
      id: where.id,
      multiple: multiple || undefined,
      onchange: onChange,
    });
    if (!multiple) select.append(el("option", { value: "", text: plain(element.placeholder) || "Select…" }));
    for (const option of options) {
      select.append(el("option", { value: option.value, text: option.label, selected: initial.includes(option.value) }));
    }
    if (!multiple && !initial.length) select.value = "";
    return select;
  }

  function optionsOf(element) {
    const groups = element.option_groups || [{ options: element.options || [] }];
    return groups.flatMap((group) => group.options || []).map((o) => ({ value: o.value, label: plain(o.text), raw: o }));
  }

  function peopleOptions(ctx) {
    return Object.entries(ctx.people || {})
      .filter(([id, person]) => !person.is_bot && id !== "USLACKBOT")
      .map(([id, person]) => ({ value: id, label: person.display_name }));
  }

  function channelOptions(ctx) {
    return Object.entries(ctx.channelNames || {}).map(([id, name]) => ({ value: id, label: `#${name}` }));
  }

  function selected(select) {
    return Array.from(select.selectedOptions).map((o) => o.value).filter((v) => v !== "");
  }

  // A select-like element over a list of choices: static, users, conversations, channels; one or many.
  function chooser(source, key, multiple, initialKey) {
    return {
      render(element, ctx, where) {
        const options = source(element, ctx);
        const initial = multiple
          ? (element[initialKey] || []).map((item) => (typeof item === "object" ? item.value : item))
          : [element[initialKey]].filter(Boolean).map((item) => (typeof item === "object" ? item.value : item));
        const node = selectNode(element, where, options, {
          multiple,
          initial,
          onChange: () => where.dispatch && where.dispatch(this.action(element, node, options)),
        });
        where.register(() => this.state(element, node, options));
        return node;
      },
      state(element, node, options) {
        const chosen = selected(node);
        const pick = (value) => {
          const found = options.find((o) => o.value === value);
          return found && found.raw ? found.raw : value;
        };
        const state = { type: element.type };
        state[key] = multiple ? chosen.map(pick) : chosen.length ? pick(chosen[0]) : null;
        return state;
      },
      action(element, node, options) {
        return this.state(element, node, options);
      },
    };
  }

  const staticOptions = (element) => optionsOf(element);
  const noOptions = () => [];

  function textInput(inputType, stateOf) {
    return {
      render(element, ctx, where) {
        const multiline = element.multiline && inputType === "text";
        const node = el(multiline ? "textarea" : "input", {
          class: "bk-input",
          id: where.id,
          type: multiline ? undefined : inputType,
          rows: multiline ? 4 : undefined,
          placeholder: plain(element.placeholder) || undefined,
          maxlength: element.max_length || undefined,
          minlength: element.min_length || undefined,
          min: element.min_value, max: element.max_value,
          "aria-label": where.id ? undefined : labelFor(element, where),
          "aria-describedby": where.describedBy,
          "aria-invalid": where.error ? "true" : undefined,
        });
        const initial = element.initial_value ?? element.initial_date ?? element.initial_time;
        if (initial !== undefined && initial !== null) node.value = initial;
        if (element.initial_date_time) {
          node.value = new Date(element.initial_date_time * 1000).toISOString().slice(0, 16);
        }
        where.register(() => ({ type: element.type, ...stateOf(node.value) }));
        if (where.dispatch) node.addEventListener("change", () => where.dispatch({ type: element.type, ...stateOf(node.value) }));
        return node;
      },
    };
  }

  function choices(kind, multiple) {
    return {
      render(element, ctx, where) {
        const name = `${where.id || actionIdOf(element)}-${++generated}`;
        const initial = (multiple ? element.initial_options || [] : [element.initial_option].filter(Boolean))
          .map((o) => o.value);
        const options = optionsOf(element);
        const group = el("fieldset", { class: "bk-choices", "aria-label": labelFor(element, where) });
        const inputs = options.map((option) => {
          const input = el("input", { type: kind, name, value: option.value, checked: initial.includes(option.value) });
          group.append(el("label", { class: "bk-choice" }, input, textObject(option.raw.text, ctx),
            option.raw.description ? textObject(option.raw.description, ctx, "small") : null));
          return input;
        });
        const state = () => {
          const chosen = options.filter((o, i) => inputs[i].checked).map((o) => o.raw);
          return multiple
            ? { type: element.type, selected_options: chosen }
            : { type: element.type, selected_option: chosen[0] || null };
        };
        where.register(state);
        if (where.dispatch) group.addEventListener("change", () => where.dispatch(state()));
        return group;
      },
    };
  }

  const ELEMENTS = {
    button: {
      render(element, ctx, where) {
        const style = element.style ? ` bk-button-${element.style}` : "";
        const node = el("button", {
          type: "button",
          class: `bk-button${style}`,
          "aria-label": element.accessibility_label || undefined,
          onclick: () => {
            if (element.url) window.open(element.url, "_blank", "noopener");
            if (where.dispatch) {
              const action = { type: "button", text: element.text };
              if (element.value !== undefined) action.value = element.value;
              if (element.style) action.style = element.style;
              where.dispatch(action);
            }
          },
        }, textObject(element.text, ctx));
        return node;
      },
    },
    static_select: chooser(staticOptions, "selected_option", false, "initial_option"),
    multi_static_select: chooser(staticOptions, "selected_options", true, "initial_options"),
    external_select: chooser(noOptions, "selected_option", false, "initial_option"),
    multi_external_select: chooser(noOptions, "selected_options", true, "initial_options"),
    users_select: chooser((e, ctx) => peopleOptions(ctx), "selected_user", false, "initial_user"),
    multi_users_select: chooser((e, ctx) => peopleOptions(ctx), "selected_users", true, "initial_users"),
    conversations_select: chooser((e, ctx) => channelOptions(ctx), "selected_conversation", false, "initial_conversation"),
    multi_conversations_select: chooser((e, ctx) => channelOptions(ctx), "selected_conversations", true, "initial_conversations"),
    channels_select: chooser((e, ctx) => channelOptions(ctx), "selected_channel", false, "initial_channel"),
    multi_channels_select: chooser((e, ctx) => channelOptions(ctx), "selected_channels", true, "initial_channels"),
    overflow: {
      render(element, ctx, where) {
        const options = optionsOf(element);
        const node = selectNode({ ...element, placeholder: { text: "⋯" } }, { ...where, label: where.label || "More options" },
          options, { multiple: false, initial: [], onChange: () => {
            const value = node.value;
            node.value = "";
            const found = options.find((o) => o.value === value);
            if (found && where.dispatch) where.dispatch({ type: "overflow", selected_option: found.raw });
          } });
        node.classList.add("bk-overflow");
        return node;
      },
    },
    plain_text_input: textInput("text", (value) => ({ value: value === "" ? null : value })),
    number_input: textInput("number", (value) => ({ value: value === "" ? null : value })),
    email_text_input: textInput("email", (value) => ({ value: value === "" ? null : value })),
    url_text_input: textInput("url", (value) => ({ value: value === "" ? null : value })),
    datepicker: textInput("date", (value) => ({ selected_date: value || null })),
    timepicker: textInput("time", (value) => ({ selected_time: value || null })),
    datetimepicker: textInput("datetime-local", (value) =>
      ({ selected_date_time: value ? Math.floor(new Date(value).getTime() / 1000) : null })),
    rich_text_input: textInput("text", (value) => ({
      rich_text_value: { type: "rich_text", elements: [{ type: "rich_text_section", elements: value ? [{ type: "text", text: value }] : [] }] },
    })),
    checkboxes: choices("checkbox", true),
    radio_buttons: choices("radio", false),
    image: {
      render(element) {
        return el("img", { class: "bk-image-element", src: element.image_url || (element.slack_file || {}).url, alt: element.alt_text || "" });
      },
    },
    file_input: {
      render(element, ctx, where) {
        const node = el("input", {
          type: "file",
          class: "bk-file-input",
          id: where.id,
          multiple: (element.max_files || 10) > 1 || undefined,
          accept: (element.filetypes || []).map((t) => `.${t}`).join(",") || undefined,
        });
        where.register(async () => ({ type: "file_input", files: ctx.upload ? await ctx.upload(Array.from(node.files)) : [] }));
        return node;
      },
    },
  };

  // --- rich text (the rich_text block's own element tree)

  function richInline(items, ctx) {
    return (items || []).map((item) => {
      const style = item.style || {};
      let html;
      if (item.type === "text") html = escapeHtml(item.text).replace(/\n/g, "<br>");
      else if (item.type === "link") html = `<a href="${escapeHtml(item.url)}" target="_blank" rel="noopener">${escapeHtml(item.text || item.url)}</a>`;
      else if (item.type === "user") html = token(`@${item.user_id}`, ctx);
      else if (item.type === "channel") html = token(`#${item.channel_id}`, ctx);
      else if (item.type === "usergroup") html = token(`!subteam^${item.usergroup_id}`, ctx);
      else if (item.type === "broadcast") html = token(`!${item.range}`, ctx);
      else if (item.type === "emoji") html = EMOJI[item.name] || `:${escapeHtml(item.name)}:`;
      else if (item.type === "date") html = escapeHtml(formatDate(item.timestamp, item.format || "{date}", item.fallback || ""));
      else html = `<span class="bk-unsupported" data-type="${escapeHtml(item.type)}">[${escapeHtml(item.type)}]</span>`;
      if (style.code) html = `<code>${html}</code>`;
      if (style.bold) html = `<strong>${html}</strong>`;
      if (style.italic) html = `<em>${html}</em>`;
      if (style.strike) html = `<s>${html}</s>`;
      return html;
    }).join("");
  }

  const RICH_TEXT = {
    rich_text_section: (part, ctx) => el("div", { class: "rt-section", html: richInline(part.elements, ctx) }),
    rich_text_preformatted: (part, ctx) => el("pre", { class: "code-block", html: richInline(part.elements, ctx) }),
    rich_text_quote: (part, ctx) => el("blockquote", { html: richInline(part.elements, ctx) }),
    rich_text_list: (part, ctx) => el(part.style === "ordered" ? "ol" : "ul", { class: "md-list" },
      (part.elements || []).map((item) => el("li", { html: richInline(item.elements, ctx) }))),
  };

  // --- blocks

  function elementNode(element, ctx, where) {
    const kind = ELEMENTS[element.type];
    if (!kind) return unsupported(element.type);
    return kind.render(element, ctx, where);
  }

  function unsupported(type) {
    return el("span", { class: "bk-unsupported", "data-type": type, text: `[unsupported: ${type}]` });
  }

  function dispatcher(ctx, block, element) {
    if (!ctx.onAction) return null;
    return (action) => ctx.onAction({ ...action, action_id: actionIdOf(element), block_id: block.block_id });
  }

  function interactiveWhere(ctx, block, element, label) {
    return {
      label,
      dispatch: dispatcher(ctx, block, element),
      register: (read) => ctx.register && ctx.register(block.block_id, actionIdOf(element), read),
    };
  }

  const BLOCKS = {
    section(block, ctx) {
      const body = el("div", { class: "bk-section-body" });
      if (block.text) body.append(textObject(block.text, ctx, "div"));
      if (block.fields && block.fields.length) {
        body.append(el("div", { class: "bk-fields" }, block.fields.map((f) => textObject(f, ctx, "div"))));
      }
      const node = el("div", { class: "bk-section" }, body);
      if (block.accessory) {
        const accessory = block.accessory;
        node.append(el("div", { class: "bk-accessory" },
          elementNode(accessory, ctx, interactiveWhere(ctx, block, accessory))));
      }
      return node;
    },
    header: (block, ctx) => el("div", { class: "bk-header", role: "heading", "aria-level": "3", html: plainText(plain(block.text)) }),
    divider: () => el("hr", { class: "bk-divider" }),
    context: (block, ctx) => el("div", { class: "bk-context" }, (block.elements || []).map((item) =>
      item.type === "image"
        ? el("img", { class: "bk-context-image", src: item.image_url || (item.slack_file || {}).url, alt: item.alt_text || "" })
        : textObject(item, ctx))),
    actions: (block, ctx) => el("div", { class: "bk-actions" }, (block.elements || []).map((element) =>
      elementNode(element, ctx, interactiveWhere(ctx, block, element)))),
    input(block, ctx) {
      const element = block.element || {};
      const id = `input-${block.block_id}-${++generated}`;
      const error = (ctx.errors || {})[block.block_id];
      const label = plain(block.label);
      const where = {
        id,
        label,
        error,
        describedBy: error ? `${id}-error` : undefined,
        dispatch: block.dispatch_action ? dispatcher(ctx, block, element) : null,
        register: (read) => ctx.register && ctx.register(block.block_id, actionIdOf(element), read),
      };
      const control = elementNode(element, ctx, where);
      if (control.tagName === "FIELDSET") control.setAttribute("aria-label", label);
      else if (!block.optional && ["INPUT", "TEXTAREA", "SELECT"].includes(control.tagName)) control.required = true;
      // The field is named by its Block Kit label alone, as screen readers and browser tests look for it, so
      // "(optional)" stands beside the label element, not in it.
      return el("div", { class: `bk-input-block${error ? " has-error" : ""}` },
        el("div", { class: "bk-label-line" }, el("label", { class: "bk-label", for: id, text: label }),
          block.optional ? el("span", { class: "bk-optional", text: " (optional)" }) : null),
        control,
        block.hint ? el("div", { class: "bk-hint", html: plainText(plain(block.hint)) }) : null,
        error ? el("div", { class: "bk-error", id: `${id}-error`, role: "alert", text: error }) : null);
    },
    image: (block, ctx) => el("figure", { class: "bk-image" },
      block.title ? el("figcaption", { text: plain(block.title) }) : null,
      el("img", { src: block.image_url || (block.slack_file || {}).url, alt: block.alt_text || "" })),
    markdown: (block, ctx) => el("div", { class: "mrkdwn bk-markdown", html: mrkdwn(block.text, ctx) }),
    rich_text: (block, ctx) => el("div", { class: "bk-rich-text" }, (block.elements || []).map((part) =>
      (RICH_TEXT[part.type] || ((p) => unsupported(p.type)))(part, ctx))),
    file: (block) => el("div", { class: "bk-file", text: `📄 ${block.external_id || "file"}` }),
    video: (block) => el("div", { class: "bk-video" }, el("a", { href: block.title_url || block.video_url, target: "_blank", text: plain(block.title) || "Video" })),
  };

  function render(blocks, ctx) {
    const root = el("div", { class: "bk-blocks" });
    (blocks || []).forEach((block, index) => {
      if (!block.block_id) block.block_id = `b${index}`;
      const kind = BLOCKS[block.type];
      root.append(kind ? kind(block, ctx) : unsupported(block.type));
    });
    return root;
  }

  // Every type this renderer shows, for the test that holds it to what the bot sends.
  function types() {
    return [...Object.keys(BLOCKS), ...Object.keys(ELEMENTS), ...Object.keys(RICH_TEXT), "plain_text", "mrkdwn", "modal", "home"];
  }

  window.BlockKit = { render, mrkdwn, plainText, textObject, types, emoji, EMOJI, PICKER, el, BLOCKS, ELEMENTS };
})();
