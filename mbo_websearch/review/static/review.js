// Keyboard shortcuts and register search for the review queue. Crawled text never goes
// through innerHTML: search results are built with textContent.
(() => {
  "use strict";
  const items = Array.from(document.querySelectorAll("li.candidate"));
  const help = document.getElementById("help");
  let current = 0;

  // Scroll only when moving by keyboard: scrolling under a mouse press would turn a click
  // into a press on one spot and a release on another, and the click would be lost.
  function select(index, scroll) {
    if (!items.length) return;
    current = Math.max(0, Math.min(index, items.length - 1));
    items.forEach((item, i) => item.classList.toggle("current", i === current));
    if (scroll) items[current].scrollIntoView({ block: "nearest" });
  }

  function typing(el) {
    if (!el) return false;
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && el.type !== "checkbox" && el.type !== "hidden";
  }

  function toggle(box) {
    if (box && !box.disabled) box.checked = !box.checked;
  }

  async function search(item, query) {
    const list = item.querySelector("ul.results");
    list.replaceChildren();
    query = query.trim();
    if (!query) return list;
    const response = await fetch("/zoek?q=" + encodeURIComponent(query),
      { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return list;
    const hits = await response.json();
    list.replaceChildren();
    for (const hit of hits) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "submit";
      button.name = "choice";
      button.value = "accept:" + hit.code;
      button.className = "result";
      button.textContent = hit.code + " · " + hit.title + " (" + hit.type + ", " + hit.score + ")";
      li.appendChild(button);
      list.appendChild(li);
    }
    list.dataset.query = query;
    return list;
  }

  // The archived page beside the card, in the page's sandboxed iframe (no script runs in it).
  const viewer = document.getElementById("viewer");
  function showPage(link) {
    if (!viewer || !link) return;
    const frame = document.getElementById("viewer-frame");
    frame.src = link.getAttribute("href") + "/inhoud";
    document.getElementById("viewer-open").href = link.getAttribute("href");
    const card = link.closest("li.candidate");
    const url = card ? card.querySelector(".evidence .url") : null;
    document.getElementById("viewer-url").textContent = url ? url.textContent : "";
    viewer.hidden = false;
    viewer.parentElement.classList.add("viewing");
  }
  function hidePage() {
    if (!viewer) return;
    viewer.hidden = true;
    viewer.parentElement.classList.remove("viewing");
  }
  if (viewer) {
    document.getElementById("viewer-close").addEventListener("click", hidePage);
    document.querySelectorAll("a.archived, a.page-link").forEach((link) => {
      link.addEventListener("click", (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        showPage(link);
      });
    });
  }

  items.forEach((item, i) => {
    item.addEventListener("focusin", () => select(i, false));
    item.addEventListener("click", () => select(i, false));
    const input = item.querySelector("input.search");
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(item, input.value), 150);
    });
    input.addEventListener("keydown", async (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      clearTimeout(timer);
      const list = await search(item, input.value);
      const first = list.querySelector("button.result");
      if (first) first.click();
    });
    const note = item.querySelector("input.note");
    note.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      const save = item.querySelector("button.save-note");
      if (save) save.click(); else note.blur();
    });
  });

  if (help) {
    document.getElementById("help-toggle").addEventListener("click", (e) => {
      e.preventDefault();
      help.hidden = !help.hidden;
    });
  }

  // WCAG 2.1.4: single-key shortcuts can be switched off (kept per browser).
  let keysOn = localStorage.getItem("mbo_keys") !== "off";
  const keysBox = document.getElementById("keys-enabled");
  if (keysBox) {
    keysBox.checked = keysOn;
    keysBox.addEventListener("change", () => {
      keysOn = keysBox.checked;
      localStorage.setItem("mbo_keys", keysOn ? "on" : "off");
      document.documentElement.dataset.keys = keysOn ? "on" : "off";
    });
  }

  document.addEventListener("keydown", (e) => {
    if (!keysOn) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    if (e.key === "?") {
      if (help) help.hidden = !help.hidden;
      e.preventDefault();
      return;
    }
    if (e.key === "u") {
      const undo = document.getElementById("undo-last");
      if (undo) { e.preventDefault(); undo.click(); }
      return;
    }
    const item = items[current];
    if (!item) return;
    const find = (selector) => item.querySelector(selector);
    switch (e.key) {
      case "j": case "s": select(current + 1, true); break;
      case "k": select(current - 1, true); break;
      case "1": case "2": case "3": case "4": case "5": {
        const button = find('button[data-rank="' + e.key + '"]');
        if (!button) return;
        button.click();
        break;
      }
      case "n": find("button.reject").click(); break;
      case "b": {
        const button = find("button.toggle-b2b");
        if (button) button.click(); else toggle(find("input.b2b"));
        break;
      }
      case "a": toggle(find("input.identical")); break;
      case "o": find("input.note").focus(); break;
      case "/": find("input.search").focus(); break;
      case "v": {
        if (viewer && !viewer.hidden) hidePage(); else showPage(find("a.archived"));
        break;
      }
      default: return;
    }
    e.preventDefault();
  });

  select(0, false);
  document.documentElement.dataset.keys = keysOn ? "on" : "off";  // live (tests wait for it)
})();
