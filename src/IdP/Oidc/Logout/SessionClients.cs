using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Logout;

/// <summary>Remembers which clients a session signed in to (one row per session and client, written when an ID token is issued).</summary>
internal sealed class SessionClients(IdpDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(string sessionId, string clientId, string issuer, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // One conditional insert: the same client signing in again through the session (or on another node) adds nothing.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "OidcSessionClients" ("SessionId", "ClientId", "Issuer", "CreatedAt") VALUES ({sessionId}, {clientId}, {issuer}, {now})
            ON CONFLICT ("SessionId", "ClientId") DO NOTHING
            """, ct);
    }

    public Task<List<SessionClient>> OfSessionAsync(string sessionId, CancellationToken ct) =>
        db.Set<SessionClient>().AsNoTracking().Where(c => c.SessionId == sessionId).ToListAsync(ct);

    /// <summary>Drops the rows of sessions that ended or expired (their logout tokens were queued when they ended).</summary>
    public sealed class Purger(IdpDbContext db) : IExpiredRowPurger
    {
        public string Name => "oidc.session-clients";

        public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
            db.Set<SessionClient>().Where(c => !db.Set<UserSession>().Any(s => s.Id == c.SessionId && s.EndedAt == null && s.ExpiresAt > now)
                && c.CreatedAt < now.AddHours(-1)).ExecuteDeleteAsync(ct);
    }
}
