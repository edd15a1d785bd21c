// Admin portal: a form with data-confirm asks first in a modal dialog (keyboard: Tab between the buttons, Escape
// cancels), then submits; copy buttons (data-copy = the id of the element whose text to copy) say when it worked.
(() => {
  const dialog = document.getElementById('confirm');
  let pending = null;
  document.addEventListener('submit', e => {
    const form = e.target;
    if (!form.dataset.confirm || form.dataset.confirmed === 'yes' || !dialog) return;
    e.preventDefault();
    pending = { form, submitter: e.submitter };
    document.getElementById('confirm-text').textContent = form.dataset.confirm;
    dialog.showModal();
    document.getElementById('confirm-no').focus();
  });
  document.getElementById('confirm-yes')?.addEventListener('click', () => {
    dialog.close();
    if (!pending) return;
    pending.form.dataset.confirmed = 'yes';
    pending.form.requestSubmit(pending.submitter || undefined);
  });
  document.getElementById('confirm-no')?.addEventListener('click', () => { dialog.close(); pending = null; });
  dialog?.addEventListener('cancel', () => { pending = null; });
})();
