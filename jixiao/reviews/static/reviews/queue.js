// 审核待办: the header checkbox selects or clears every row of the pile (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("bulk-all");
  if (!all) return;
  const rows = () => Array.from(document.querySelectorAll("input.bulk-row"));
  all.addEventListener("change", () => {
    rows().forEach((box) => { box.checked = all.checked; });
  });
  document.addEventListener("change", (event) => {
    if (!event.target.classList || !event.target.classList.contains("bulk-row")) return;
    const boxes = rows();
    all.checked = boxes.length > 0 && boxes.every((box) => box.checked);
    all.indeterminate = !all.checked && boxes.some((box) => box.checked);
  });
});
