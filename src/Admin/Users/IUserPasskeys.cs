namespace WaIdentity.Admin.Users;

/// <summary>A user's passkeys as the portal sees them: listed, and removed one by one (a lost or stolen device).</summary>
public interface IUserPasskeys
{
    Task<IReadOnlyList<UserPasskeyInfo>> ListAsync(string userId, CancellationToken ct = default);

    /// <summary>False when the user has no such passkey.</summary>
    Task<bool> RemoveAsync(string userId, string passkeyId, CancellationToken ct = default);
}

/// <param name="Synced">Backup eligible: the passkey may be synced between the user's devices.</param>
public sealed record UserPasskeyInfo(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Synced, string Transports);
