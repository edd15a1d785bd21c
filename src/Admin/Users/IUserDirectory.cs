namespace WaIdentity.Admin.Users;

/// <summary>The users the portal manages. A port: the host implements it over its user store.</summary>
public interface IUserDirectory
{
    /// <summary>Users whose phone, email or name contains <paramref name="query"/> (all when empty), newest first.</summary>
    Task<IReadOnlyList<UserSummary>> SearchAsync(string? query, int limit, CancellationToken ct = default);

    Task<UserDetail?> FindAsync(string userId, CancellationToken ct = default);

    /// <summary>Locks (until unlocked) or unlocks the account; locking also ends its sessions.</summary>
    Task SetLockedAsync(string userId, bool locked, CancellationToken ct = default);

    /// <summary>Ends every active session of the user; returns how many.</summary>
    Task<int> RevokeSessionsAsync(string userId, CancellationToken ct = default);

    Task DeleteAsync(string userId, CancellationToken ct = default);

    /// <summary>
    /// Removes the user's authenticator app and recovery codes and forgets their remembered devices (for a user who
    /// lost their phone). The next login that needs a second factor sends them to enrolment.
    /// </summary>
    Task ResetSecondFactorAsync(string userId, CancellationToken ct = default);
}

public sealed record UserSummary(string Id, string? Phone, string? Email, string? DisplayName, DateTimeOffset CreatedAt, bool Locked);

public sealed record UserDetail(
    UserSummary User,
    bool PhoneVerified,
    bool TwoFactorEnabled,
    IReadOnlyList<string> Roles,
    IReadOnlyList<UserSessionInfo> Sessions);

public sealed record UserSessionInfo(string IdPrefix, string Amr, DateTimeOffset AuthTime, DateTimeOffset LastSeenAt, string? IpAddress, string? UserAgent, bool Active);
