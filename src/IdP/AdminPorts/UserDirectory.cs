using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WaIdentity.Admin.Users;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's view of users, over ASP.NET Core Identity and the session table.</summary>
internal sealed class UserDirectory(IdpDbContext db, UserManager<IdpUser> userManager, SessionSignIn sessions, TimeProvider clock,
    TotpStore totp, RecoveryCodeStore recovery, ConnectedApps apps) : IUserDirectory
{
    public async Task<IReadOnlyList<UserSummary>> SearchAsync(string? query, int limit, CancellationToken ct = default)
    {
        var users = db.Users.AsNoTracking();
        if (query is not null)
        {
            var q = query.ToLowerInvariant();
            users = users.Where(u => (u.PhoneNumber != null && u.PhoneNumber.Contains(q)) ||
                                     (u.Email != null && u.Email.ToLower().Contains(q)) ||
                                     (u.DisplayName != null && u.DisplayName.ToLower().Contains(q)));
        }
        var rows = await users.OrderByDescending(u => u.CreatedAt).Take(limit).ToListAsync(ct);
        return rows.Select(Summary).ToList();
    }

    public async Task<UserDetail?> FindAsync(string userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return null;
        var now = clock.GetUtcNow();
        var roles = await userManager.GetRolesAsync(user);
        var rows = await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId)
            .OrderByDescending(s => s.AuthTime).Take(50).ToListAsync(ct);
        var list = rows.Select(s =>
        {
            var (browser, system) = UserAgentSummary.Parts(s.UserAgent);
            return new UserSessionInfo(s.Id[..8], s.Amr, s.AuthTime, s.LastSeenAt, s.IpAddress, s.UserAgent, browser, system, s.EndedAt is null && s.ExpiresAt > now);
        }).ToList();
        var phoneVerified = user.PhoneNumberConfirmed && user.PhoneNumber is not null;
        var methods = new UserMethods(user.PasswordHash is not null, phoneVerified, await totp.IsEnabledAsync(userId, ct),
            await recovery.RemainingAsync(userId, ct));
        var consents = (await apps.ListAsync(userId, ct)).Select(a => new UserConsentInfo(a.ClientId, a.Name, a.Scopes, a.GrantedAt)).ToList();
        return new UserDetail(Summary(user), user.PhoneNumberConfirmed, user.TwoFactorEnabled, roles.ToList(), list, methods, consents);
    }

    public Task<bool> RevokeConsentAsync(string userId, string clientId, CancellationToken ct = default) => apps.RevokeAsync(userId, clientId, ct);

    public async Task SetLockedAsync(string userId, bool locked, CancellationToken ct = default)
    {
        var user = await userManager.FindByIdAsync(userId) ?? throw new KeyNotFoundException(userId);
        await userManager.SetLockoutEnabledAsync(user, true);
        await userManager.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (locked) await RevokeSessionsAsync(userId, ct);
    }

    public Task<int> RevokeSessionsAsync(string userId, CancellationToken ct = default) => sessions.EndAllAsync(userId, ct);

    public async Task DeleteAsync(string userId, CancellationToken ct = default)
    {
        var user = await userManager.FindByIdAsync(userId) ?? throw new KeyNotFoundException(userId);
        // No foreign key cascades to these tables. The user row goes last, so a failure part-way leaves a user the
        // admin can delete again rather than orphaned rows.
        await db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<ConsentGrant>().Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<RefreshToken>().Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<AuthorizationCode>().Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<NotMeLink>().Where(l => l.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<Login.Passkeys.Passkey>().Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
        await totp.RemoveAsync(userId, ct);
        await recovery.RemoveAsync(userId, ct);
        await userManager.DeleteAsync(user);
    }

    public async Task ResetSecondFactorAsync(string userId, CancellationToken ct = default)
    {
        var user = await userManager.FindByIdAsync(userId) ?? throw new KeyNotFoundException(userId);
        await totp.RemoveAsync(userId, ct);
        await recovery.RemoveAsync(userId, ct);
        // Also a new security stamp, which forgets every remembered device.
        await userManager.SetTwoFactorEnabledAsync(user, false);
        await userManager.UpdateSecurityStampAsync(user);
    }

    public async Task<AdminSignInPaths> AdminSignInPathsAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var admins = (await userManager.GetUsersInRoleAsync(Roles.Admin)).Where(u => u.LockoutEnd is not { } end || end <= now).ToList();
        return new(admins.Count(u => u.PasswordHash is not null), admins.Count(u => u.PhoneNumberConfirmed && u.PhoneNumber is not null));
    }

    private UserSummary Summary(IdpUser u) =>
        new(u.Id, u.PhoneNumber, u.Email, u.DisplayName, u.CreatedAt, u.LockoutEnd is { } end && end > clock.GetUtcNow());
}
