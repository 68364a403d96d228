// Writes a Cherry Studio v1 export folder into this page's IndexedDB (through the real Dexie
// library) and localStorage, as Cherry Studio's renderer would have stored it.
//
// write_profile.py serves the export folder over a local HTTP server and calls
// writeInitial(options) in a first browser session and, with --updates, applyUpdates(options) in
// a second one. Files are fetched and their JSON arrays split into rows while streaming, so
// neither a URL nor V8's maximum string length limits the size of a table.

'use strict';

const DATABASE = 'CherryStudio';
const PERSIST_KEY = 'persist:cherry-studio';
const BATCH_ROWS = 1000;
const BATCH_CHARS = 8 * 1024 * 1024;

// Cherry Studio's Dexie schema, version by version: the stores added or changed by each version
// (shared/spec/legacy-sources.md 1.2). Versions 5 and 8 only ran data upgrades, which have
// nothing to do on an empty database.
const SCHEMA_CHANGES = [
  { files: 'id, name, origin_name, path, size, ext, type, created_at, count' },
  { topics: '&id, messages', settings: '&id, value' },
  { knowledge_notes: '&id, baseId, type, content, created_at, updated_at' },
  { translate_history: '&id, sourceText, targetText, sourceLanguage, targetLanguage, createdAt' },
  {},
  { quick_phrases: 'id' },
  { topics: '&id', message_blocks: 'id, messageId, file.id' },
  {},
  { translate_languages: '&id, langCode' },
  {},
];

// A Dexie instance declaring versions 1..upTo, each with its full store set (as the app does).
function declare(upTo, options) {
  const db = new Dexie(DATABASE, options);
  let stores = {};
  for (let version = 1; version <= upTo; version++) {
    stores = { ...stores, ...SCHEMA_CHANGES[version - 1] };
    db.version(version).stores(stores);
  }
  return db;
}

// The final schema, after the database went through every version like a long-time user's
// (so, for example, version 7 really creates and then drops the topics.messages index).
async function openThroughEveryVersion() {
  for (let version = 1; version < SCHEMA_CHANGES.length; version++) {
    const db = declare(version);
    await db.open();
    db.close();
    // Let the closed connection go before the next upgrade (else Dexie warns "blocked").
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return openFinal();
}

async function openFinal() {
  const db = declare(SCHEMA_CHANGES.length, { chromeTransactionDurability: 'strict' });
  await db.open();
  return db;
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

// Yields the text of each element of the JSON array at `url`, read as a stream.
async function* arrayElements(url) {
  const reader = (await fetchOk(url)).body.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let pos = 0; // next character of `text` to scan
  let begin = -1; // start of the element being scanned, or -1 between elements
  let depth = 0; // bracket depth; the array itself is depth 1
  let inString = false;
  let escaped = false;
  let closed = false;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    text += chunk.value;
    for (; pos < text.length && !closed; pos++) {
      const c = text.charCodeAt(pos);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
      if (depth === 0) {
        if (c !== 0x5b) throw new Error(`${url}: not a JSON array`);
        depth = 1;
        continue;
      }
      if (depth === 1 && (c === 0x2c || c === 0x5d)) {
        if (begin >= 0) yield text.slice(begin, pos);
        begin = -1;
        closed = c === 0x5d;
        continue;
      }
      if (depth === 1 && begin < 0) begin = pos;
      if (c === 0x22) inString = true;
      else if (c === 0x5b || c === 0x7b) depth++;
      else if (c === 0x5d || c === 0x7d) depth--;
    }
    const keep = begin >= 0 ? begin : pos;
    text = text.slice(keep);
    pos -= keep;
    if (begin >= 0) begin = 0;
  }
  if (!closed) throw new Error(`${url}: the JSON array is not closed`);
}

// bulkPut every row of a JSON array file into a table, in batches; returns the row count.
async function putRows(db, table, url) {
  let batch = [];
  let chars = 0;
  let count = 0;
  const flush = async () => {
    await db.table(table).bulkPut(batch);
    count += batch.length;
    batch = [];
    chars = 0;
  };
  for await (const element of arrayElements(url)) {
    batch.push(JSON.parse(element));
    chars += element.length;
    if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
  }
  if (batch.length) await flush();
  console.log(`${table}: ${count} rows put`);
  return count;
}

// The redux-persist value: every slice's JSON text as a string, plus _persist.
async function persistValue(base, persist) {
  if (persist.raw) return (await fetchOk(base + persist.raw)).text();
  const value = {};
  for (const slice of persist.slices) {
    value[slice] = await (await fetchOk(`${base}redux_export/${encodeURIComponent(slice)}.json`)).text();
  }
  value._persist = JSON.stringify({ version: persist.version, rehydrated: true });
  return JSON.stringify(value);
}

// Options: {base, tables, localStorage, persist: {slices, version} | {raw} | null, scratchKey}.
// Returns the number of rows put per table.
window.writeInitial = async (options) => {
  const db = await openThroughEveryVersion();
  const counts = {};
  try {
    for (const table of options.tables) {
      counts[table] = await putRows(db, table, `${options.base}dexie_export/${table}.json`);
    }
  } finally {
    db.close();
  }
  if (options.localStorage) {
    const entries = await (await fetchOk(options.base + options.localStorage)).json();
    for (const { key, value } of entries) {
      // The exporter JSON.parse'd each value when it could; a string stayed as it was.
      localStorage.setItem(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  if (options.persist) localStorage.setItem(PERSIST_KEY, await persistValue(options.base, options.persist));
  if (options.scratchKey) localStorage.setItem(options.scratchKey, 'removed in the next session');
  return counts;
};

// Options: {base, updatesBase, updates: {table: deletedKeys}, persist, scratchKey}. Puts the
// rows of <updatesBase><table>.json, deletes the given keys, rewrites the persist value and removes the
// scratch key. Returns {table: [rows put, keys deleted]}.
window.applyUpdates = async (options) => {
  const db = await openFinal();
  const counts = {};
  try {
    for (const [table, deleted] of Object.entries(options.updates)) {
      const put = await putRows(db, table, `${options.updatesBase}${table}.json`);
      await db.table(table).bulkDelete(deleted);
      counts[table] = [put, deleted.length];
    }
  } finally {
    db.close();
  }
  if (options.persist) localStorage.setItem(PERSIST_KEY, await persistValue(options.base, options.persist));
  if (options.scratchKey) localStorage.removeItem(options.scratchKey);
  return counts;
};
