// resolve.js — on a ticket's status form, shows the resolution fields (summary, cause, draft
// article) only while the chosen new status is "resolved". Without the script they stay
// visible, with a hint saying when to fill them in; the server ignores them for other statuses.

const sync = (select) => {
  const fields = select.form && select.form.querySelector("#resolve-fields");
  if (fields) fields.hidden = select.value !== "resolved";
};

const all = () => document.querySelectorAll('form select[name="status"]').forEach(sync);

document.addEventListener("change", (e) => {
  if (e.target instanceof HTMLSelectElement && e.target.name === "status") sync(e.target);
});
document.addEventListener("live:updated", all);
all();
