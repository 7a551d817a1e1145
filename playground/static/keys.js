// Keyboard shortcuts for the classroom: space = Play/Pause, → or s = Step, r = Reset,
// f = presenter mode. They press the page's own Streamlit controls (found by their st-key-* class),
// so a shortcut does exactly what a click does. Nothing fires while the user types in a field.

const SHORTCUTS = {
  " ": ".st-key-play button",
  ArrowRight: ".st-key-step button",
  s: ".st-key-step button",
  r: ".st-key-reset button",
  f: ".st-key-present input",
};

function typingIn(target) {
  if (!target || !target.closest) return false;
  return !!target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='combobox'], [role='slider']");
}

function hookKeys() {
  if (window.__nnpgKeys) return;  // once per page, however often the element mounts
  window.__nnpgKeys = true;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
    if (event.key === " " && event.target.closest && event.target.closest("button")) return;  // it clicks itself
    const selector = SHORTCUTS[event.key] || SHORTCUTS[event.key.toLowerCase()];
    const control = selector && document.querySelector(selector);
    if (!control || control.disabled) return;
    event.preventDefault();
    control.click();
  });
}
