using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Login.Passkeys;

/// <summary>
/// A registered WebAuthn credential (a passkey). The user handle is random and the same for all of a user's passkeys
/// (authenticators keep one discoverable credential per user handle); it is never the user id or the phone.
/// </summary>
internal sealed class Passkey
{
    /// <summary>Our own id for links and forms (the credential id can be long).</summary>
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    /// <summary>The credential id, base64url.</summary>
    public string CredentialId { get; set; } = "";
    /// <summary>The COSE public key.</summary>
    public byte[] PublicKey { get; set; } = [];
    /// <summary>The WebAuthn user handle, base64url.</summary>
    public string UserHandle { get; set; } = "";
    public long SignCount { get; set; }
    /// <summary>Comma-separated (usb, nfc, ble, smart-card, hybrid, internal), as the browser reported them.</summary>
    public string Transports { get; set; } = "";
    /// <summary>The BE flag: the passkey may be synced to other devices (then it counts as a software key).</summary>
    public bool BackupEligible { get; set; }
    /// <summary>The BS flag, as of the last use.</summary>
    public bool BackedUp { get; set; }
    public Guid Aaguid { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<Passkey>
{
    public void Configure(EntityTypeBuilder<Passkey> e)
    {
        e.ToTable("Passkeys");
        e.Property(p => p.Id).HasMaxLength(32);
        e.Property(p => p.CredentialId).HasMaxLength(1400);
        e.Property(p => p.UserHandle).HasMaxLength(100);
        e.Property(p => p.Transports).HasMaxLength(200);
        e.Property(p => p.Name).HasMaxLength(64);
        e.HasIndex(p => p.CredentialId).IsUnique();
        e.HasIndex(p => p.UserId);
    }
}
