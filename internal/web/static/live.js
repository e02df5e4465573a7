// live.js — live updates of the ticket pages and queues, by Server-Sent Events.
//
// A page that wants them marks a container with data-live (and data-live-ticket="OPS-1042" to
// follow one ticket), and the parts that may change with data-live-region and an id. When the
// server announces a change, the page is fetched again and each region replaced by its new
// version — except a region holding a form being edited (focused or typed into), so nothing the
// user is writing is lost. The page works fully without this module.

const root = document.querySelector("[data-live]");

if (root && "EventSource" in window) {
  const ticket = root.dataset.liveTicket || "";
  const dirty = new WeakSet(); // regions with a form the user has typed into
  let timer = 0;
  let busy = false;
  let again = false;

  document.addEventListener("input", (e) => {
    const region = e.target.closest("[data-live-region]");
    if (region) dirty.add(region);
  });
  document.addEventListener("submit", (e) => {
    const region = e.target.closest("[data-live-region]");
    if (region) dirty.delete(region);
  });

  const editing = (region) =>
    dirty.has(region) || (document.activeElement && region.contains(document.activeElement) &&
      document.activeElement.matches("input, textarea, select"));

  const notice = () => {
    let n = document.getElementById("live-notice");
    if (!n) {
      n = document.createElement("p");
      n.id = "live-notice";
      n.className = "live-notice";
      n.setAttribute("role", "status");
      document.body.appendChild(n);
    }
    n.textContent = root.dataset.liveUpdated || "Updated";
    n.hidden = false;
    clearTimeout(n.hideTimer);
    n.hideTimer = setTimeout(() => { n.hidden = true; }, 4000);
  };

  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!res.ok || res.redirected) return;
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      let changed = false;
      for (const region of document.querySelectorAll("[data-live-region]")) {
        const fresh = region.id && doc.getElementById(region.id);
        if (!fresh || editing(region) || fresh.innerHTML === region.innerHTML) continue;
        region.replaceWith(document.importNode(fresh, true));
        changed = true;
      }
      if (changed) {
        document.dispatchEvent(new CustomEvent("live:updated"));
        notice();
      }
    } catch (err) {
      // A failed refresh is retried with the next change.
    } finally {
      busy = false;
      if (again) { again = false; schedule(); }
    }
  };

  // schedule gathers a burst of changes (one action makes several) into one refresh.
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  };

  const url = "/events" + (ticket ? "?ticket=" + encodeURIComponent(ticket) : "");
  const source = new EventSource(url);
  source.addEventListener("open", () => { root.dataset.liveState = "open"; });
  source.addEventListener("error", () => { root.dataset.liveState = "closed"; });
  source.addEventListener("ticket", (e) => {
    let change;
    try { change = JSON.parse(e.data); } catch { return; }
    if (!ticket || change.key === ticket) schedule();
  });
  window.addEventListener("pagehide", () => source.close());
}
