/* The offline upload queue: files kept in IndexedDB until they can be sent to /upload.
   The same file runs in pages and in the service worker (importScripts), so both send a
   queued file the same way. In a page it also queues the upload form's files when the
   phone is offline and shows the queue. */
"use strict";

(function (scope) {
  const DB_NAME = "legday";
  const UPLOADS = "uploads";
  const META = "meta";
  const SYNC_TAG = "legday-upload";
  const KEEP_DONE_MS = 24 * 3600 * 1000;

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(UPLOADS)) {
          db.createObjectStore(UPLOADS, { keyPath: "id", autoIncrement: true });
        }
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  /* Run one request on one store; resolve with its result when the transaction commits. */
  async function run(store, mode, makeRequest) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = makeRequest(tx.objectStore(store));
      tx.oncomplete = () => {
        db.close();
        resolve(req.result);
      };
      tx.onerror = tx.onabort = () => {
        db.close();
        reject(tx.error);
      };
    });
  }

  /* Tell every open page that the queue changed (the worker sends files in the background). */
  const channel = "BroadcastChannel" in scope ? new scope.BroadcastChannel("legday-queue") : null;
  function announce() {
    if (channel) channel.postMessage("changed");
  }

  const Queue = {
    SYNC_TAG,
    list: () => run(UPLOADS, "readonly", (s) => s.getAll()),
    put: (item) => run(UPLOADS, "readwrite", (s) => s.put(item)),
    remove: (id) => run(UPLOADS, "readwrite", (s) => s.delete(id)),
    getMeta: (key) => run(META, "readonly", (s) => s.get(key)),
    setMeta: (key, value) => run(META, "readwrite", (s) => s.put(value, key)),

    /* Keep `files` on the device. source: "offline" (upload page) or "share" (share target).
       `user` ties an offline upload to the account it was chosen under. */
    async add(files, { source, user = null, csrf = null }) {
      const ids = [];
      for (const file of files) {
        ids.push(
          await Queue.put({
            name: file.name || "shared-file",
            type: file.type || "application/octet-stream",
            size: file.size,
            blob: file,
            source,
            user,
            csrf,
            state: "queued",
            added: Date.now(),
          }),
        );
      }
      return ids;
    },

    /* Send one file through the normal upload endpoint, as the upload form does. */
    async send(item, csrf) {
      const body = new FormData();
      body.append("files", new File([item.blob], item.name, { type: item.type }));
      body.append("csrf_token", csrf);
      const response = await fetch("/upload", {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf },
      });
      const loggedOut = response.redirected && new URL(response.url).pathname.startsWith("/auth/");
      return { status: response.status, ok: response.ok && !loggedOut, loggedOut };
    },

    /* Send the queued files of `source` that belong to `user`, oldest first.
       csrf: the page's token; without it each file's own token (the worker's case). */
    async flush({ user, source = "offline", csrf = null }) {
      const outcome = { sent: 0, failed: 0, networkError: false };
      const work = async () => {
        const items = (await Queue.list()).sort((a, b) => a.added - b.added);
        for (const item of items) {
          if (item.state === "sent" || item.state === "failed") {
            // Done: shown on the upload page for a day, then forgotten.
            if (Date.now() - item.doneAt > KEEP_DONE_MS) await Queue.remove(item.id);
            continue;
          }
          if (item.source !== source || item.user !== user) continue;
          const token = csrf || item.csrf;
          if (!token) continue;
          item.state = "sending";
          await Queue.put(item);
          let result;
          try {
            result = await Queue.send(item, token);
          } catch (error) {
            item.state = "queued";
            await Queue.put(item);
            outcome.networkError = true;
            break;
          }
          if (result.ok) {
            Object.assign(item, { state: "sent", doneAt: Date.now(), blob: null });
            outcome.sent += 1;
          } else if (result.loggedOut || (result.status === 400 && !csrf)) {
            item.state = "queued"; // a stale token or no session: the page retries later
          } else {
            Object.assign(item, { state: "failed", status: result.status, doneAt: Date.now() });
            outcome.failed += 1;
          }
          await Queue.put(item);
          announce();
        }
      };
      // One sender at a time (a page and the worker may both try when the network returns).
      if (scope.navigator && scope.navigator.locks) {
        await scope.navigator.locks.request("legday-upload-queue", work);
      } else {
        await work();
      }
      return outcome;
    },
  };
  scope.LegdayQueue = Queue;

  if (typeof document === "undefined") return; // the service worker stops here

  /* ---- in a page ---------------------------------------------------------------------- */

  const STATES = {
    queued: "waiting for a connection",
    sending: "uploading…",
    sent: "uploaded",
    failed: "not imported",
  };

  function currentUser() {
    const session = document.getElementById("legday-session");
    return (session && session.dataset.user) || null;
  }

  Queue.currentUser = currentUser;

  function csrfToken() {
    const input = document.querySelector('input[name="csrf_token"]');
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || null;
    } catch (error) {
      return null;
    }
  }

  function uploadForm(form) {
    return (
      form instanceof HTMLFormElement &&
      new URL(form.action, location.href).pathname === "/upload" &&
      form.querySelector('input[type="file"][name="files"]') &&
      form.id !== "share-upload"
    );
  }

  function queueSection() {
    let section = document.getElementById("offline-queue");
    if (section) return section;
    const form = Array.from(document.forms).find(uploadForm);
    const template = document.getElementById("offline-queue-template");
    if (!form || !template) return null;
    form.after(template.content.cloneNode(true));
    return document.getElementById("offline-queue");
  }

  async function render() {
    const section = queueSection();
    if (!section) return;
    // The offline page has no session: it shows the files of the last user the worker saw.
    const user = currentUser() || (await Queue.getMeta("user").catch(() => null));
    // Files shared into the app wait for /share/pending; offline uploads for their account.
    const items = (await Queue.list()).filter(
      (item) => item.source === "share" || (item.source === "offline" && user && item.user === user),
    );
    // Files still to send under "Waiting to upload"; the ones sent (or refused) move to
    // "Done" the moment they are done, so nothing sent stays in the waiting list.
    const done = (item) => item.source === "offline" && (item.state === "sent" || item.state === "failed");
    const waiting = items.filter((item) => !done(item));
    const finished = items.filter(done);
    section.querySelector(".queue-list").replaceChildren(...waiting.map(queueItem));
    section.querySelector(".queue-done-list").replaceChildren(...finished.map(queueItem));
    section.querySelector(".queue-waiting").hidden = waiting.length === 0;
    section.querySelector(".queue-done").hidden = finished.length === 0;
    section.hidden = items.length === 0;
  }

  function queueItem(item) {
    const li = document.createElement("li");
    li.className = "queue-item";
    li.dataset.state = item.state;
    const name = document.createElement("span");
    name.className = "queue-name";
    name.textContent = item.name;
    const state = document.createElement("span");
    state.className = "queue-state";
    state.textContent = STATES[item.state] || item.state;
    li.append(name, " ", state);
    if (item.source === "share") {
      state.textContent = "shared with Legday";
      const link = document.createElement("a");
      link.href = "/share/pending";
      link.textContent = "import it";
      li.append(" · ", link);
    } else if (item.state === "sent") {
      const link = document.createElement("a");
      link.href = "/activities";
      link.textContent = "see activities";
      li.append(" · ", link);
    }
    return li;
  }

  async function queueFrom(form) {
    const input = form.querySelector('input[type="file"][name="files"]');
    const files = Array.from(input.files || []);
    if (!files.length) return false;
    await Queue.add(files, { source: "offline", user: currentUser(), csrf: csrfToken() });
    form.reset();
    await render();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.ready
        .then((reg) => reg.sync && reg.sync.register(SYNC_TAG))
        .catch(() => {}); // no Background Sync: the next page open or `online` sends them
    }
    return true;
  }

  async function flushFromPage() {
    const user = currentUser();
    const csrf = csrfToken();
    if (!navigator.onLine || !user || !csrf) return render();
    await render();
    await Queue.flush({ user, csrf, source: "offline" });
    return render();
  }

  // Offline: keep the chosen files instead of letting the request fail. Capture phase, so it
  // runs before htmx's own submit handler.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (navigator.onLine || !uploadForm(form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      queueFrom(form);
    },
    true,
  );
  // "Online" but the request failed all the same (a dead connection): queue it too.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (form && uploadForm(form)) queueFrom(form);
  });
  window.addEventListener("online", flushFromPage);
  if (channel) channel.addEventListener("message", () => render());
  document.addEventListener("htmx:afterSettle", () => render());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flushFromPage);
  } else {
    flushFromPage();
  }
})(self);
