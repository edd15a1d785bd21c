using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>Drops codes a day after they expired (with the flows that could use them) and forgotten failure counts.</summary>
internal sealed class ExpiredChallengePurger(IdpDbContext db, SendCode.SentCodeChallenges sentCodes, IOptionsMonitor<LoginOptions> options) : IExpiredRowPurger
{
    public string Name => "login-codes";

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var codes = await db.Set<OtpChallenge>().Where(c => c.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(ct);
        await db.Set<OtpChallengeFlow>().Where(f => !db.Set<OtpChallenge>().Any(c => c.Id == f.ChallengeId)).ExecuteDeleteAsync(ct);
        codes += await sentCodes.PurgeAsync<SendCode.LoginSendCode>(now, ct);
        var staleBefore = now.AddHours(-options.CurrentValue.Otp.FailureResetHours);
        return codes + await db.Set<PhoneFailureCount>().Where(f => f.LastFailureAt < staleBefore).ExecuteDeleteAsync(ct);
    }
}
