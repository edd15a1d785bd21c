using Microsoft.EntityFrameworkCore;
using WaIdentity.Admin.Home;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The home page's counts over the user and session tables.</summary>
internal sealed class UserActivity(IdpDbContext db, TimeProvider clock) : IUserActivity
{
    private static readonly string[] Methods = [AuthenticationLevels.AmrPassword, AuthenticationLevels.AmrWhatsApp, AuthenticationLevels.AmrSms, AuthenticationLevels.AmrMultiFactor];

    public async Task<UserActivitySummary> ReadAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var total = await db.Users.CountAsync(ct);
        var created = await db.Users.CountAsync(u => u.CreatedAt >= since, ct);
        var locked = (await db.Users.AsNoTracking().Where(u => u.LockoutEnd != null).Select(u => u.LockoutEnd).ToListAsync(ct)).Count(end => end > now);
        var amrs = await db.UserSessions.AsNoTracking().Where(s => s.AuthTime >= since).Select(s => s.Amr).ToListAsync(ct);
        var logins = Methods.ToDictionary(m => m, m => amrs.Count(a => a.Split(' ').Contains(m)));
        return new(total, created, locked, amrs.Count, logins);
    }
}
