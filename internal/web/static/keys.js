// keys.js — keyboard shortcuts. On a list of tickets, j and k move a visible focus between
// the rows and Enter opens the focused one; on a ticket, r goes to the reply box; ? shows the
// shortcuts. Every action stays reachable with Tab; the keys only save steps.

const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

const rows = () => Array.from(document.querySelectorAll("table.tickets tbody tr[data-href]"));

let current = -1; // the focused row's index, kept across live refreshes of the list
let replyPending = false; // r was pressed: the reply box gets the focus when it is released

const focusRow = (i) => {
  const list = rows();
  if (list.length === 0) return;
  current = Math.max(0, Math.min(list.length - 1, i));
  for (const r of list) r.classList.remove("current");
  const row = list[current];
  row.classList.add("current");
  row.tabIndex = -1;
  row.focus();
  row.scrollIntoView({ block: "nearest" });
};

document.addEventListener("live:updated", () => {
  if (current >= 0 && document.activeElement === document.body) focusRow(current);
});

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  const help = document.getElementById("keys-help");
  if (help && help.open) return; // the dialog handles Esc and Tab itself
  switch (e.key) {
    case "j":
    case "k": {
      if (rows().length === 0) return;
      e.preventDefault();
      const list = rows();
      const at = list.indexOf(document.activeElement);
      const from = at >= 0 ? at : current;
      focusRow(from < 0 ? 0 : from + (e.key === "j" ? 1 : -1));
      break;
    }
    case "Enter": {
      const row = document.activeElement;
      if (row && row.matches("tr[data-href]")) {
        e.preventDefault();
        location.href = row.dataset.href;
      }
      break;
    }
    case "r": {
      // The box gets the focus when the key is released, so the r itself is never typed in it.
      if (document.getElementById("reply-body")) {
        e.preventDefault();
        replyPending = true;
      }
      break;
    }
    case "?": {
      if (help && typeof help.showModal === "function") {
        e.preventDefault();
        help.showModal();
      }
      break;
    }
  }
});

document.addEventListener("keyup", (e) => {
  if (e.key !== "r" || !replyPending) return;
  replyPending = false;
  const box = document.getElementById("reply-body");
  box.focus();
  box.scrollIntoView({ block: "center" });
});

// A click on a row of a list opens it, as its link does.
document.addEventListener("click", (e) => {
  const row = e.target.closest("table.tickets tr[data-href]");
  if (row && !e.target.closest("a, button, input, select, textarea")) location.href = row.dataset.href;
});

// The impact of a request is required for some severities: mark the field as the choice changes.
const impactMark = document.querySelector(".field.impact .req");
for (const radio of document.querySelectorAll('input[name="severity"]')) {
  radio.addEventListener("change", () => {
    if (impactMark) impactMark.hidden = !document.querySelector('input[name="severity"][data-requires-impact]:checked');
  });
}
