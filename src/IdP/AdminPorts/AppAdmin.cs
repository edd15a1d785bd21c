using WaIdentity.Admin;
using WaIdentity.Admin.Apps;
using WaIdentity.Admin.Users;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Gateway.SelfService;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's self-registered apps over <see cref="DeveloperApps"/>, <see cref="GatewayClientSettings"/> and
/// <see cref="GatewayApiKeys"/>: the developer page's and the CLI's own services.</summary>
internal sealed class AppAdmin(DeveloperApps apps, GatewayClientSettings settings, GatewayApiKeys keys, IUserDirectory users) : IAppAdmin
{
    public async Task<IReadOnlyList<AppRow>> ListAsync(CancellationToken ct = default)
    {
        var rows = new List<AppRow>();
        foreach (var app in await apps.ListAllAsync(ct)) rows.Add(await RowAsync(app, ct));
        return rows;
    }

    public async Task<AppRow?> FindAsync(string clientId, CancellationToken ct = default) =>
        await apps.FindAnyAsync(clientId, ct) is { } app ? await RowAsync(app, ct) : null;

    public Task<bool> ApproveAsync(string clientId, CancellationToken ct = default) => apps.ApproveAsync(clientId, ct);

    public async Task<IReadOnlyList<FieldProblem>> SetQuotasAsync(string clientId, int? messages, int? verifications, CancellationToken ct = default)
    {
        if (await apps.FindAnyAsync(clientId, ct) is null) return [new(nameof(AppRow.ClientId), $"no app '{clientId}'")];
        return (await settings.SetQuotasAsync(clientId, messages, verifications, ct)).Select(p => p switch
        {
            GatewayClientSettings.QuotaProblem.UnknownClient => new FieldProblem(nameof(AppRow.ClientId), $"no client '{clientId}'"),
            GatewayClientSettings.QuotaProblem.MessageQuotaOutOfRange => new FieldProblem(nameof(AppRow.DailyMessageQuota), $"0 to {GatewayClientSettings.MaxQuota}"),
            _ => new FieldProblem(nameof(AppRow.DailyVerificationQuota), $"0 to {GatewayClientSettings.MaxQuota}"),
        }).ToList();
    }

    public async Task<IReadOnlyList<ApiKeyRow>> KeysAsync(string clientId, CancellationToken ct = default) =>
        (await keys.ListAsync(clientId, ct)).Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.ScopeList, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToList();

    public Task<bool> RevokeKeyAsync(string clientId, string keyId, CancellationToken ct = default) => keys.RevokeAsync(clientId, keyId, ct);

    private async Task<AppRow> RowAsync(DeveloperApp app, CancellationToken ct)
    {
        var use = await apps.UsageAsync(app, ct);
        var owner = await users.FindAsync(app.OwnerUserId, ct);
        return new AppRow(app.ClientId, app.Name, app.OwnerUserId, owner?.User.Email ?? owner?.User.Phone ?? app.OwnerUserId, app.CreatedAt, app.AwaitingApproval,
            app.ApprovedAt, app.DailyMessageQuota, app.DailyVerificationQuota, use.MessagesUsed, use.MessageLimit, use.VerificationsUsed, use.VerificationLimit);
    }
}
