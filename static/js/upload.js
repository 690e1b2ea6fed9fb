// Upload page: drag and drop on desktop, and a progress bar for each upload.
// Without this script the form is a plain multipart POST that renders the results page.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const status = document.getElementById("upload-status");
  const bar = document.getElementById("upload-progress");
  const text = document.getElementById("upload-progress-text");
  let count = 0;

  function show(value, message) {
    status.hidden = false;
    bar.value = value;
    bar.textContent = Math.round(value) + "%";
    text.textContent = message;
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    form.requestSubmit();
  });

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target !== form) return;
    count = input.files.length;
    show(0, "Uploading " + count + (count === 1 ? " file…" : " files…"));
  });
  form.addEventListener("htmx:xhr:progress", function (event) {
    if (!event.detail.lengthComputable || !event.detail.total) return;
    const pct = (100 * event.detail.loaded) / event.detail.total;
    show(pct, pct >= 100 ? "Uploaded; reading the files…" : "Uploading… " + Math.round(pct) + "%");
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.target !== form) return;
    const xhr = event.detail.xhr;
    if (event.detail.successful || (xhr && xhr.status === 422)) {
      show(100, xhr && xhr.status === 422 ? "Nothing was uploaded." :
        "Uploaded: " + count + (count === 1 ? " file" : " files") + ". What became of " +
        (count === 1 ? "it" : "them") + " is below.");
      form.reset();
    } else if (xhr && xhr.status === 413) {
      show(0, "That upload is too large. Try fewer files at a time.");
    } else {
      show(0, "The upload did not get through. Check your connection and try again.");
    }
  });
})();
