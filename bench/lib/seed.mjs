// Writes rows straight into the IdP's database with bulk SQL (one statement per table): refresh tokens the bench can
// use, and filler users, clients and tokens for the growth runs. SQLite through python3's sqlite3, PostgreSQL through psql.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { CLIENT_ID } from './servers.mjs';

const FAR = 4102444800000; // 2100-01-01 in unix ms: seeded rows never expire during a run, so no purge touches them.

const b64url = buf => buf.toString('base64url');

export function runSql(db, sql) {
  if (db.provider === 'Sqlite') {
    execFileSync('python3', ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1], timeout=60)\nc.executescript(sys.stdin.read())\nc.close()', db.file],
      { input: sql, stdio: ['pipe', 'inherit', 'inherit'], maxBuffer: 1 << 30 });
  } else {
    execFileSync(db.psql, ['-h', '127.0.0.1', '-p', db.port, '-U', 'postgres', '-d', db.name, '-q', '-v', 'ON_ERROR_STOP=1'],
      { input: sql, stdio: ['pipe', 'inherit', 'inherit'], maxBuffer: 1 << 30 });
  }
}

/** Refresh tokens of the bench client, one family each; returns their values (only the SHA-256 is stored). */
export function seedRefreshTokens(db, count, tag) {
  const now = Date.now();
  const values = [];
  const rows = [];
  for (let i = 0; i < count; i++) {
    const value = b64url(crypto.randomBytes(32));
    values.push(value);
    const id = b64url(crypto.createHash('sha256').update(value).digest());
    rows.push(`('${id}','${tag}-fam-${i}','${CLIENT_ID}','${tag}-user-${i}','${tag}-sid-${i}',NULL,'openid offline_access api','otp wa','urn:waidentity:loa:1',${now},${now},${FAR},${FAR},NULL,NULL)`);
  }
  runSql(db, `INSERT INTO "OidcRefreshTokens" ("Id","FamilyId","ClientId","UserId","SessionId","CodeId","Scope","Amr","Acr","AuthTime","CreatedAt","ExpiresAt","FamilyExpiresAt","ConsumedAt","RevokedAt") VALUES\n${rows.join(',\n')};`);
  return values;
}

/** Adds users, clients and refresh tokens numbered from+1..to (so the table sizes grow to `to`). */
export function seedGrowth(db, from, to) {
  const pg = db.provider !== 'Sqlite';
  const series = pg ? `generate_series(${from + 1}, ${to}) AS g(x)` : 'g';
  const cte = pg ? '' : `WITH RECURSIVE g(x) AS (SELECT ${from + 1} UNION ALL SELECT x + 1 FROM g WHERE x < ${to}) `;
  const pad = pg ? `lpad(x::text, 9, '0')` : `printf('%09d', x)`;
  // Keys grow with x, so every index takes appends instead of random inserts (SQLite seeds 1M rows in seconds).
  const hex = pg ? `md5(x::text || 'r')` : `printf('%032x', x)`;
  const [yes, no] = pg ? ['true', 'false'] : ['1', '0'];
  runSql(db, `${pg ? '' : 'PRAGMA synchronous=OFF;'}
${cte}INSERT INTO "AspNetUsers" ("Id","DisplayName","CreatedAt","UserName","NormalizedUserName","EmailConfirmed","SecurityStamp","ConcurrencyStamp","PhoneNumber","PhoneNumberConfirmed","TwoFactorEnabled","LockoutEnabled","AccessFailedCount")
SELECT 'seed-user-' || ${pad}, 'Seed user ' || x, 0, '+6289' || ${pad}, '+6289' || ${pad}, ${no}, ${hex}, ${hex}, '+6289' || ${pad}, ${yes}, ${no}, ${yes}, 0 FROM ${series};
${cte}INSERT INTO "OidcClients" ("ClientId","DisplayName","SecretHash","RedirectUris","PostLogoutRedirectUris","GrantTypes","Scopes","FirstParty","SigningAlgorithm","CreatedAt")
SELECT 'seed-client-' || ${pad}, 'Seed client ' || x, ${hex}, 'https://app' || x || '.example/cb', '', 'authorization_code refresh_token', 'openid phone', ${no}, 'ES256', 0 FROM ${series};
${cte}INSERT INTO "OidcRefreshTokens" ("Id","FamilyId","ClientId","UserId","SessionId","CodeId","Scope","Amr","Acr","AuthTime","CreatedAt","ExpiresAt","FamilyExpiresAt","ConsumedAt","RevokedAt")
SELECT 'seed-rt-' || ${pad}, 'seed-fam-' || ${pad}, 'seed-client-' || ${pad}, 'seed-user-' || ${pad}, 'seed-sid-' || x, NULL, 'openid phone', 'otp wa', 'urn:waidentity:loa:1', 0, 0, ${FAR}, ${FAR}, NULL, NULL FROM ${series};
ANALYZE;
`);
}
