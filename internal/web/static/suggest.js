// suggest.js — knowledge suggestions, on two pages.
//
// The portal's request form marks its suggestion area with data-suggest (the URL to ask). After
// a pause in typing the subject, the published articles matching it are fetched as JSON and
// listed, each link recording the visit's deflection on the server before it opens the article.
// The form's "Search help articles" button does the same without JavaScript (a full page).
//
// The agent's ticket page marks the searched lists of its Knowledge panel (similar resolved
// tickets, relevant articles) with data-kb-lists (the URL of the fragment): they cost full-text
// searches, so the page comes without them and they are fetched once it is shown. The panel's
// link to the page with them stays for a browser without JavaScript, or if the fetch fails.

const box = document.querySelector("[data-suggest]");
const subject = document.getElementById("request-subject");
const visit = document.querySelector("input[name=visit]");
const results = document.getElementById("suggest-results");

if (box && subject && visit && results && "fetch" in window) {
  let timer = 0;
  let last = subject.value.trim();
  let seq = 0;

  // highlighted writes an opsdesk.Highlighted into el as text, the matched words in <mark>.
  const highlighted = (el, fragments) => {
    for (const f of fragments || []) {
      if (f.match) {
        const m = document.createElement("mark");
        m.textContent = f.text;
        el.append(m);
      } else {
        el.append(document.createTextNode(f.text));
      }
    }
  };

  const show = (articles) => {
    const h = document.createElement("h2");
    h.className = "suggest-h";
    h.textContent = box.dataset.title;
    const parts = [h];
    if (articles.length === 0) {
      const p = document.createElement("p");
      p.className = "empty";
      p.id = "suggest-list";
      p.textContent = box.dataset.none;
      parts.push(p);
    } else {
      const ul = document.createElement("ul");
      ul.className = "kb-hits";
      ul.id = "suggest-list";
      for (const a of articles) {
        const li = document.createElement("li");
        li.dataset.article = String(a.id);
        const link = document.createElement("a");
        link.href = a.url; // a same-origin path built by the server
        link.target = "_blank";
        link.rel = "noopener";
        highlighted(link, a.title);
        li.append(link);
        if (a.snippet && a.snippet.length) {
          const p = document.createElement("p");
          p.className = "meta snippet";
          highlighted(p, a.snippet);
          li.append(p);
        }
        ul.append(li);
      }
      parts.push(ul);
    }
    results.replaceChildren(...parts);
  };

  const ask = async () => {
    const q = subject.value.trim();
    if (q === last) return;
    last = q;
    const mine = ++seq;
    if (q.length < 3) {
      results.replaceChildren();
      return;
    }
    const url = box.dataset.suggest + "?q=" + encodeURIComponent(q) + "&visit=" + encodeURIComponent(visit.value);
    try {
      const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!r.ok || mine !== seq) return;
      const body = await r.json();
      if (mine === seq) show(body.articles || []);
    } catch {
      // Suggestions are a help, never in the way: the button still works.
    }
  };

  subject.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 500);
  });
}

const kbLists = document.querySelector("[data-kb-lists]");

if (kbLists && "fetch" in window && "DOMParser" in window) {
  (async () => {
    kbLists.setAttribute("aria-busy", "true");
    try {
      const r = await fetch(kbLists.dataset.kbLists, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!r.ok) return;
      // The server's own escaped HTML (no script: the CSP would refuse it anyway).
      const doc = new DOMParser().parseFromString(await r.text(), "text/html");
      kbLists.replaceChildren(...doc.body.childNodes);
    } catch {
      // The link to the page with the lists still works.
    } finally {
      kbLists.removeAttribute("aria-busy");
    }
  })();
}
