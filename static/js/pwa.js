/* Legday as an installed app: registers the service worker, offers installation (a button
   where the browser can install, the "Add to Home Screen" steps on iOS Safari), says when a
   page is a saved copy, and sends files shared into the app from /share/pending. */
"use strict";

(function () {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }

  const DISMISSED = "legday-install-hint-dismissed";
  let installPrompt = null;

  function standalone() {
    return (
      navigator.standalone === true ||
      window.matchMedia("(display-mode: standalone)").matches ||
      window.matchMedia("(display-mode: minimal-ui)").matches
    );
  }

  function iosSafari() {
    const ua = navigator.userAgent;
    const ios =
      /iPhone|iPad|iPod/.test(ua) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    return ios && /Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS|GSA\//.test(ua);
  }

  function dismissed() {
    try {
      return localStorage.getItem(DISMISSED) === "1";
    } catch (error) {
      return false;
    }
  }

  /* Put a copy of <template id=...> at the top of <main>, once. */
  function showTemplate(templateId, elementId) {
    const main = document.getElementById("main");
    const template = document.getElementById(templateId);
    if (!main || !template || document.getElementById(elementId)) return null;
    main.prepend(template.content.cloneNode(true));
    return document.getElementById(elementId);
  }

  function showInstallHint() {
    // For people who use Legday (logged in), small, until they dismiss it.
    if (standalone() || dismissed() || !window.LegdayQueue || !LegdayQueue.currentUser()) return;
    const platform = iosSafari() ? "ios" : installPrompt ? "prompt" : null;
    if (!platform) return;
    const hint = showTemplate("install-hint-template", "install-hint");
    if (!hint) return;
    hint.dataset.platform = platform;
    hint.querySelectorAll("[data-for]").forEach((el) => {
      el.hidden = el.dataset.for !== platform;
    });
    hint.querySelector("[data-action=install]").addEventListener("click", async () => {
      if (!installPrompt) return;
      installPrompt.prompt();
      await installPrompt.userChoice;
      installPrompt = null;
      hint.remove();
    });
    hint.querySelector("[data-action=dismiss]").addEventListener("click", () => {
      try {
        localStorage.setItem(DISMISSED, "1");
      } catch (error) {
        /* private mode: hide it for this page only */
      }
      hint.remove();
    });
  }

  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // offer our own button instead of the browser's mini bar
    installPrompt = event;
    showInstallHint();
  });
  window.addEventListener("appinstalled", () => {
    installPrompt = null;
    const hint = document.getElementById("install-hint");
    if (hint) hint.remove();
  });

  /* One message per state: a page opened offline is the saved copy ("saved"); a page opened
     online that lost the connection is current but its links wait ("live"); the offline page
     says it has no saved copy itself, so it gets no banner. */
  let openedOffline = !navigator.onLine;

  function showOfflineBanner() {
    let banner = document.getElementById("offline-banner");
    if (navigator.onLine || document.getElementById("offline-page")) {
      if (banner) banner.remove();
      return;
    }
    banner = banner || showTemplate("offline-banner-template", "offline-banner");
    if (!banner) return;
    const state = openedOffline ? "saved" : "live";
    banner.dataset.state = state;
    banner.querySelectorAll("[data-for]").forEach((el) => {
      el.hidden = el.dataset.for !== state;
    });
  }
  window.addEventListener("online", showOfflineBanner);
  window.addEventListener("offline", showOfflineBanner);

  /* A form sent with no connection (a swap, "done", a setting) must not fail silently: say it
     needs the connection, next to the form. The upload form queues its files instead. */
  function offlineNotice(form) {
    let note = form.nextElementSibling;
    if (!note || !note.classList.contains("offline-note")) {
      note = document.createElement("p");
      note.className = "offline-note";
      note.setAttribute("role", "alert");
      form.after(note);
    }
    note.textContent = "You are offline: this needs a connection. Nothing was changed; try again when you are back online.";
  }
  function uploadForm(form) {
    return new URL(form.action, location.href).pathname === "/upload" || form.id === "share-upload";
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (navigator.onLine || !form || uploadForm(form)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    event.preventDefault();
    offlineNotice(form);
  });
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (form && !uploadForm(form)) offlineNotice(form);
  });

  /* ---- /share/pending: files shared into the app (share target or file handler) ---------- */

  let sending = false;

  async function sendShared() {
    const form = document.getElementById("share-upload");
    if (!form || sending || !window.LegdayQueue) return;
    const items = (await LegdayQueue.list()).filter((item) => item.source === "share");
    if (!items.length) return;
    sending = true;
    const status = document.getElementById("share-status");
    const count = items.length === 1 ? "1 shared file" : `${items.length} shared files`;
    if (!navigator.onLine) {
      // Hand them to the offline queue of this account; they go when the network is back.
      const user = LegdayQueue.currentUser();
      const csrf = form.querySelector('input[name="csrf_token"]').value;
      for (const item of items) await LegdayQueue.put({ ...item, source: "offline", user, csrf });
      status.textContent = `You are offline: ${count} will upload when you are back online.`;
      sending = false;
      return;
    }
    const files = new DataTransfer();
    for (const item of items) files.items.add(new File([item.blob], item.name, { type: item.type }));
    form.querySelector('input[name="files"]').files = files.files;
    status.textContent = `Importing ${count}…`;
    const ids = items.map((item) => item.id);
    if (!window.htmx) {
      for (const id of ids) await LegdayQueue.remove(id);
      form.submit();
      return;
    }
    // The form is boosted: htmx posts it to /upload and shows the result page in its place.
    // (On the form itself: once swapped out, its events no longer reach the document.)
    form.addEventListener(
      "htmx:afterRequest",
      async (event) => {
        sending = false;
        if (!event.detail.successful) {
          const kept = items.length === 1 ? "The shared file stays" : "The shared files stay";
          status.textContent = `The upload did not get through. ${kept} on this phone: reload the page to try again.`;
          return;
        }
        for (const id of ids) await LegdayQueue.remove(id);
      },
      { once: true },
    );
    form.requestSubmit();
  }

  if ("launchQueue" in window) {
    // Desktop Chromium opened a .fit/.gpx/... with Legday (manifest file_handlers).
    window.launchQueue.setConsumer(async (params) => {
      if (!params.files || !params.files.length || !window.LegdayQueue) return;
      const files = await Promise.all(params.files.map((handle) => handle.getFile()));
      await LegdayQueue.add(files, { source: "share" });
      sendShared();
    });
  }

  function onPage(event) {
    if (event && event.type === "htmx:afterSettle" && event.detail && event.detail.boosted) {
      openedOffline = !navigator.onLine; // a boosted navigation: what is shown now was fetched now
    }
    showInstallHint();
    showOfflineBanner();
    sendShared();
  }
  document.addEventListener("htmx:afterSettle", onPage);
  // After DOMContentLoaded, so that htmx (deferred after this script) is there.
  if (document.readyState === "complete") onPage();
  else document.addEventListener("DOMContentLoaded", onPage);
})();
