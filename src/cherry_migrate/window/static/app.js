// The migration window's page. The server owns the state; this page renders its snapshots
// (GET /api/state, then Server-Sent Events from /api/events) and sends the user's choices.
"use strict";

const TOKEN_KEY = "cherry-migrate-token";
const token = readToken();
const catalogs = {};
let state = null;
let lang = "en";
let clockOffset = 0;
let rendered = { key: null, lang: null };
let closedView = null;

function readToken() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar, history and bookmarks; a reload finds it in sessionStorage.
    history.replaceState(null, "", location.pathname);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

// ---- i18n ---------------------------------------------------------------------------------------

async function loadCatalog(language) {
  if (!catalogs[language]) {
    const res = await fetch(`/i18n/${language}.json`);
    catalogs[language] = await res.json();
  }
  return catalogs[language];
}

function lookup(key, language) {
  let node = catalogs[language];
  for (const part of key.split(".")) {
    if (node == null || typeof node !== "object") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

function t(key, params) {
  const template = lookup(key, lang) ?? lookup(key, "en") ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) =>
    params && params[name] !== undefined ? String(params[name]) : `{{${name}}}`);
}

function fmtNumber(n) {
  return new Intl.NumberFormat(lang).format(n);
}

function fmtBytes(bytes) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}

function fmtDuration(ms) {
  if (ms < 10000) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(Math.max(0, ms) / 1000)} s`;
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return `${minutes}:${seconds}`;
}

// ---- DOM helpers --------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// A button is disabled while its own action runs, so a double click does not send the request twice.
function button(id, label, onclick, variant) {
  const el = h("button", { type: "button", id, class: `btn ${variant || ""}`.trim() }, label);
  el.addEventListener("click", async (event) => {
    if (el.disabled) return;
    el.disabled = true;
    try {
      await onclick(event);
    } finally {
      el.disabled = false;
    }
  });
  return el;
}

function bar(id, label, percent) {
  const fill = h("span", {});
  fill.style.width = `${percent}%`; // through CSSOM: the CSP forbids inline style attributes
  return h("div", {
    class: "bar", id, role: "progressbar", "aria-label": label,
    "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(percent),
  }, fill);
}

function setBar(id, percent) {
  const el = document.getElementById(id);
  if (!el) return;
  el.setAttribute("aria-valuenow", String(percent));
  el.firstChild.style.width = `${percent}%`;
}

function setText(id, text) {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}

function showToast(message) {
  const toast = document.getElementById("toast");
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => { toast.hidden = true; }, 6000);
}

// ---- talking to the server ----------------------------------------------------------------------

async function api(path, body) {
  const options = { method: body === undefined ? "GET" : "POST", headers: { Authorization: `Bearer ${token}` } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const res = await fetch(`/api/${path}`, options);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = new Error(data.message || res.statusText);
    error.code = data.error;
    error.status = res.status;
    throw error;
  }
  return data;
}

// Sends a user action; a refusal is shown in a toast, a returned snapshot is applied.
async function act(path, body) {
  let data;
  try {
    data = await api(path, body ?? {});
  } catch (error) {
    showToast(t("app.request_failed", { message: error.message }));
    return null;
  }
  if (data && typeof data.seq === "number") await applyState(data);
  return data;
}

async function listen() {
  while (!closedView) {
    try {
      const res = await fetch("/api/events", { headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" } });
      if (!res.ok) throw new Error(String(res.status));
      document.getElementById("offline").hidden = true;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          await handleEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      // fall through to the reconnect below
    }
    if (closedView || (state && state.closing)) return;
    const offline = document.getElementById("offline");
    offline.textContent = t("app.offline");
    offline.hidden = false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function handleEvent(chunk) {
  let type = "message";
  let data = "";
  for (const line of chunk.split("\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(5).trim();
  }
  if (type === "state") await applyState(JSON.parse(data));
  else if (type === "end" && state && state.closing) showClosed();
}

async function applyState(next) {
  if (state && next.seq < state.seq) return; // an older snapshot that arrived late
  state = next;
  clockOffset = next.serverTime - Date.now();
  const wanted = next.language || "en";
  await loadCatalog(wanted);
  lang = wanted;
  if (state.closing) {
    showClosed();
    return;
  }
  render();
}

// ---- screens ------------------------------------------------------------------------------------

function screenKey(s) {
  switch (s.stage) {
    case "version_incompatible": return "version";
    case "introduction": return "introduction";
    case "backup_required": return `backup-choose:${s.backup.state}`;
    case "backup_progress": return "backup-progress";
    case "backup_confirmed": return "backup-ready";
    case "migration": return "migration";
    case "completed": return "completed";
    default: return "error";
  }
}

const SCREENS = {
  version: { build: buildVersion },
  introduction: { build: buildIntroduction, update: updateIntroduction },
  "backup-choose": { build: buildBackupChoose },
  "backup-progress": { build: buildBackupProgress, update: updateBackupProgress },
  "backup-ready": { build: buildBackupReady },
  migration: { build: buildMigration, update: updateMigration },
  completed: { build: buildCompleted },
  error: { build: buildError, update: updateError },
};

function render() {
  document.documentElement.lang = lang;
  document.title = t("app.title");
  setText("app-title", t("app.title"));
  setText("language-label", t("app.language"));
  setText("steps-label", t("steps.label"));
  document.getElementById("close-button").setAttribute("aria-label", t("app.close"));
  document.getElementById("language").value = lang;
  renderSteps();

  const key = screenKey(state);
  const screen = SCREENS[key.split(":")[0]];
  if (rendered.key !== key || rendered.lang !== lang) {
    const main = document.getElementById("main");
    const active = document.activeElement;
    const focusWasOnScreen = !active || active === document.body || main.contains(active);
    const changedScreen = rendered.key !== key;
    main.replaceChildren(screen.build(state));
    rendered = { key, lang };
    // A new screen takes the focus to its heading, so keyboard and screen-reader users start there.
    if (changedScreen && focusWasOnScreen) main.querySelector("h2")?.focus();
  } else if (screen.update) {
    screen.update(state);
  }
  if (state.confirmClose) openCloseDialog();
}

function renderSteps() {
  const rail = document.getElementById("rail");
  rail.hidden = state.stage === "version_incompatible";
  const order = ["introduction", "backup", "migration", "completed"];
  const current = {
    introduction: 0, backup_required: 1, backup_progress: 1, backup_confirmed: 1,
    migration: 2, error: 2, completed: 3,
  }[state.stage] ?? 0;
  const steps = order.map((name, index) => {
    const failed = state.stage === "error" && index === 2;
    const done = index < current || (state.stage === "completed" && index === 3);
    const marker = failed ? "✕" : done ? "✓" : String(index + 1);
    return h("li", {
      class: failed ? "failed" : done ? "done" : "",
      "aria-current": index === current && !done ? "step" : null,
    }, h("span", { class: "marker", "aria-hidden": "true" }, marker),
    h("span", {}, t(`steps.${name}`), failed ? h("span", { class: "visually-hidden" }, ` (${t("steps.failed")})`) : null));
  });
  document.getElementById("steps").replaceChildren(...steps);
}

function section(name, ...children) {
  return h("section", { class: "screen", "data-screen": name, "aria-labelledby": `${name}-title` }, ...children);
}

function title(name, text, badge) {
  const heading = h("h2", { id: `${name}-title`, tabindex: "-1" }, text);
  if (!badge) return heading;
  const [kind, symbol] = badge;
  return h("div", { class: "heading" }, h("span", { class: `badge ${kind}`, "aria-hidden": "true" }, symbol), heading);
}

function facts(rows) {
  return h("dl", { class: "facts" }, rows.flatMap(([label, value, cls]) => [
    h("dt", {}, label), h("dd", { class: cls || null }, value),
  ]));
}

function buildVersion(s) {
  const check = s.versionCheck;
  const explanation = check.explanations[check.reason];
  return section("version",
    title("version", t("version.title"), ["warning", "!"]),
    h("p", { class: "subtitle" }, t("version.preamble")),
    h("div", { class: "notice warning", id: "version-explanation" }, explanation ? explanation[lang] ?? explanation.en : check.reason),
    facts([
      [t("version.found"), check.previousVersion || t("version.unknown")],
      [t("version.minimum"), check.details.requiredVersion || check.requiredVersion],
      [t("version.target"), check.details.currentVersion || check.targetVersion],
    ]),
    h("p", {}, t("version.ignore_hint")),
    diagnosticsArea(s),
    h("div", { class: "actions" },
      button("btn-diagnostics", t("diagnostics.save"), saveDiagnostics),
      button("btn-use-defaults", t("version.use_defaults"), openSkipDialog, "danger"),
      h("span", { class: "spacer" }),
      button("btn-close", t("app.close"), requestClose)));
}

function countItems(inventory) {
  const tables = inventory.dexieTables || {};
  const records = (name) => (tables[name] ? tables[name].records : null);
  const items = [
    ["topics", records("topics")],
    ["blocks", records("message_blocks")],
    ["files", records("files")],
    ["notes", records("knowledge_notes")],
    ["translations", records("translate_history")],
    ["settings", Object.keys(inventory.reduxSlices || {}).length],
  ].filter(([, value]) => value !== null && value >= 0);
  return h("ul", { class: "counts", id: "inventory-counts" },
    items.map(([name, value]) => h("li", {}, h("span", { class: "value" }, fmtNumber(value)), h("span", { class: "label" }, t(`intro.${name}`)))),
    h("li", {}, h("span", { class: "value" }, fmtBytes(inventory.totalBytes)), h("span", { class: "label" }, t("intro.size"))));
}

function inventoryArea(s) {
  if (s.inventory) return h("div", { id: "inventory" }, h("h3", {}, t("intro.counts_title")), countItems(s.inventory));
  if (s.inventoryError) return h("div", { id: "inventory", class: "alert error" }, t("intro.count_failed", { error: s.inventoryError }));
  return h("div", { id: "inventory" }, h("p", { class: "loading", role: "status" }, t("intro.counting")));
}

function buildIntroduction(s) {
  const notices = [];
  if (s.versionCheck.notices.includes("no_version_log")) {
    notices.push(h("div", { class: "notice warning", id: "notice-version-log" }, t("intro.notice_no_version_log", { version: s.versionCheck.requiredVersion })));
  }
  if (s.target.status === "completed") {
    notices.push(h("div", { class: "notice warning", id: "notice-target" }, t("intro.notice_target_completed")));
  }
  for (const warning of s.source.warnings) notices.push(h("div", { class: "notice warning" }, warning));
  return section("introduction",
    title("introduction", t("intro.title")),
    h("p", { class: "subtitle" }, t("intro.subtitle")),
    h("div", { class: "cards" },
      ["copy", "safe", "atomic"].map((name) => h("div", { class: "card" },
        h("h3", {}, t(`intro.${name}_title`)), h("p", {}, t(`intro.${name}_body`))))),
    facts([
      [t("intro.found_in"), s.source.dataLocation || s.source.description, "path"],
      [t("intro.target"), s.target.path, "path"],
    ]),
    inventoryArea(s),
    notices,
    h("div", { class: "actions" },
      button("btn-next", t("intro.next"), () => act("proceed"), "primary"),
      h("span", { class: "spacer" }),
      button("btn-use-defaults", t("intro.use_defaults"), openSkipDialog)));
}

function updateIntroduction(s) {
  const current = document.getElementById("inventory");
  const wantsCounts = Boolean(s.inventory);
  if (current && (wantsCounts !== Boolean(document.getElementById("inventory-counts")))) current.replaceWith(inventoryArea(s));
}

function buildBackupChoose(s) {
  const backup = s.backup;
  let status = null;
  if (backup.state === "failed") status = h("div", { class: "alert error", id: "backup-status" }, t("backup.failed", { error: backup.error }));
  if (backup.state === "cancelled") status = h("div", { class: "notice warning", id: "backup-status" }, t("backup.cancelled"));
  const pathInput = h("input", { type: "text", id: "backup-path", value: s.defaultBackupPath, spellcheck: "false", autocomplete: "off" });
  return section("backup",
    title("backup", t("backup.title")),
    h("p", { class: "subtitle" }, t("backup.subtitle")),
    status,
    h("div", { class: "choices" },
      h("div", { class: "choice" },
        h("h3", {}, t("backup.create_title")),
        h("p", {}, t("backup.create_body")),
        h("label", { for: "backup-path" }, t("backup.path_label")),
        pathInput,
        button("btn-backup-create", t("backup.create"), () => act("backup", { path: pathInput.value.trim() || null }), "primary")),
      h("div", { class: "choice" },
        h("h3", {}, t("backup.existing_title")),
        h("p", {}, t("backup.existing_body")),
        button("btn-backup-skip", t("backup.existing"), () => act("backup/skip")))),
    h("div", { class: "actions" }, button("btn-back", t("common.back"), () => act("back"))));
}

function backupNumbers(b) {
  return t("backup.progress_detail", {
    done: fmtBytes(b.bytesDone || 0), total: fmtBytes(b.bytesTotal || 0),
    files: fmtNumber(b.filesDone || 0), filesTotal: fmtNumber(b.filesTotal || 0),
  });
}

function buildBackupProgress(s) {
  const b = s.backup;
  return section("backup-progress",
    title("backup-progress", t("backup.progress_title")),
    h("p", { class: "path" }, b.path || ""),
    bar("backup-bar", t("backup.progress_label"), b.percent || 0),
    h("div", { class: "progress-line" }, h("span", { id: "backup-detail" }, backupNumbers(b)), h("span", { id: "backup-percent" }, `${b.percent || 0}%`)),
    h("div", { class: "actions" }, button("btn-backup-cancel", t("backup.cancel"), () => act("cancel"))));
}

function updateBackupProgress(s) {
  setBar("backup-bar", s.backup.percent || 0);
  setText("backup-detail", backupNumbers(s.backup));
  setText("backup-percent", `${s.backup.percent || 0}%`);
}

function buildBackupReady(s) {
  const b = s.backup;
  const rows = [[t("intro.found_in"), s.source.dataLocation || s.source.description, "path"], [t("intro.target"), s.target.path, "path"]];
  if (b.state === "created") rows.unshift([t("completed.backup"), b.path, "path"]);
  return section("backup-ready",
    title("backup-ready", t("backup.ready_title")),
    h("div", { class: "notice ok", id: "backup-status" },
      b.state === "created" ? t("backup.created", { files: fmtNumber(b.files), size: fmtBytes(b.bytes) }) : t("backup.existing_confirmed")),
    facts(rows),
    h("div", { class: "actions" },
      button("btn-start", t("backup.start"), () => act("start"), "primary"),
      h("span", { class: "spacer" }),
      button("btn-back", t("backup.change"), () => act("back"))));
}

function progressMessage(progress) {
  if (!progress) return t("progress.preparing");
  const i18n = progress.i18nMessage;
  if (i18n && i18n.key) {
    const key = i18n.key.replace(/^migration\./, "");
    if (lookup(key, lang) || lookup(key, "en")) return t(key, i18n.params);
  }
  return progress.currentMessage;
}

function migratorRows(s) {
  const progress = s.progress;
  if (!progress) return [];
  const icons = { pending: "○", running: "◐", completed: "✓", failed: "✕" };
  return progress.migrators.map((m) => h("li", { class: m.status, "data-migrator": m.id },
    h("span", { class: "icon", "aria-hidden": "true" }, icons[m.status] || "○"),
    h("span", { class: "name" }, m.name),
    h("span", { class: "state" }, t(`status.${m.status}`)),
    h("span", { class: "detail", title: m.error || s.migratorMessages[m.id] || "" }, m.error || s.migratorMessages[m.id] || "")));
}

function elapsedText(s) {
  if (!s.runStartedAt) return "0:00";
  const end = s.runFinishedAt || Date.now() + clockOffset;
  return fmtDuration(end - s.runStartedAt);
}

function stepsDone(s) {
  const migrators = s.progress ? s.progress.migrators : [];
  const done = migrators.filter((m) => m.status === "completed").length;
  return t("migration.steps_done", { done, total: migrators.length });
}

function buildMigration(s) {
  const percent = s.progress ? s.progress.overallProgress : 0;
  return section("migration",
    title("migration", t("migration.title")),
    h("p", { class: "subtitle" }, t("migration.do_not_close")),
    h("p", { class: "current", id: "current-step", "aria-live": "polite" }, progressMessage(s.progress)),
    bar("overall-bar", t("migration.overall"), percent),
    h("div", { class: "progress-line" },
      h("span", { id: "steps-done" }, stepsDone(s)),
      h("span", {}, `${t("migration.elapsed")} `, h("span", { id: "elapsed" }, elapsedText(s))),
      h("span", { id: "overall-percent" }, `${percent}%`)),
    h("div", { class: "actions compact" }, button("btn-cancel", t("migration.cancel"), cancelRun)),
    h("ol", { class: "migrators", id: "migrator-list", "aria-label": t("steps.migration") }, migratorRows(s)),
    h("details", { class: "history" }, h("summary", {}, t("migration.recent")), h("ol", { id: "history-list" }, historyRows(s))));
}

function historyRows(s) {
  return s.history.slice().reverse().map((step) => h("li", {},
    h("span", { class: "time" }, new Date(step.at).toLocaleTimeString(lang)), " ",
    progressMessage({ i18nMessage: step.i18n, currentMessage: step.message })));
}

function updateMigration(s) {
  const percent = s.progress ? s.progress.overallProgress : 0;
  setText("current-step", progressMessage(s.progress));
  setBar("overall-bar", percent);
  setText("overall-percent", `${percent}%`);
  setText("steps-done", stepsDone(s));
  setText("elapsed", elapsedText(s));
  document.getElementById("migrator-list")?.replaceChildren(...migratorRows(s));
  document.getElementById("history-list")?.replaceChildren(...historyRows(s));
}

async function cancelRun() {
  document.getElementById("btn-cancel").textContent = t("migration.cancelling");
  await act("cancel");
}

function summaryRows(result) {
  return result.migrators.map((m) => {
    const reasons = Object.entries(m.skipReasonTotals || {});
    const skipped = reasons.length
      ? h("details", {}, h("summary", {}, fmtNumber(m.skipped)),
        h("ul", {}, reasons.map(([reason, count]) => h("li", {}, `${reason.replace(/_/g, " ")}: ${fmtNumber(count)}`))))
      : fmtNumber(m.skipped);
    const notes = m.warnings.length
      ? h("details", {}, h("summary", {}, t("completed.notes", { count: m.warnings.length })),
        h("ul", {}, m.warnings.map((w) => h("li", {}, w))))
      : "—";
    return h("tr", { "data-migrator": m.migratorId },
      h("th", { scope: "row" }, m.migratorName),
      h("td", { class: "num", "data-col": "written" }, fmtNumber(m.written)),
      h("td", { class: "num", "data-col": "skipped", "data-count": String(m.skipped) }, skipped),
      h("td", {}, notes));
  });
}

function buildCompleted(s) {
  const result = s.result || { migrators: [], importedLegacyData: true, durationMs: 0 };
  if (!result.importedLegacyData) {
    return section("completed",
      title("completed", t("completed.defaults_title"), ["ok", "✓"]),
      h("p", {}, t("completed.defaults_body")),
      facts([[t("completed.database"), s.target.path, "path"]]),
      h("div", { class: "actions" }, button("btn-finish", t("completed.finish"), finish, "primary")));
  }
  const items = result.migrators.reduce((sum, m) => sum + m.written, 0);
  const hasNotes = result.migrators.some((m) => m.skipped > 0 || m.warnings.length > 0);
  const rows = [[t("completed.database"), s.target.path, "path"], [t("completed.report"), s.target.reportFile, "path"]];
  if (s.backup.state === "created") rows.push([t("completed.backup"), s.backup.path, "path"]);
  return section("completed",
    title("completed", t("completed.title"), ["ok", "✓"]),
    h("p", { class: "subtitle" }, hasNotes ? t("completed.with_notes") : t("completed.description")),
    h("ul", { class: "stats" },
      h("li", {}, h("span", { class: "value", id: "stat-steps" }, `${result.migrators.length}/${result.migrators.length}`), h("span", { class: "label" }, t("completed.steps"))),
      h("li", {}, h("span", { class: "value", id: "stat-items" }, fmtNumber(items)), h("span", { class: "label" }, t("completed.items"))),
      h("li", {}, h("span", { class: "value", id: "stat-duration" }, fmtDuration(result.durationMs)), h("span", { class: "label" }, t("completed.duration")))),
    facts(rows),
    h("div", { class: "actions" }, button("btn-finish", t("completed.finish"), finish, "primary")),
    h("table", { class: "summary", id: "summary-table" },
      h("caption", {}, t("completed.table_caption")),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("completed.col_step")),
        h("th", { scope: "col" }, t("completed.col_migrated")),
        h("th", { scope: "col" }, t("completed.col_skipped")),
        h("th", { scope: "col" }, t("completed.col_notes")))),
      h("tbody", {}, summaryRows(result))));
}

async function finish() {
  const data = await act("finish");
  if (data) showClosed();
}

function diagnosticsArea(s) {
  return h("div", { id: "diagnostics-area" },
    s.diagnosticsPath
      ? h("div", { class: "notice ok", id: "diagnostics-saved" }, t("diagnostics.saved", { path: s.diagnosticsPath }), h("br"), t("diagnostics.privacy"))
      : null);
}

function failedStep(s) {
  const failed = s.progress ? s.progress.migrators.find((m) => m.status === "failed") : null;
  return failed ? failed.name : null;
}

function buildError(s) {
  const step = failedStep(s);
  return section("error",
    title("error", s.cancelled ? t("error.cancelled_title") : t("error.title"), s.cancelled ? ["warning", "✕"] : ["error", "!"]),
    h("p", { class: "subtitle" }, t("error.intact")),
    step && !s.cancelled ? facts([[t("error.failed_step"), step]]) : null,
    h("div", { class: "error-box", id: "error-message", role: "group", "aria-label": t("error.label") }, `${t("error.label")}: ${s.lastError || t("error.unknown")}`),
    s.cancelled ? null : h("p", {}, t("error.retry_hint")),
    diagnosticsArea(s),
    h("div", { class: "actions" },
      button("btn-retry", t("error.retry"), () => act("retry"), "primary"),
      button("btn-diagnostics", t("diagnostics.save"), saveDiagnostics)),
    h("div", { class: "actions secondary" },
      button("btn-use-defaults", t("version.use_defaults"), openSkipDialog, "danger"),
      h("span", { class: "spacer" }),
      button("btn-close", t("app.close"), requestClose)));
}

function updateError(s) {
  const area = document.getElementById("diagnostics-area");
  if (area && Boolean(s.diagnosticsPath) !== Boolean(document.getElementById("diagnostics-saved"))) area.replaceWith(diagnosticsArea(s));
}

async function saveDiagnostics() {
  const btn = document.getElementById("btn-diagnostics");
  const label = btn.textContent;
  btn.textContent = t("diagnostics.saving");
  const data = await act("diagnostics");
  btn.textContent = label;
  if (data) {
    const area = document.getElementById("diagnostics-area");
    area?.replaceWith(diagnosticsArea({ ...state, diagnosticsPath: data.path }));
  }
}

// ---- dialogs ------------------------------------------------------------------------------------

function openDialog(name, content, onClose) {
  const dialog = document.getElementById("dialog");
  if (dialog.open) dialog.close();
  dialog.dataset.dialog = name;
  dialog.replaceChildren(...content);
  dialog.onclose = onClose || null;
  dialog.showModal();
}

function closeDialog() {
  const dialog = document.getElementById("dialog");
  dialog.onclose = null;
  if (dialog.open) dialog.close();
}

function openSkipDialog() {
  const confirm = button("btn-skip-confirm", t("skip.confirm"), async () => {
    closeDialog();
    await act("use-defaults");
  }, "danger");
  confirm.disabled = true;
  const check = h("input", { type: "checkbox", id: "skip-understood", onchange: () => { confirm.disabled = !check.checked; } });
  openDialog("skip", [
    h("h2", { id: "dialog-title" }, t("skip.title")),
    h("div", { id: "dialog-body" },
      h("div", { class: "alert error" }, t("skip.warning")),
      h("ul", {}, ["cleared", "kept", "later", "sure"].map((p) => h("li", {}, t(`skip.point_${p}`))))),
    h("div", { class: "check" }, check, h("label", { for: "skip-understood" }, t("skip.confirm_label"))),
    h("div", { class: "actions" }, button("btn-skip-cancel", t("common.cancel"), closeDialog), confirm),
  ]);
}

function openCloseDialog() {
  const dialog = document.getElementById("dialog");
  if (dialog.open && dialog.dataset.dialog === "close") return;
  const backingUp = state && state.busy === "backup";
  const keepGoing = async () => {
    closeDialog();
    if (state && state.confirmClose) await api("close-cancel", {}).catch(() => null);
  };
  openDialog("close", [
    h("h2", { id: "dialog-title" }, t("close.title")),
    h("p", { id: "dialog-body" }, backingUp ? t("close.backup_body") : t("close.body")),
    h("div", { class: "actions" },
      button("btn-close-continue", t("close.continue"), keepGoing, "primary"),
      button("btn-close-quit", t("close.quit"), () => { closeDialog(); shutdown(true); }, "danger")),
  ], keepGoing);
  document.getElementById("btn-close-continue").focus();
}

async function requestClose() {
  try {
    const answer = await api("close-request", {});
    if (answer.needsConfirmation) openCloseDialog();
    else await shutdown(false);
  } catch (error) {
    showToast(t("app.request_failed", { message: error.message }));
  }
}

async function shutdown(cancel) {
  try {
    const data = await api("shutdown", { cancel });
    state = data;
    showClosed();
  } catch (error) {
    showToast(t("app.request_failed", { message: error.message }));
  }
}

function showClosed() {
  const key = state && state.stage === "completed" ? "finished" : state && state.cancelled ? "cancelled" : "closed";
  if (closedView === `${key}:${lang}`) return;
  closedView = `${key}:${lang}`;
  closeDialog();
  document.getElementById("offline").hidden = true;
  document.getElementById("rail").hidden = true;
  document.getElementById("close-button").hidden = true;
  const heading = key === "finished" ? t("completed.finished_title") : t("app.closed_title");
  const body = key === "finished" ? t("completed.finished_body") : key === "cancelled" ? `${t("app.closed_cancelled")} ${t("app.closed_body")}` : t("app.closed_body");
  const main = document.getElementById("main");
  main.replaceChildren(section("closed", title("closed", heading), h("p", {}, body)));
  main.querySelector("h2").focus();
  window.close(); // works when the window was opened for this page; otherwise the text above says what to do
}

// ---- start --------------------------------------------------------------------------------------

function tick() {
  if (state && state.stage === "migration" && !closedView) setText("elapsed", elapsedText(state));
}

window.addEventListener("beforeunload", (event) => {
  if (state && !closedView && (state.busy === "migration" || state.busy === "backup")) {
    event.preventDefault();
    event.returnValue = "";
  }
});

document.getElementById("language").addEventListener("change", (event) => act("language", { language: event.target.value }));
document.getElementById("close-button").addEventListener("click", requestClose);

(async () => {
  try {
    await loadCatalog("en");
    await applyState(await api("state"));
  } catch (error) {
    document.getElementById("main").replaceChildren(h("div", { class: "alert error", role: "alert" }, error.message));
    return;
  }
  setInterval(tick, 1000);
  listen();
})();
