using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>Enrols, checks and removes a user's authenticator-app secret (encrypted at rest with Data Protection).</summary>
internal sealed class TotpStore(IdpDbContext db, IDataProtectionProvider dataProtection, TimeProvider clock)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("WaIdentity.SecondFactor.Totp");

    public Task<bool> IsEnabledAsync(string userId, CancellationToken ct) =>
        db.Set<TotpAuthenticator>().AnyAsync(t => t.UserId == userId && t.Enabled, ct);

    /// <summary>The secret (base32) waiting for its first code; a new one when there is none yet.</summary>
    public async Task<string> PendingSecretAsync(string userId, CancellationToken ct)
    {
        var row = await db.Set<TotpAuthenticator>().FirstOrDefaultAsync(t => t.UserId == userId, ct);
        if (row is { Enabled: true }) throw new InvalidOperationException("An authenticator is already enabled.");
        if (row is not null) return AuthenticatorCode.ToBase32(Unprotect(row));
        var secret = AuthenticatorCode.NewSecret();
        db.Set<TotpAuthenticator>().Add(new TotpAuthenticator
        {
            UserId = userId, ProtectedSecret = Convert.ToBase64String(_protector.Protect(secret)), CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return AuthenticatorCode.ToBase32(secret);
    }

    /// <summary>Enables the pending secret when <paramref name="code"/> is its current code.</summary>
    public async Task<bool> EnableAsync(string userId, string code, CancellationToken ct)
    {
        var row = await db.Set<TotpAuthenticator>().FirstOrDefaultAsync(t => t.UserId == userId && !t.Enabled, ct);
        if (row is null || AuthenticatorCode.Match(Unprotect(row), code, clock.GetUtcNow(), row.LastUsedStep) is not { } step) return false;
        row.Enabled = true;
        row.EnabledAt = clock.GetUtcNow();
        row.LastUsedStep = step;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// True when the code matches an enabled secret at a step not used before. The step is claimed by one conditional
    /// UPDATE, so the same code posted twice at once is accepted once (RFC 6238 5.2).
    /// </summary>
    public async Task<bool> VerifyAsync(string userId, string code, CancellationToken ct)
    {
        var row = await db.Set<TotpAuthenticator>().AsNoTracking().FirstOrDefaultAsync(t => t.UserId == userId && t.Enabled, ct);
        if (row is null || AuthenticatorCode.Match(Unprotect(row), code, clock.GetUtcNow(), row.LastUsedStep) is not { } step) return false;
        return await db.Set<TotpAuthenticator>().Where(t => t.UserId == userId && t.LastUsedStep < step)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedStep, step), ct) == 1;
    }

    public Task<int> RemoveAsync(string userId, CancellationToken ct) =>
        db.Set<TotpAuthenticator>().Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);

    private byte[] Unprotect(TotpAuthenticator row) => _protector.Unprotect(Convert.FromBase64String(row.ProtectedSecret));
}
