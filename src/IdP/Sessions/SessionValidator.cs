using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Sessions;

/// <summary>
/// Checks the cookie's session against the database on each request: an ended, expired or idle session signs the
/// browser out. Touches LastSeenAt at most once a minute to keep writes off the hot path.
/// </summary>
internal static class SessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sid = context.Principal?.FindFirst(SessionClaims.SessionId)?.Value;
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<IdpDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var idle = TimeSpan.FromHours(services.GetRequiredService<IOptions<SessionOptions>>().Value.IdleTimeoutHours);
        var session = sid is null ? null : await db.UserSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid);
        if (session is null || session.EndedAt is not null || session.ExpiresAt <= now || session.LastSeenAt + idle <= now)
        {
            context.RejectPrincipal();
            return;
        }
        if (now - session.LastSeenAt > TimeSpan.FromMinutes(1))
            await db.UserSessions.Where(s => s.Id == sid).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now));
    }
}
