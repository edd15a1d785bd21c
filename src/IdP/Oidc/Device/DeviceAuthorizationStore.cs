using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>A new device authorization: the two codes in clear (only ever shown once) and the stored row.</summary>
internal sealed record NewDeviceAuthorization(string DeviceCode, string UserCode, DeviceAuthorization Row);

/// <summary>
/// Creates device authorizations and records the user's answer. Every answer is a conditional update on a pending
/// row, so an approval and a denial (browser and WhatsApp at once) cannot both win, and an expired one takes neither.
/// </summary>
internal sealed class DeviceAuthorizationStore(IdpDbContext db, TimeProvider clock, IOptions<OidcOptions> options)
{
    public async Task<NewDeviceAuthorization> CreateAsync(string clientId, string scope, string locale, string? deviceIp, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var deviceCode = OpaqueToken.New();
        // A user code is unique among stored rows; a clash (1 in 2.5e10 per live row) just draws again.
        for (var attempt = 0; ; attempt++)
        {
            var userCode = UserCode.New();
            var row = new DeviceAuthorization
            {
                Id = OpaqueToken.Hash(deviceCode), UserCodeHash = UserCode.Hash(userCode), ClientId = clientId, Scope = scope, Locale = locale, DeviceIp = deviceIp,
                IntervalSeconds = options.Value.DevicePollingIntervalSeconds, CreatedAt = now,
                ExpiresAt = now.AddSeconds(options.Value.DeviceCodeLifetimeSeconds),
            };
            db.Set<DeviceAuthorization>().Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                return new NewDeviceAuthorization(deviceCode, userCode, row);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    /// <summary>The live (pending, unexpired) authorization with this user code, or null.</summary>
    public async Task<DeviceAuthorization?> FindPendingAsync(string normalizedUserCode, CancellationToken ct)
    {
        var hash = UserCode.Hash(normalizedUserCode);
        var now = clock.GetUtcNow();
        var row = await db.Set<DeviceAuthorization>().AsNoTracking().FirstOrDefaultAsync(d => d.UserCodeHash == hash, ct);
        return row is not null && row.IsPending(now) ? row : null;
    }

    /// <summary>The live authorization whose WhatsApp question carries this reference (its SHA-256), or null.</summary>
    public async Task<DeviceAuthorization?> FindPendingByReferenceAsync(string referenceHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = await db.Set<DeviceAuthorization>().AsNoTracking().FirstOrDefaultAsync(d => d.ApprovalReferenceHash == referenceHash, ct);
        return row is not null && row.IsPending(now) ? row : null;
    }

    /// <summary>Records the user's approval; false when the request is no longer pending.</summary>
    public Task<bool> ApproveAsync(string id, Authentication auth, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Answered(Pending(id, now).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.ApprovedAt, now).SetProperty(d => d.UserId, auth.UserId).SetProperty(d => d.SessionId, auth.SessionId)
            .SetProperty(d => d.Amr, auth.Amr).SetProperty(d => d.Acr, auth.Acr).SetProperty(d => d.AuthTime, auth.AuthTime), ct));
    }

    /// <summary>Records the user's refusal; false when the request is no longer pending.</summary>
    public Task<bool> DenyAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Answered(Pending(id, now).ExecuteUpdateAsync(u => u.SetProperty(d => d.DeniedAt, now), ct));
    }

    /// <summary>Remembers that <paramref name="phone"/> was asked over WhatsApp: from then on a reply from it answers, or a
    /// press of the question's buttons (which carry the reference hashed as <paramref name="referenceHash"/>).</summary>
    public Task<bool> RecordQuestionAsync(string id, string phone, string referenceHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Answered(Pending(id, now).ExecuteUpdateAsync(u => u.SetProperty(d => d.ApprovalPhone, phone).SetProperty(d => d.ApprovalAskedAt, now)
            .SetProperty(d => d.ApprovalReferenceHash, referenceHash), ct));
    }

    private IQueryable<DeviceAuthorization> Pending(string id, DateTimeOffset now) =>
        db.Set<DeviceAuthorization>().Where(d => d.Id == id && d.ApprovedAt == null && d.DeniedAt == null && d.ExpiresAt > now);

    private static async Task<bool> Answered(Task<int> update) => await update == 1;
}
