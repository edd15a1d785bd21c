using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Queues;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Failures per phone across every code (NIST 800-63B 3.2.2): after <c>FailuresBeforeDelay</c> each further try waits
/// 30 s doubling up to an hour; at <c>AccountFailureCap</c> (at most 100) code login for the phone stops until the
/// count is forgotten. Success clears it.
/// </summary>
internal sealed class PhoneFailureGate(IdpDbContext db, IOptionsMonitor<LoginOptions> options, TimeProvider clock)
{
    /// <summary>Null when a try is allowed now; otherwise the wait, or the lock.</summary>
    public async Task<PhoneBlocked?> CheckAsync(string phone, CancellationToken ct)
    {
        var rules = options.CurrentValue.Otp;
        var row = await db.Set<PhoneFailureCount>().AsNoTracking().FirstOrDefaultAsync(f => f.Phone == phone, ct);
        var now = clock.GetUtcNow();
        if (row is null || row.LastFailureAt.AddHours(rules.FailureResetHours) <= now) return null;
        if (row.Failures >= rules.AccountFailureCap) return new PhoneBlocked(null);
        if (row.Failures < rules.FailuresBeforeDelay) return null;
        var delay = new Backoff(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)).Delay(row.Failures - rules.FailuresBeforeDelay + 1);
        var wait = row.LastFailureAt + delay - now;
        return wait > TimeSpan.Zero ? new PhoneBlocked(wait) : null;
    }

    /// <summary>One atomic upsert, so concurrent wrong codes are all counted; an old count starts again at 1.</summary>
    public Task RecordFailureAsync(string phone, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var staleBefore = now - (long)TimeSpan.FromHours(options.CurrentValue.Otp.FailureResetHours).TotalMilliseconds;
        if (db.Database.IsSqlServer())
            return db.Database.ExecuteSqlAsync($"""
                MERGE "LoginPhoneFailures" WITH (HOLDLOCK) AS t USING (SELECT {phone} AS "Phone") AS s ON t."Phone" = s."Phone"
                WHEN MATCHED THEN UPDATE SET
                  "Failures" = CASE WHEN t."LastFailureAt" < {staleBefore} THEN 1 ELSE t."Failures" + 1 END,
                  "LastFailureAt" = {now}
                WHEN NOT MATCHED THEN INSERT ("Phone", "Failures", "LastFailureAt") VALUES ({phone}, 1, {now});
                """, ct);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "LoginPhoneFailures" ("Phone", "Failures", "LastFailureAt") VALUES ({phone}, 1, {now})
            ON CONFLICT ("Phone") DO UPDATE SET
              "Failures" = CASE WHEN "LoginPhoneFailures"."LastFailureAt" < {staleBefore} THEN 1 ELSE "LoginPhoneFailures"."Failures" + 1 END,
              "LastFailureAt" = {now}
            """, ct);
    }

    public Task ClearAsync(string phone, CancellationToken ct) =>
        db.Set<PhoneFailureCount>().Where(f => f.Phone == phone).ExecuteDeleteAsync(ct);
}

/// <summary>Code login for a phone is held back: for <see cref="Wait"/>, or (no wait) locked at the failure cap.</summary>
internal sealed record PhoneBlocked(TimeSpan? Wait)
{
    public bool Locked => Wait is null;
}
