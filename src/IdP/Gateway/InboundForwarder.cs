using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Gateway;

/// <summary>The body of a forwarded inbound message.</summary>
internal sealed record InboundEvent(string Id, string From, string? ProfileName, string Text, DateTimeOffset SentAt);

/// <summary>
/// Messages to the business number that no login or verification claimed go to the webhook of every client that
/// holds the wa.inbound scope and has a webhook URL: one signed, retried delivery each. A self-registered app gets them
/// only once an admin approved it: anyone may register one, and these are other people's messages.
/// </summary>
internal sealed class InboundForwarder(IdpDbContext db, WebhookQueue webhooks) : IUnclaimedInboundHandler
{
    public async Task OnUnclaimedAsync(InboundMessage message, CancellationToken ct)
    {
        var targets = await (from g in db.Set<GatewayApp>().AsNoTracking()
                             join c in db.Set<OidcClient>().AsNoTracking() on g.ClientId equals c.ClientId
                             where g.WebhookUrl != null && (g.OwnerUserId == null || g.ApprovedAt != null)
                             select new { g.ClientId, g.WebhookUrl, c.Scopes }).ToListAsync(ct);
        var body = new InboundEvent(message.ProviderMessageId, message.Phone, message.ProfileName, message.Text, message.SentAt);
        foreach (var t in targets.Where(t => t.Scopes.Split(' ').Contains(GatewayScopes.Inbound)))
            await webhooks.EnqueueAsync(t.ClientId, "inbound", t.WebhookUrl!, body, ct);
    }
}
