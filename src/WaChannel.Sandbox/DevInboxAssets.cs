namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The dev inbox's stylesheet and script, served from /dev/inbox/ so the tool stands on its own (the page's CSP
/// allows same-origin scripts and styles only). Colours keep text at 4.5:1 or more on its background.
/// </summary>
internal static class DevInboxAssets
{
    public const string Css = """
        :root { --ink: #1d2a24; --muted: #4f5e57; --line: #d3ddd7; --bg: #f3f6f4; --accent: #0a6b37; --err: #b3261e; --out: #ffffff; --in: #dcf3e4; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.4; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #1a56db; outline-offset: 2px; }
        .bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 4px 16px; padding: 8px 16px; background: #fff; border-bottom: 1px solid var(--line); }
        .bar h1 { font-size: 1.25rem; margin: 0; }
        .bar h1 a { color: var(--ink); text-decoration: none; }
        .tag { font-size: .75rem; font-weight: 600; background: #fde9b6; color: #5c3d00; padding: 2px 8px; border-radius: 999px; vertical-align: middle; }
        .live { margin: 0; font-size: .875rem; color: var(--accent); }
        .live.off { color: var(--err); }
        .layout { display: grid; grid-template-columns: 220px minmax(0, 1fr) 340px; gap: 16px; padding: 16px; max-width: 1500px; margin: 0 auto; }
        h2 { font-size: 1.05rem; margin: 0 0 8px; }
        .side ul { list-style: none; margin: 0; padding: 0; }
        .side a { display: flex; justify-content: space-between; gap: 8px; padding: 6px 8px; border-radius: 6px; text-decoration: none; color: var(--ink); overflow-wrap: anywhere; }
        .side a[aria-current] { background: #fff; font-weight: 600; box-shadow: inset 3px 0 0 var(--accent); }
        .side .count { color: var(--muted); font-size: .8rem; }
        ol.messages { list-style: none; margin: 0 0 16px; padding: 0; display: flex; flex-direction: column; gap: 8px; }
        .msg { background: var(--out); border: 1px solid var(--line); border-radius: 10px; padding: 8px 12px; max-width: 100%; }
        .conversation .msg { max-width: 85%; }
        .conversation .msg.in { align-self: flex-end; }
        .msg.in { background: var(--in); }
        .msg p { margin: 0 0 4px; }
        .meta { font-size: .8rem; color: var(--muted); }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; }
        .code code { font-size: 1.1rem; font-weight: 700; letter-spacing: .05em; white-space: nowrap; }
        .replies { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 8px; }
        .replies button.reply { flex: 1 1 120px; max-width: 240px; background: #fff; color: #0b5c8f; border: 1px solid #9fb8c9; font-weight: 600; }
        .acts { font-size: .85rem; }
        .acts .label { color: var(--muted); }
        .empty { color: var(--muted); }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; margin-bottom: 16px; }
        .panel form { margin: 0 0 12px; }
        .panel p { margin: 0 0 8px; }
        .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; }
        label { display: block; font-weight: 600; font-size: .875rem; margin-bottom: 2px; }
        .check label { display: inline; font-weight: 400; }
        input:not([type=checkbox]), select, textarea { width: 100%; padding: 8px 10px; font: inherit; color: var(--ink); border: 1px solid #7d8c84; border-radius: 6px; background: #fff; }
        button { font: inherit; padding: 8px 14px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
        button.small, button.copy { padding: 3px 10px; font-size: .85rem; background: #e4ece7; color: var(--ink); border: 1px solid #b5c3bb; }
        .device-act.inline { display: inline-block; margin-right: 8px; }
        .device-act.inline button { background: #e4ece7; color: var(--ink); border: 1px solid #b5c3bb; }
        .device-qr { width: 200px; max-width: 100%; }
        .device-qr svg { width: 100%; height: auto; }
        .error, .form-error { color: var(--err); font-weight: 600; }
        .form-done { color: var(--accent); margin: 0; min-height: 0; }
        .form-done:empty { display: none; }
        code { overflow-wrap: anywhere; }
        @media (max-width: 1100px) { .layout { grid-template-columns: 200px minmax(0, 1fr); } .tools { grid-column: 1 / -1; } }
        @media (max-width: 720px) {
          .layout { grid-template-columns: minmax(0, 1fr); padding: 8px; gap: 8px; }
          .side ul { display: flex; gap: 4px; overflow-x: auto; padding-bottom: 4px; }
          .side a { white-space: nowrap; background: #fff; border: 1px solid var(--line); }
          .fields { grid-template-columns: 1fr; }
          .conversation .msg { max-width: 95%; }
        }
        """;

    public const string Script = """
        (() => {
          const live = document.getElementById('live');
          const shown = {};
          for (const id of ['phones', 'messages', 'device']) { const el = document.getElementById(id); if (el) shown[id] = el.innerHTML; }
          const patch = parts => {
            for (const id of Object.keys(shown)) {
              if (parts[id] === undefined || parts[id] === shown[id]) continue;
              document.getElementById(id).innerHTML = parts[id];
              shown[id] = parts[id];
            }
          };
          if ('EventSource' in window) {
            const phone = document.getElementById('messages').dataset.phone;
            const events = new EventSource('/dev/inbox/events' + (phone ? '?to=' + encodeURIComponent(phone) : ''));
            events.onopen = () => { live.textContent = 'Live: new messages appear without reloading'; live.classList.remove('off'); };
            events.onmessage = e => patch(JSON.parse(e.data));
            events.onerror = () => { live.textContent = 'Connection lost, reconnecting…'; live.classList.add('off'); };
          }
          document.addEventListener('click', e => {
            const copy = e.target.closest('button.copy');
            if (!copy) return;
            navigator.clipboard.writeText(copy.dataset.code).then(() => { copy.textContent = 'Copied'; }, () => { copy.textContent = 'Copy failed: select the code'; });
          });
          document.addEventListener('submit', async e => {
            const form = e.target;
            if (!form.classList.contains('act')) return;
            e.preventDefault();
            const error = form.querySelector('.form-error');
            const done = form.querySelector('.form-done');
            const body = new FormData(form, e.submitter);
            if (e.submitter) e.submitter.disabled = true;
            try {
              // getAttribute: the device forms have a field named "action", which shadows form.action.
              const r = await fetch(form.getAttribute('action'), { method: 'POST', body, headers: { Accept: 'application/json' } });
              if (r.ok) {
                error.hidden = true;
                error.textContent = '';
                if (done) done.textContent = 'Done.';
                form.querySelectorAll('textarea, input[name=text], input[name=code]').forEach(i => { i.value = ''; });
              } else {
                let detail = 'The sandbox refused this (HTTP ' + r.status + '). Reload the page and try again.';
                try { detail = (await r.json()).detail || detail; } catch { }
                if (done) done.textContent = '';
                error.textContent = detail;
                error.hidden = false;
              }
            } catch {
              error.textContent = 'The app did not answer. Is it still running?';
              error.hidden = false;
            } finally {
              if (e.submitter) e.submitter.disabled = false;
            }
          });
        })();
        """;
}
