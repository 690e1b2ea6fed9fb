// Session mode (templates/week/session.html): count the ticked sets, start a rest timer after
// each set, and keep the screen awake (Screen Wake Lock API, where the browser has it).
// The form posts to the week's "done" endpoint as it would without this script.
(function () {
  "use strict";

  function clock(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  // --- the screen stays on while the session page is open ---
  let lock = null;
  async function keepAwake(note) {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      lock = await navigator.wakeLock.request("screen");
      note.textContent = "The screen stays on during the session.";
      note.hidden = false;
      lock.addEventListener("release", function () { lock = null; });
    } catch (e) {
      note.hidden = true; // refused (battery saver): the session works all the same
    }
  }
  function letSleep() {
    if (lock) lock.release();
    lock = null;
  }

  function setUp(mode) {
    const boxes = Array.prototype.slice.call(mode.querySelectorAll("[data-set]"));
    const progress = mode.querySelector("[data-progress]");
    const timer = mode.querySelector("[data-timer]");
    const left = mode.querySelector("[data-timer-left]");
    const announce = mode.querySelector("[data-announce]");
    const note = mode.querySelector("[data-wakelock]");
    let endsAt = 0;
    let tick = null;

    function count() {
      const done = boxes.filter((b) => b.checked).length;
      progress.textContent = done + " of " + boxes.length + " sets done";
      mode.classList.toggle("all-done", done === boxes.length);
      boxes.forEach(function (b) {
        const step = b.closest(".session-step");
        const mine = step.querySelectorAll("[data-set]");
        step.classList.toggle("step-done", Array.prototype.every.call(mine, (x) => x.checked));
      });
      return done;
    }

    function stop(message) {
      clearInterval(tick);
      tick = null;
      timer.hidden = true;
      if (message) announce.textContent = message;
    }

    function show() {
      const remaining = (endsAt - Date.now()) / 1000;
      left.textContent = clock(remaining);
      if (remaining <= 0) {
        stop("Rest over: next set.");
        if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      }
    }

    function rest(seconds) {
      endsAt = Date.now() + seconds * 1000;
      timer.hidden = false;
      announce.textContent = "Rest " + clock(seconds) + ".";
      show();
      clearInterval(tick);
      tick = setInterval(show, 250);
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        const done = count();
        if (box.checked && done < boxes.length) {
          rest(Number(box.closest("[data-rest]").dataset.rest) || 90);
        } else if (done === boxes.length) {
          stop("Every set done. Press Done to log the session.");
        }
      });
    });
    mode.querySelector("[data-timer-skip]").addEventListener("click", () => stop("Rest skipped."));
    mode.querySelector("[data-timer-add]").addEventListener("click", function () {
      endsAt += 30000;
      show();
    });
    count();
    keepAwake(note);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && document.contains(mode) && !lock) keepAwake(note);
    });
  }

  window.legdayEnhance("session", "[data-session-mode]", setUp);
  if (!window.legdaySession) {
    window.legdaySession = true;
    // Leaving session mode (a boosted link, or the page going away) lets the screen sleep.
    document.addEventListener("htmx:beforeSwap", letSleep);
    window.addEventListener("pagehide", letSleep);
  }
})();
