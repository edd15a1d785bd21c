// Copy buttons: data-copy is the id of the element whose text to copy; the element "<id>-copied" says whether it worked.
document.addEventListener('click', e => {
  const button = e.target.closest('button[data-copy]');
  if (!button) return;
  const text = document.getElementById(button.dataset.copy)?.textContent?.trim() ?? '';
  const status = document.getElementById(button.dataset.copy + '-copied');
  navigator.clipboard.writeText(text).then(
    () => { if (status) status.textContent = status.dataset.done; },
    () => { if (status) status.textContent = status.dataset.failed; });
});
