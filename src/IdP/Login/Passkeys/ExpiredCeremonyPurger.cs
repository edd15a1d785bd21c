using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>Drops ceremonies nobody answered.</summary>
internal sealed class ExpiredCeremonyPurger(IdpDbContext db) : IExpiredRowPurger
{
    public string Name => "passkey-ceremonies";

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
        db.Set<PasskeyCeremony>().Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
}
