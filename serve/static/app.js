// quire serve: enhancements on top of pages that work without JavaScript. Copy buttons for
// citations, "/" to focus the search box, and brushing a range of years on the histogram.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Copy a citation to the clipboard.
  for (const button of document.querySelectorAll("button.copy")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = button.dataset.copy || "";
      try {
        await navigator.clipboard.writeText(text);
      } catch (e) {
        // No clipboard permission (plain http on another host): select the text instead.
        const span = button.parentElement.querySelector(".cite-text");
        if (span) window.getSelection().selectAllChildren(span);
      }
      let note = button.nextElementSibling;
      if (!note || !note.classList.contains("copied")) {
        note = document.createElement("span");
        note.className = "copied";
        note.setAttribute("role", "status");
        button.after(note);
      }
      note.textContent = "copied";
    });
  }

  // "/" moves to the search box, as in many search tools.
  document.addEventListener("keydown", (event) => {
    const t = event.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const q = document.getElementById("q");
      if (q) {
        event.preventDefault();
        q.focus();
        q.select();
      }
    }
  });

  // Brush a range of years on the histogram: press, drag, release; a plain click keeps the link.
  for (const svg of document.querySelectorAll("svg.hist")) {
    const min = Number(svg.dataset.min), max = Number(svg.dataset.max);
    const base = svg.dataset.base || "/";
    if (!(max >= min)) continue;
    const ns = "http://www.w3.org/2000/svg";
    const brush = document.createElementNS(ns, "rect");
    brush.setAttribute("class", "brush");
    brush.setAttribute("y", "0");
    brush.setAttribute("height", "64");
    brush.setAttribute("width", "0");
    svg.appendChild(brush);
    const yearAt = (clientX) => {
      const box = svg.getBoundingClientRect();
      const f = Math.min(Math.max((clientX - box.left) / box.width, 0), 0.9999);
      return min + Math.floor(f * (max - min + 1));
    };
    const xOf = (year) => ((year - min) * 240) / (max - min + 1);
    let start = null, moved = false;
    svg.addEventListener("pointerdown", (event) => {
      start = yearAt(event.clientX);
      moved = false;
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", (event) => {
      if (start === null) return;
      const y = yearAt(event.clientX);
      if (y !== start) moved = true;
      const a = Math.min(start, y), b = Math.max(start, y);
      brush.setAttribute("x", String(xOf(a)));
      brush.setAttribute("width", String(xOf(b + 1) - xOf(a)));
    });
    svg.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const y = yearAt(event.clientX);
      const a = Math.min(start, y), b = Math.max(start, y);
      start = null;
      if (!moved) return;  // a click: the year's own link handles it
      event.preventDefault();
      const sep = base.includes("?") ? "&" : "?";
      window.location.assign(base + sep + "published=" + encodeURIComponent(a === b ? String(a) : a + ".." + b));
    });
    svg.addEventListener("click", (event) => {
      if (moved) event.preventDefault();
    });
  }
});
