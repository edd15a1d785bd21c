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

    /// <summary>Deletes the user and what hangs off them (sessions, consents, refresh tokens, authorization codes,
    /// second factors): the tables have no foreign keys to cascade.</summary>
    Task DeleteAsync(string userId, CancellationToken ct = default);

    /// <summary>Forgets the user's consent to the client and revokes that client's refresh tokens for them (the
    /// same as "Remove" under connected apps at /account); false when there was no consent.</summary>
    Task<bool> RevokeConsentAsync(string userId, string clientId, CancellationToken ct = default);

    /// <summary>
    /// Removes the user's authenticator app and recovery codes and forgets their remembered devices (for a user who
    /// lost their phone). The next login that needs a second factor sends them to enrolment.
    /// </summary>
    Task ResetSecondFactorAsync(string userId, CancellationToken ct = default);

    /// <summary>How many admins (not locked) could sign in with a password, and with a verified phone.</summary>
    Task<AdminSignInPaths> AdminSignInPathsAsync(CancellationToken ct = default);
}

public sealed record AdminSignInPaths(int WithPassword, int WithPhone);

public sealed record UserSummary(string Id, string? Phone, string? Email, string? DisplayName, DateTimeOffset CreatedAt, bool Locked);

public sealed record UserDetail(
    UserSummary User,
    bool PhoneVerified,
    bool TwoFactorEnabled,
    IReadOnlyList<string> Roles,
    IReadOnlyList<UserSessionInfo> Sessions,
    UserMethods Methods,
    IReadOnlyList<UserConsentInfo> Consents);

/// <summary>How the user can sign in. A verified phone is also a second factor: a WhatsApp code after a password login.</summary>
public sealed record UserMethods(bool PasswordSet, bool PhoneVerified, bool AuthenticatorApp, int UnusedRecoveryCodes);

/// <summary>An app the user allowed (a remembered consent).</summary>
public sealed record UserConsentInfo(string ClientId, string ClientName, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

public sealed record UserSessionInfo(string IdPrefix, string Amr, DateTimeOffset AuthTime, DateTimeOffset LastSeenAt, string? IpAddress, string? UserAgent,
    string? Browser, string? System, bool Active);
