// A tiny "browser" for the RP tests: plain fetch without automatic redirects, a cookie jar per instance, and the
// login forms filled in like a user would: the WhatsApp OTP login (phone, then the code the sandbox channel delivered,
// read from the dev inbox's JSON API as the user would read it on the phone) or the password page.

export class Browser {
  constructor() { this.jar = new Map(); this.visited = []; }

  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      const expired = attrs.some(a => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]) < new Date()) || value === '';
      if (expired) this.jar.delete(name); else this.jar.set(name, value);
    }
  }

  async request(url, init = {}) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie: this.cookieHeader() } });
    this.keep(res);
    this.visited.push(`${init.method || 'GET'} ${new URL(url).pathname} ${res.status}`);
    return res;
  }

  /** Follows redirects from `url` until one leaves for `stopAt` (the client's redirect URI); logs in when sent to /login. */
  async navigate(url, stopAt, login) {
    let current = url;
    for (let hop = 0; hop < 15; hop++) {
      if (current.startsWith(stopAt)) return { url: current };
      const res = await this.request(current);
      if (res.status >= 300 && res.status < 400) {
        const next = new URL(res.headers.get('location'), current);
        if (next.pathname === '/login' && login) {
          current = login.phone ? await this.loginWithWhatsApp(next, login) : await this.loginWithPassword(next, login);
          continue;
        }
        current = next.href;
        continue;
      }
      return { url: current, status: res.status, body: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** GET a page and return its antiforgery token. */
  async formToken(url) {
    const html = await (await this.request(url)).text();
    const token = /name="__RequestVerificationToken" type="hidden" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no antiforgery token on ${new URL(url).pathname}`);
    return token;
  }

  postForm(url, fields, token) {
    const body = new URLSearchParams({ ...fields, __RequestVerificationToken: token });
    return this.request(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** The codes the dev inbox shows for `phone` (newest first): what the user's WhatsApp received. */
  async inboxCodes(base, phone) {
    const res = await fetch(new URL(`/dev/inbox/api/messages?to=${encodeURIComponent(phone)}`, base));
    if (!res.ok) throw new Error(`dev inbox answered ${res.status}`);
    return (await res.json()).filter(m => m.code);
  }

  /**
   * The WhatsApp OTP login at /login: post the phone, read the code the sandbox channel delivered from the dev inbox,
   * enter it on /login/code. Returns where the page moves on to (the authorize request it came from).
   */
  async loginWithWhatsApp(loginUrl, { phone }) {
    const seen = new Set((await this.inboxCodes(loginUrl, phone)).map(m => m.id));
    const returnUrl = loginUrl.searchParams.get('returnUrl') ?? '';
    const sent = await this.postForm(loginUrl.href, { Phone: phone, ReturnUrl: returnUrl }, await this.formToken(loginUrl.href));
    if (sent.status !== 302 && sent.status !== 303) throw new Error(`posting the phone answered ${sent.status}`);
    const codePage = new URL(sent.headers.get('location'), loginUrl);
    const token = await this.formToken(codePage.href);
    let code;
    for (let i = 0; i < 100 && !code; i++) {
      code = (await this.inboxCodes(loginUrl, phone)).find(m => !seen.has(m.id))?.code;
      if (!code) await new Promise(r => setTimeout(r, 200));
    }
    if (!code) throw new Error(`no code reached the dev inbox for ${phone}`);
    const res = await this.postForm(new URL('/login/code', loginUrl).href, { Code: code }, token);
    const refresh = res.headers.get('refresh');
    if (res.status !== 200 || !refresh) throw new Error(`entering the code answered ${res.status}`);
    return new URL(refresh.replace(/^0;url=/, ''), loginUrl).href;
  }

  /** The method chooser at /login offers the password page; go there with the same returnUrl and sign in. */
  async loginWithPassword(loginUrl, { email, password }) {
    const page = new URL('/login/password' + loginUrl.search, loginUrl);
    const html = await (await this.request(page.href)).text();
    const token = /name="__RequestVerificationToken" type="hidden" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('no antiforgery token on the password page');
    const body = new URLSearchParams({ Email: email, Password: password, ReturnUrl: page.searchParams.get('returnUrl') ?? '', __RequestVerificationToken: token });
    const res = await this.request(page.href, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    // The page moves on by itself (200 + Refresh), as a browser follows it; never a redirect after the POST.
    const refresh = res.headers.get('refresh');
    if (res.status !== 200 || !refresh) throw new Error(`password login answered ${res.status}`);
    return new URL(refresh.replace(/^0;url=/, ''), page).href;
  }
}
