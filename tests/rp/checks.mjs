// Check helpers of the ok/FAIL scripts (par.mjs, private-key-jwt.mjs): one line per check ("ok   - name: detail" or
// "FAIL - name: detail"); the C# test requires an ok line for each check it expects.
let failures = 0;

export function report(name, passed, detail) {
  if (!passed) failures++;
  console.log(`${passed ? 'ok  ' : 'FAIL'} - ${name}: ${detail}`);
}

/** Runs one check; an exception (a broken step, not the expected refusal) is a failure too. */
export async function check(name, fn) {
  try {
    const [passed, detail] = await fn();
    report(name, passed, detail);
  } catch (e) {
    report(name, false, `threw ${describe(e)}`);
  }
}

/** status, OAuth error code and library code of whatever openid-client threw. */
export function errorOf(e) {
  const challenge = Array.isArray(e?.cause) ? e.cause.find(c => c?.parameters?.error)?.parameters.error : undefined;
  const reason = e?.cause instanceof Error ? e.cause.message : undefined;
  return { status: e?.status ?? e?.response?.status, error: e?.error ?? challenge, code: e?.code, message: reason ?? e?.message, response: e?.response };
}

export function describe(e) {
  const { status, error, code, message } = errorOf(e);
  return [status, error, code, message].filter(x => x !== undefined).join(' ');
}

/** Awaits a promise that must be refused; returns what openid-client threw (null if it succeeded). */
export async function refused(promise) {
  try { await promise; return null; } catch (e) { return errorOf(e); }
}

/** The RFC 6749 error of a refusal: a 401 makes openid-client throw the WWW-Authenticate challenge, the JSON body has it. */
export async function oauthError(e) {
  if (e === null) return null;
  if (e.status === 401 && e.response) return { status: 401, error: (await e.response.json().catch(() => null))?.error };
  return { status: e.status, error: e.error ?? e.code };
}

export const said = e => (e === null ? 'succeeded' : `${e.status ?? ''} ${e.error ?? e.code}`.trim());

export function finish() { process.exit(failures === 0 ? 0 : 1); }
