/* Legday's service worker. Served by webapp/views/pwa.py at /sw.js, which fills in the
   version (a hash of the app shell) and the list of shell URLs. */
"use strict";

importScripts("/static/js/offline-queue.js");

const VERSION = "__VERSION__";
const SHELL = "__SHELL__";
const OFFLINE_URL = "__OFFLINE_URL__";
const SHELL_CACHE = "legday-shell-" + VERSION;
const SHELL_PREFIX = "legday-shell-";
const PAGE_PREFIX = "legday-pages-";
const SHELL_PATHS = new Set(SHELL);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.method === "POST") {
    if (url.pathname === "/share") event.respondWith(receiveShare(request));
    else if (url.pathname === "/auth/logout") event.respondWith(logOut(request));
    return;
  }
  if (request.method !== "GET") return;
  if (SHELL_PATHS.has(url.pathname)) {
    event.respondWith(fromShell(request));
  } else if (
    request.mode === "navigate" ||
    request.headers.get("HX-Boosted") === "true" ||
    request.headers.get("HX-History-Restore-Request") === "true" // Back (no DOM snapshots)
  ) {
    event.respondWith(networkFirst(event, request));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === LegdayQueue.SYNC_TAG) event.waitUntil(flushFromWorker());
});

async function fromShell(request) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  return hit || fetch(request);
}

/* Pages: the network first; the last good copy of this user's page when there is none. */
async function networkFirst(event, request) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const saved = await savedPage(request.url);
    if (saved) return saved;
    const offline = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
    return offline || Response.error();
  }
  event.waitUntil(remember(response.clone(), request.url));
  return response;
}

function pageKey(url) {
  // "/week?source=pwa" (the start URL) and "/week" are the same page.
  const clean = new URL(url);
  clean.searchParams.delete("source");
  clean.hash = "";
  return clean.href;
}

async function remember(response, requestUrl) {
  if (response.status !== 200 || response.headers.get("X-Legday-Page") !== "full") return;
  // Every logged-in page is no-store for the browser's own cache (Back after logging out);
  // the pages never to keep on the phone (a new API token) say so with their own header.
  if (response.headers.get("X-Legday-Save") === "no") return;
  const key = response.headers.get("X-Legday-Cache-Key");
  // A page for nobody (logged out): nobody's pages stay on this device.
  await dropPages(key);
  await LegdayQueue.setMeta("user", key || null);
  if (!key) return;
  const headers = new Headers(response.headers);
  headers.delete("Vary");
  headers.set("X-Legday-Saved", new Date().toISOString());
  // A fresh Response: a redirected one cannot answer a navigation later.
  const copy = new Response(await response.blob(), { status: 200, headers });
  const cache = await caches.open(PAGE_PREFIX + key);
  await cache.put(pageKey(response.url || requestUrl), copy);
}

async function savedPage(url) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PAGE_PREFIX)) continue;
    const cache = await caches.open(name);
    const hit = await cache.match(pageKey(url), { ignoreVary: true, ignoreSearch: false });
    if (hit) return hit;
  }
  return null;
}

/* Drop every user's saved pages except those of `keepKey` (null: drop all). */
async function dropPages(keepKey) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGE_PREFIX) && name !== PAGE_PREFIX + keepKey) await caches.delete(name);
  }
}

async function logOut(request) {
  await dropPages(null);
  await LegdayQueue.setMeta("user", null);
  return fetch(request);
}

/* Web Share Target: keep the shared files on the device, then let /share/pending send them
   with the person's session (after a login, if they are logged out). */
async function receiveShare(request) {
  // The share sheet sends no referrer; a page of another site posting here is not a share.
  if (request.referrer && new URL(request.referrer).origin !== self.location.origin) {
    return fetch(request);
  }
  let files = [];
  try {
    const form = await request.clone().formData();
    files = form.getAll("files").filter((f) => typeof f !== "string" && f.size > 0);
  } catch (error) {
    files = [];
  }
  if (!files.length) return fetch(request);
  await LegdayQueue.add(files, { source: "share" });
  return Response.redirect("/share/pending", 303);
}

async function flushFromWorker() {
  const user = await LegdayQueue.getMeta("user");
  if (!user) return;
  // Uses the CSRF token each file was queued with; the page retries with a fresh one.
  const outcome = await LegdayQueue.flush({ user, source: "offline" });
  if (outcome.networkError) throw new Error("still offline"); // let Background Sync retry
}
