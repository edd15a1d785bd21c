// Passkey ceremonies for forms marked data-passkey="create" or "get": the button asks the page for options (a POST
// with the form's antiforgery token), the browser's WebAuthn API answers, and the answer is posted in the form's
// "Credential" field. A form with data-conditional="true" also offers passkeys in the username field's autofill.
(() => {
  'use strict';
  if (!window.PublicKeyCredential) return;

  const toBytes = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
  const toText = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  // Fido2's JSON writes absent members as null; WebAuthn's dictionaries want them left out.
  const dropNulls = o => Array.isArray(o) ? o.map(dropNulls)
    : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)])) : o;

  function creationOptions(json) {
    const o = dropNulls(json);
    o.challenge = toBytes(o.challenge);
    o.user.id = toBytes(o.user.id);
    (o.excludeCredentials || []).forEach(c => { c.id = toBytes(c.id); });
    return o;
  }

  function requestOptions(json) {
    const o = dropNulls(json);
    o.challenge = toBytes(o.challenge);
    (o.allowCredentials || []).forEach(c => { c.id = toBytes(c.id); });
    return o;
  }

  function answer(credential) {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    const r = credential.response;
    const response = r.attestationObject
      ? { attestationObject: toText(r.attestationObject), clientDataJSON: toText(r.clientDataJSON), transports: r.getTransports ? r.getTransports() : [] }
      : { authenticatorData: toText(r.authenticatorData), clientDataJSON: toText(r.clientDataJSON), signature: toText(r.signature),
          userHandle: r.userHandle ? toText(r.userHandle) : null };
    return { id: credential.id, rawId: toText(credential.rawId), type: credential.type, response,
      clientExtensionResults: credential.getClientExtensionResults() };
  }

  async function options(form) {
    const token = form.querySelector('input[name="__RequestVerificationToken"]').value;
    const res = await fetch(form.dataset.options, { method: 'POST', headers: { RequestVerificationToken: token }, credentials: 'same-origin' });
    if (!res.ok) throw new Error(res.status === 429 ? 'limit' : 'options');
    return res.json();
  }

  function submit(form, credential) {
    form.querySelector('input[name="Credential"]').value = JSON.stringify(answer(credential));
    form.submit();
  }

  function showError(form, e) {
    const box = form.querySelector('[data-passkey-error]');
    if (!box) return;
    box.textContent = e && e.message === 'limit' ? form.dataset.limitText : form.dataset.errorText;
    box.hidden = false;
  }

  let conditional = null;

  async function run(form, button) {
    if (conditional) conditional.abort();
    button.disabled = true;
    try {
      const json = await options(form);
      const credential = form.dataset.passkey === 'create'
        ? await navigator.credentials.create({ publicKey: creationOptions(json) })
        : await navigator.credentials.get({ publicKey: requestOptions(json) });
      if (credential) submit(form, credential);
    } catch (e) {
      showError(form, e);
    } finally {
      button.disabled = false;
    }
  }

  async function offerInAutofill(form) {
    if (!PublicKeyCredential.isConditionalMediationAvailable || !await PublicKeyCredential.isConditionalMediationAvailable()) return;
    conditional = new AbortController();
    try {
      const json = await options(form);
      const credential = await navigator.credentials.get({ publicKey: requestOptions(json), mediation: 'conditional', signal: conditional.signal });
      if (credential) submit(form, credential);
    } catch { /* aborted by the button, or nothing chosen: the password form still works */ }
  }

  document.querySelectorAll('form[data-passkey]').forEach(form => {
    form.hidden = false;
    const button = form.querySelector('[data-passkey-start]');
    button.addEventListener('click', () => run(form, button));
    if (form.dataset.conditional === 'true') offerInAutofill(form);
  });
})();
