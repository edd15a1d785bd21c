using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// Reads and changes a client's gateway settings. The webhook secret is generated here, returned once to the
/// caller that asked for it, and stored encrypted so the delivery job can sign with it.
/// </summary>
internal sealed class GatewayClientSettings(IdpDbContext db, ClientRegistry clients, CallbackUrlPolicy policy, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("WaIdentity.Gateway.WebhookSecret.v1");

    public Task<GatewayApp?> FindAsync(string clientId, CancellationToken ct = default) =>
        db.Set<GatewayApp>().AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, ct);

    /// <summary>Whether any client registered this origin (a browser app's page may then call the verification API).</summary>
    public async Task<bool> IsOriginRegisteredAsync(string origin, CancellationToken ct = default)
    {
        var lists = await db.Set<GatewayApp>().AsNoTracking().Where(c => c.CallbackOrigins.Contains(origin)).Select(c => c.CallbackOrigins).ToListAsync(ct);
        return lists.Any(l => l.Split(' ').Contains(origin, StringComparer.Ordinal));
    }

    /// <summary>Sets what is given (null keeps the current value). Returns the new secret when one was generated
    /// (asked for, or the client had none yet), else null; nothing is saved when a rule refuses.</summary>
    public async Task<(string? Secret, List<GatewayFieldProblem> Problems)> ConfigureAsync(string clientId, IReadOnlyList<string>? callbackOrigins, string? webhookUrl,
        bool newSecret, CancellationToken ct = default, string? givenSecret = null)
    {
        var allowLoopbackHttp = policy.AllowPrivateAddresses;
        var problems = new List<GatewayFieldProblem>();
        if (await clients.FindAsync(clientId, ct) is null) return (null, [GatewayFieldProblem.UnknownClient(clientId)]);
        foreach (var o in callbackOrigins ?? []) problems.AddRange(CallbackUrlPolicy.CheckOrigin("callback-origin", o, allowLoopbackHttp));
        if (!string.IsNullOrEmpty(webhookUrl)) problems.AddRange(CallbackUrlPolicy.CheckShape("webhook-url", webhookUrl, allowLoopbackHttp));
        // The address is checked now for a clear error, and again at every delivery (the name may change).
        if (!string.IsNullOrEmpty(webhookUrl) && problems.Count == 0 && await policy.CheckHostAsync("webhook-url", new Uri(webhookUrl).IdnHost, ct) is { } refused)
            problems.Add(refused);
        if (problems.Count > 0) return (null, problems);
        var row = await db.Set<GatewayApp>().FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (row is null) db.Set<GatewayApp>().Add(row = new GatewayApp { ClientId = clientId });
        if (callbackOrigins is not null) row.CallbackOrigins = string.Join(' ', callbackOrigins.Select(CallbackUrlPolicy.Origin).Distinct());
        if (webhookUrl is not null) row.WebhookUrl = webhookUrl.Length == 0 ? null : webhookUrl;
        string? secret = null;
        if (givenSecret is not null) row.WebhookSecretProtected = _protector.Protect(givenSecret);
        else if (newSecret || row.WebhookSecretProtected is null)
        {
            secret = "whsec_" + OpaqueToken.New();
            row.WebhookSecretProtected = _protector.Protect(secret);
        }
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (secret, problems);
    }

    /// <summary>Sets the client's own daily quotas (null: the server-wide value); empty when saved, else what was refused.</summary>
    public async Task<List<QuotaProblem>> SetQuotasAsync(string clientId, int? messages, int? verifications, CancellationToken ct = default)
    {
        if (await clients.FindAsync(clientId, ct) is null) return [QuotaProblem.UnknownClient];
        var problems = new List<QuotaProblem>();
        if (messages is < 0 or > MaxQuota) problems.Add(QuotaProblem.MessageQuotaOutOfRange);
        if (verifications is < 0 or > MaxQuota) problems.Add(QuotaProblem.VerificationQuotaOutOfRange);
        if (problems.Count > 0) return problems;
        var row = await db.Set<GatewayApp>().FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        if (row is null) db.Set<GatewayApp>().Add(row = new GatewayApp { ClientId = clientId });
        (row.DailyMessageQuota, row.DailyVerificationQuota, row.UpdatedAt) = (messages, verifications, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return problems;
    }

    public const int MaxQuota = 10_000_000;

    /// <summary>A quota change refused: no such client, or a quota outside 0 to <see cref="MaxQuota"/>.</summary>
    public enum QuotaProblem { UnknownClient, MessageQuotaOutOfRange, VerificationQuotaOutOfRange }

    public string? Secret(GatewayApp client) => client.WebhookSecretProtected is null ? null : _protector.Unprotect(client.WebhookSecretProtected);
}
