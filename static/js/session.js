// Session mode (templates/week/session.html): count the ticked sets, start a rest timer after
// each set, count down timed holds, and keep the screen awake (Screen Wake Lock API, where the
// browser has it). Ticked sets are kept on the phone (localStorage, keyed by user, week and
// session) so that a reload or a locked phone loses none; they are cleared when the session
// is marked done. The form posts to the week's "done" endpoint as it would without this script.
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
    const holdTimer = mode.querySelector("[data-hold-timer]");
    const holdLeft = mode.querySelector("[data-hold-left]");
    const holdName = mode.querySelector("[data-hold-name]");
    const key = mode.dataset.sessionKey;
    let endsAt = 0;
    let tick = null;
    let hold = null; // {step, endsAt, tick} while a hold counts down

    // --- ticks kept on the phone: {"at": seconds, "sets": [indexes of the ticked boxes]} ---
    function stored() {
      try {
        const kept = JSON.parse(localStorage.getItem(key) || "null");
        const doneAt = Number(mode.dataset.doneAt || 0);
        // Marked done since (on the week page, or another phone): those ticks are logged.
        return kept && Array.isArray(kept.sets) && !(doneAt && kept.at <= doneAt) ? kept.sets : [];
      } catch (e) { return []; }
    }
    function save() {
      if (!key) return;
      const ticked = boxes.map((b, i) => (b.checked ? i : -1)).filter((i) => i >= 0);
      try {
        if (ticked.length) {
          localStorage.setItem(key, JSON.stringify({ at: Math.floor(Date.now() / 1000), sets: ticked }));
        } else {
          localStorage.removeItem(key);
        }
      } catch (e) { /* private mode, storage full: the session works all the same */ }
    }
    if (key) {
      stored().forEach(function (i) { if (boxes[i]) boxes[i].checked = true; });
    }

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

    // --- timed holds: "Start 40 s hold" counts down, then ticks the set and starts the rest ---
    function endHold(message) {
      if (!hold) return;
      clearInterval(hold.tick);
      hold.button.disabled = false;
      hold = null;
      holdTimer.hidden = true;
      if (message) announce.textContent = message;
    }
    function showHold() {
      const remaining = (hold.endsAt - Date.now()) / 1000;
      holdLeft.textContent = clock(remaining);
      if (remaining > 0) return;
      const step = hold.step;
      endHold("Hold done.");
      if (navigator.vibrate) navigator.vibrate(300);
      const next = Array.prototype.find.call(step.querySelectorAll("[data-set]"), (b) => !b.checked);
      if (next) {
        next.checked = true;
        next.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    mode.querySelectorAll("[data-hold-start]").forEach(function (button) {
      const step = button.closest("[data-hold]");
      button.hidden = false;
      button.addEventListener("click", function () {
        endHold();
        stop();
        const seconds = Number(step.dataset.hold) || 30;
        hold = { step: step, button: button, endsAt: Date.now() + seconds * 1000, tick: null };
        button.disabled = true;
        holdName.textContent = "Hold: " + step.querySelector("h2").textContent;
        holdTimer.hidden = false;
        announce.textContent = "Hold " + clock(seconds) + ".";
        showHold();
        hold.tick = setInterval(showHold, 250);
      });
    });
    mode.querySelector("[data-hold-stop]").addEventListener("click", () => endHold("Hold stopped."));
    mode.querySelector("[data-session-form]").addEventListener("submit", function () {
      if (key) localStorage.removeItem(key); // marked done: the next visit starts afresh
    });

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        save();
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
