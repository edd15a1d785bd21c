using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Account;

/// <param name="Handle">The first 16 characters of the session id: enough to name it in a form, never the whole id.</param>
internal sealed record SessionView(string Handle, string? UserAgent, string? IpAddress, DateTimeOffset AuthTime, DateTimeOffset LastSeenAt, string Amr, bool Current);

/// <summary>A user's active sessions; ending one also revokes the refresh tokens issued in it.</summary>
internal sealed class AccountSessions(IdpDbContext db, SessionSignIn sessions, TimeProvider clock)
{
    public const int HandleLength = 16;

    public async Task<IReadOnlyList<SessionView>> ActiveAsync(string userId, string currentSid, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt).Take(50).ToListAsync(ct);
        return rows.Select(s => new SessionView(s.Id[..HandleLength], s.UserAgent, s.IpAddress, s.AuthTime, s.LastSeenAt, s.Amr, s.Id == currentSid)).ToList();
    }

    /// <summary>Ends the user's session named by <paramref name="handle"/> (never another user's); true when one ended.</summary>
    public async Task<bool> EndAsync(string userId, string handle, CancellationToken ct)
    {
        if (handle.Length != HandleLength) return false;
        var ids = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id.StartsWith(handle)).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in ids) await EndSessionAsync(id, ct);
        return ids.Count > 0;
    }

    public async Task<int> EndOthersAsync(string userId, string currentSid, CancellationToken ct)
    {
        var ids = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != currentSid).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in ids) await EndSessionAsync(id, ct);
        return ids.Count;
    }

    public async Task EndSessionAsync(string sessionId, CancellationToken ct)
    {
        await sessions.EndAsync(sessionId, ct);
        var now = clock.GetUtcNow();
        await db.Set<RefreshToken>().Where(t => t.SessionId == sessionId && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct);
    }
}
