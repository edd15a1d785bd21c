using Fido2NetLib.Objects;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>A user's passkeys: listed, renamed and removed by the user (or an admin), and looked up for a ceremony.</summary>
internal sealed class PasskeyStore(IdpDbContext db)
{
    public const int NameMaxLength = 64;

    public Task<List<Passkey>> ListAsync(string userId, CancellationToken ct) =>
        db.Set<Passkey>().AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.CreatedAt).ToListAsync(ct);

    public Task<bool> AnyAsync(string userId, CancellationToken ct) => db.Set<Passkey>().AnyAsync(p => p.UserId == userId, ct);

    public Task<Passkey?> FindByCredentialIdAsync(string credentialId, CancellationToken ct) =>
        db.Set<Passkey>().AsNoTracking().FirstOrDefaultAsync(p => p.CredentialId == credentialId, ct);

    public Task<bool> CredentialIdTakenAsync(string credentialId, CancellationToken ct) =>
        db.Set<Passkey>().AnyAsync(p => p.CredentialId == credentialId, ct);

    public async Task AddAsync(Passkey passkey, CancellationToken ct)
    {
        db.Set<Passkey>().Add(passkey);
        await db.SaveChangesAsync(ct);
    }

    /// <returns>False when the user has no such passkey.</returns>
    public async Task<bool> RenameAsync(string userId, string id, string name, CancellationToken ct) =>
        await db.Set<Passkey>().Where(p => p.UserId == userId && p.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Name, CleanName(name)), ct) == 1;

    /// <returns>False when the user has no such passkey.</returns>
    public async Task<bool> RemoveAsync(string userId, string id, CancellationToken ct) =>
        await db.Set<Passkey>().Where(p => p.UserId == userId && p.Id == id).ExecuteDeleteAsync(ct) == 1;

    public Task<int> RemoveAllAsync(string userId, CancellationToken ct) =>
        db.Set<Passkey>().Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);

    /// <summary>
    /// Records a use: the new signature counter and backup state. Conditional on the counter read before the check,
    /// so of two answers checked against the same counter only one moves it on.
    /// </summary>
    public async Task<bool> RecordUseAsync(Passkey used, uint signCount, bool backedUp, DateTimeOffset at, CancellationToken ct) =>
        await db.Set<Passkey>().Where(p => p.Id == used.Id && p.SignCount == used.SignCount)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.SignCount, signCount).SetProperty(p => p.BackedUp, backedUp).SetProperty(p => p.LastUsedAt, at), ct) == 1;

    public async Task<List<PublicKeyCredentialDescriptor>> DescriptorsAsync(string userId, CancellationToken ct) =>
        (await ListAsync(userId, ct)).Select(Descriptor).ToList();

    /// <summary>Trimmed, control characters out, at most <see cref="NameMaxLength"/> characters.</summary>
    public static string CleanName(string name)
    {
        var clean = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length <= NameMaxLength ? clean : clean[..NameMaxLength];
    }

    private static PublicKeyCredentialDescriptor Descriptor(Passkey p) => new(
        PublicKeyCredentialType.PublicKey, Base64UrlText.Decode(p.CredentialId), TransportsOf(p));

    private static AuthenticatorTransport[]? TransportsOf(Passkey p)
    {
        var list = p.Transports.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => PasskeyTransports.Parse(t)).OfType<AuthenticatorTransport>().ToArray();
        return list.Length == 0 ? null : list;
    }
}

/// <summary>WebAuthn's base64url (RFC 4648 §5, no padding) for ids kept as text.</summary>
internal static class Base64UrlText
{
    public static string Encode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}

/// <summary>The transports' names as WebAuthn spells them ("smart-card"), not as the enum does.</summary>
internal static class PasskeyTransports
{
    private static readonly Dictionary<string, AuthenticatorTransport> Names = new(StringComparer.Ordinal)
    {
        ["usb"] = AuthenticatorTransport.Usb, ["nfc"] = AuthenticatorTransport.Nfc, ["ble"] = AuthenticatorTransport.Ble,
        ["smart-card"] = AuthenticatorTransport.SmartCard, ["hybrid"] = AuthenticatorTransport.Hybrid, ["internal"] = AuthenticatorTransport.Internal,
    };

    public static AuthenticatorTransport? Parse(string name) => Names.TryGetValue(name, out var t) ? t : null;

    public static string Join(IEnumerable<AuthenticatorTransport>? transports) =>
        string.Join(',', (transports ?? []).Select(t => Names.First(n => n.Value == t).Key).Distinct());
}
