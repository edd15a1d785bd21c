using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Jobs;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.IdP.Gateway;

/// <summary>Deletes verifications a day after they expire, delivered webhooks after a week (dead ones stay for replay), and
/// message ownership records after Channel:RetentionDays (the channel drops the message itself then).</summary>
internal sealed class GatewayRowPurger(IdpDbContext db, SentCodeChallenges verifications, IOptions<ChannelOptions> channel) : IExpiredRowPurger
{
    public string Name => "gateway verifications and delivered webhooks";

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var weekAgo = now.AddDays(-7);
        var retained = now.AddDays(-channel.Value.RetentionDays);
        return await verifications.PurgeAsync<PhoneVerification>(now, ct)
            + await db.Set<WebhookDelivery>().Where(d => d.State == WebhookState.Delivered && d.CreatedAt < weekAgo).ExecuteDeleteAsync(ct)
            + await db.Set<GatewayMessage>().Where(m => m.CreatedAt < retained).ExecuteDeleteAsync(ct);
    }
}
