using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Gateway.SelfService;

/// <summary>
/// Apps users register themselves (WhatsAuth's onboarding): each is an ordinary client_credentials client (the
/// <see cref="ClientRegistry"/>) with gateway settings (<see cref="GatewayClientSettings"/>) that name its owner. The
/// developer page and the portal act on them through this class and the same services the CLI uses; an app is only
/// ever found for its owner (null otherwise, which pages answer with 404).
/// </summary>
internal sealed class DeveloperApps(IdpDbContext db, ClientRegistry clients, FixedWindowLimiter limiter, IOptionsMonitor<GatewayOptions> options, TimeProvider clock,
    ICodeSender channel)
{
    /// <summary>What a self-registered app may be given: sending, verification and (once approved) inbound messages.
    /// Not wa.device: the linked device is the server's own.</summary>
    public static readonly string[] Scopes = [GatewayScopes.Send, GatewayScopes.Verify, GatewayScopes.Inbound];

    public const int MaxNameLength = 100;

    public async Task<AppRegistration> RegisterAsync(string ownerUserId, string name, CancellationToken ct = default)
    {
        var rules = options.CurrentValue.SelfService;
        if (!rules.Enabled) return new(null, null, AppRegistrationRefusal.Off);
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength) return new(null, null, AppRegistrationRefusal.BadName);
        if (await db.Set<GatewayApp>().CountAsync(c => c.OwnerUserId == ownerUserId, ct) >= rules.MaxAppsPerUser)
            return new(null, null, AppRegistrationRefusal.TooMany);
        var clientId = "app-" + OpaqueToken.New()[..12].ToLowerInvariant().Replace('_', 'x').Replace('-', 'x');
        var (_, secret) = await clients.CreateAsync(new ClientDefinition
        {
            ClientId = clientId, DisplayName = name, GrantTypes = ["client_credentials"], Scopes = [.. Scopes],
        }, ct);
        db.Set<GatewayApp>().Add(new GatewayApp { ClientId = clientId, OwnerUserId = ownerUserId, UpdatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return new((await FindAsync(ownerUserId, clientId, ct))!, secret, null);
    }

    public Task<IReadOnlyList<DeveloperApp>> ListAsync(string ownerUserId, CancellationToken ct = default) =>
        QueryAsync(db.Set<GatewayApp>().Where(g => g.OwnerUserId == ownerUserId), ct);

    /// <summary>Every self-registered app, those awaiting approval first (the portal).</summary>
    public async Task<IReadOnlyList<DeveloperApp>> ListAllAsync(CancellationToken ct = default) =>
        (await QueryAsync(db.Set<GatewayApp>().Where(g => g.OwnerUserId != null), ct)).OrderByDescending(a => a.AwaitingApproval).ToList();

    /// <summary>The app, when <paramref name="ownerUserId"/> registered it; else null (another user's app, or none).</summary>
    public async Task<DeveloperApp?> FindAsync(string ownerUserId, string clientId, CancellationToken ct = default) =>
        (await QueryAsync(db.Set<GatewayApp>().Where(g => g.ClientId == clientId && g.OwnerUserId == ownerUserId), ct)).FirstOrDefault();

    /// <summary>A self-registered app whoever owns it (the portal).</summary>
    public async Task<DeveloperApp?> FindAnyAsync(string clientId, CancellationToken ct = default) =>
        (await QueryAsync(db.Set<GatewayApp>().Where(g => g.ClientId == clientId && g.OwnerUserId != null), ct)).FirstOrDefault();

    /// <summary>A new client secret for the owner's app (the old one stops working at once); null when not theirs.</summary>
    public async Task<string?> RotateSecretAsync(string ownerUserId, string clientId, CancellationToken ct = default)
    {
        if (await FindAsync(ownerUserId, clientId, ct) is null) return null;
        var secret = OpaqueToken.New();
        return await clients.SetSecretAsync(clientId, secret, ct) ? secret : null;
    }

    /// <summary>Approves a self-registered app: it may use the API, and messages to the business number are forwarded to it.</summary>
    public async Task<bool> ApproveAsync(string clientId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return await db.Set<GatewayApp>().Where(g => g.ClientId == clientId && g.OwnerUserId != null && g.ApprovedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.ApprovedAt, now), ct) > 0;
    }

    /// <summary>Whether the client is a self-registered app that must wait for an admin before it may use the API.</summary>
    public bool IsHeld(GatewayApp? row) => row is { OwnerUserId: not null, ApprovedAt: null } && options.CurrentValue.SelfService.RequireApproval;

    public async Task<QuotaUse> UsageAsync(DeveloperApp app, CancellationToken ct = default)
    {
        var rules = options.CurrentValue;
        var (messages, verifications) = (app.DailyMessageQuota ?? rules.DailyMessageQuota, app.DailyVerificationQuota ?? rules.DailyVerificationQuota);
        // The counter also counts the refused tries past the limit: what was used is at most the limit.
        return new QuotaUse(
            Math.Min(messages, await limiter.CountAsync("gateway-messages", app.ClientId, TimeSpan.FromDays(1), ct)), messages,
            Math.Min(verifications, await limiter.CountAsync("gateway-verifications", app.ClientId, TimeSpan.FromDays(1), ct)), verifications);
    }

    /// <summary>The app's latest messages through the API with their delivery state (null: the channel no longer has it).</summary>
    public async Task<IReadOnlyList<(GatewayMessage Message, DeliveryStatus? Status)>> RecentMessagesAsync(string clientId, int take, CancellationToken ct = default)
    {
        var rows = await db.Set<GatewayMessage>().AsNoTracking().Where(m => m.ClientId == clientId)
            .OrderByDescending(m => m.CreatedAt).Take(take).ToListAsync(ct);
        var list = new List<(GatewayMessage, DeliveryStatus?)>();
        foreach (var m in rows)
            list.Add((m, await channel.GetStatusAsync(new MessageHandle(m.Id), ct)));
        return list;
    }

    private async Task<IReadOnlyList<DeveloperApp>> QueryAsync(IQueryable<GatewayApp> apps, CancellationToken ct)
    {
        var rows = await (from g in apps.AsNoTracking()
                          join c in db.Set<OidcClient>().AsNoTracking() on g.ClientId equals c.ClientId
                          select new { g, c.DisplayName, c.CreatedAt, c.Disabled, c.Scopes }).ToListAsync(ct);
        return rows.OrderBy(r => r.CreatedAt).Select(r => new DeveloperApp(
            r.g.ClientId, r.DisplayName ?? r.g.ClientId, r.g.OwnerUserId!, r.CreatedAt, r.Disabled, r.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            r.g.WebhookUrl, r.g.WebhookSecretProtected is not null, r.g.ApprovedAt, IsHeld(r.g), r.g.DailyMessageQuota, r.g.DailyVerificationQuota)).ToList();
    }
}
