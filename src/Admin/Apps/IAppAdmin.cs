namespace WaIdentity.Admin.Apps;

/// <summary>Apps users registered on the developer page: approval, per-app daily quotas and API keys. A port the host
/// implements over the same services as the developer page and the CLI.</summary>
public interface IAppAdmin
{
    /// <summary>Every self-registered app, those awaiting approval first.</summary>
    Task<IReadOnlyList<AppRow>> ListAsync(CancellationToken ct = default);

    Task<AppRow?> FindAsync(string clientId, CancellationToken ct = default);

    /// <summary>False when there is no such app or it was already approved.</summary>
    Task<bool> ApproveAsync(string clientId, CancellationToken ct = default);

    /// <summary>The app's own daily quotas (null: the server-wide value); empty when saved, else what was refused
    /// (fields named as in <see cref="AppRow"/>).</summary>
    Task<IReadOnlyList<FieldProblem>> SetQuotasAsync(string clientId, int? messages, int? verifications, CancellationToken ct = default);

    Task<IReadOnlyList<ApiKeyRow>> KeysAsync(string clientId, CancellationToken ct = default);

    /// <summary>False when the app has no such live key.</summary>
    Task<bool> RevokeKeyAsync(string clientId, string keyId, CancellationToken ct = default);
}

/// <param name="Owner">The registering user's e-mail or phone, else their id.</param>
/// <param name="AwaitingApproval">Held: approval is required and not given, so the API refuses the app.</param>
public sealed record AppRow(
    string ClientId, string Name, string OwnerUserId, string Owner, DateTimeOffset CreatedAt, bool AwaitingApproval, DateTimeOffset? ApprovedAt,
    int? DailyMessageQuota, int? DailyVerificationQuota, int MessagesToday, int MessageLimit, int VerificationsToday, int VerificationLimit);

/// <summary>A key as the portal shows it: never the key, only its first characters.</summary>
public sealed record ApiKeyRow(string Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
