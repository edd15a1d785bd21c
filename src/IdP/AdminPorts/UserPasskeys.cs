using WaIdentity.Admin.Users;
using WaIdentity.IdP.Login.Passkeys;

namespace WaIdentity.IdP.AdminPorts;

/// <summary>The portal's view of a user's passkeys, over the login feature's store.</summary>
internal sealed class UserPasskeys(PasskeyStore store) : IUserPasskeys
{
    public async Task<IReadOnlyList<UserPasskeyInfo>> ListAsync(string userId, CancellationToken ct = default) =>
        (await store.ListAsync(userId, ct))
            .Select(p => new UserPasskeyInfo(p.Id, p.Name, p.CreatedAt, p.LastUsedAt, p.BackupEligible, p.Transports)).ToList();

    public Task<bool> RemoveAsync(string userId, string passkeyId, CancellationToken ct = default) => store.RemoveAsync(userId, passkeyId, ct);
}
