using System.Globalization;
using WaIdentity.IdP.Metrics;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Sessions;

/// <summary>
/// Where every login method ends: a new server-side session (a fresh sid each time, so a session id planted
/// before login is worthless) and the session cookie.
/// </summary>
internal sealed class SessionSignIn(IdpDbContext db, TimeProvider clock, IOptions<SessionOptions> options, IdpMeters metrics,
    ISessionEndListener ended)
{
    public async Task<UserSession> SignInAsync(HttpContext http, string userId, IEnumerable<string> amr, string acr, CancellationToken ct = default)
    {
        var session = await StartAsync(http, userId, amr, acr, ct);
        await http.SignOutAsync(SessionClaims.Scheme);
        await http.SignInAsync(SessionClaims.Scheme, ToPrincipal(session));
        return session;
    }

    /// <summary>Creates the server-side session only; the caller issues its own cookie (e.g. the account API's wa_token).</summary>
    public async Task<UserSession> StartAsync(HttpContext http, string userId, IEnumerable<string> amr, string acr, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        // Whatever the method, a locked account gets no session (admin lock, or Identity's lockout after failures).
        var lockoutEnd = await db.Users.Where(u => u.Id == userId).Select(u => u.LockoutEnd).FirstOrDefaultAsync(ct);
        if (lockoutEnd > now) throw new AccountLockedException();
        var session = new UserSession
        {
            Id = Base64Url(RandomNumberGenerator.GetBytes(32)),
            UserId = userId,
            Amr = string.Join(' ', amr.Distinct()),
            Acr = acr,
            AuthTime = now,
            LastSeenAt = now,
            ExpiresAt = now.AddHours(options.Value.AbsoluteLifetimeHours),
            UserAgent = Truncate(http.Request.Headers.UserAgent.ToString(), 300),
            IpAddress = http.Connection.RemoteIpAddress?.ToString(),
        };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        metrics.SessionStarted(session.Amr.Replace(' ', '+'));
        return session;
    }

    public async Task SignOutAsync(HttpContext http, CancellationToken ct = default)
    {
        var sid = http.User.FindFirstValue(SessionClaims.SessionId);
        if (sid is not null) await EndAsync(sid, ct);
        await http.SignOutAsync(SessionClaims.Scheme);
    }

    /// <summary>
    /// Ends one session. Every way a session ends passes here or through <see cref="EndAllAsync"/> (logout, "sign out
    /// everywhere", a single session ended on the account page, the "not me" link, an admin, a session replaced by a
    /// stronger one), so this is where the <see cref="ISessionEndListener"/> is told (back-channel logout to the clients).
    /// </summary>
    public async Task<int> EndAsync(string sessionId, CancellationToken ct = default)
    {
        var userId = await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null).Select(s => s.UserId).FirstOrDefaultAsync(ct);
        return userId is not null && await EndOneAsync(userId, sessionId, ct) ? 1 : 0;
    }

    /// <summary>Ends every active session of a user (admin revocation, account lock, password change).</summary>
    public async Task<int> EndAllAsync(string userId, CancellationToken ct = default)
    {
        var ids = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null).Select(s => s.Id).ToListAsync(ct);
        var ended = 0;
        foreach (var id in ids) ended += await EndOneAsync(userId, id, ct) ? 1 : 0;
        return ended;
    }

    /// <summary>A conditional update, so of two concurrent enders (two nodes, two tabs) only one tells the clients.</summary>
    private async Task<bool> EndOneAsync(string userId, string sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var won = await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct) == 1;
        if (won) await ended.SessionEndedAsync(userId, sessionId, ct);
        return won;
    }

    public static ClaimsPrincipal ToPrincipal(UserSession s)
    {
        var claims = new List<Claim>
        {
            new(SessionClaims.Subject, s.UserId),
            new(SessionClaims.SessionId, s.Id),
            new(SessionClaims.Acr, s.Acr),
            new(SessionClaims.AuthTime, s.AuthTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(s.Amr.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => new Claim(SessionClaims.Amr, a)));
        // Named by subject: Identity.Name is who the admin portal records as acting.
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionClaims.Scheme, SessionClaims.Subject, "role"));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Truncate(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}

/// <summary>The account is locked; login pages show their "account locked" message.</summary>
internal sealed class AccountLockedException() : Exception("The account is locked.");
