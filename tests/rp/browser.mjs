// A tiny "browser" for the RP tests: plain fetch without automatic redirects, a cookie jar per instance, and the
// password login form filled in like a user would (email, password, antiforgery token from the page).

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
        if (next.pathname === '/login' && login) { current = await this.loginWithPassword(next, login); continue; }
        current = next.href;
        continue;
      }
      return { url: current, status: res.status, body: await res.text() };
    }
    throw new Error('too many redirects');
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
