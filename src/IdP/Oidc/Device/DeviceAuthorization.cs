using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>
/// One device authorization request (RFC 8628), keyed by the SHA-256 of its device_code; the user code is stored as
/// its SHA-256 too, so a database leak yields neither. The user approves or denies it (in the browser, or by a
/// WhatsApp reply from <see cref="ApprovalPhone"/>); the device redeems an approved one once.
/// </summary>
internal sealed class DeviceAuthorization
{
    public string Id { get; set; } = "";
    public string UserCodeHash { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Scope { get; set; } = "";
    /// <summary>The language the user is addressed in (the WhatsApp question), from ui_locales or the request.</summary>
    public string Locale { get; set; } = "en";
    /// <summary>Seconds the device must wait between polls; raised by 5 at each slow_down (RFC 8628 3.5).</summary>
    public int IntervalSeconds { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
    /// <summary>The phone asked to approve over WhatsApp: only a reply from this number counts.</summary>
    public string? ApprovalPhone { get; set; }
    /// <summary>The address the device asked from, named as a place in the WhatsApp question (PlaceOfAddress).</summary>
    public string? DeviceIp { get; set; }
    public DateTimeOffset? ApprovalAskedAt { get; set; }
    /// <summary>SHA-256 of the reference the question's reply buttons carry (<see cref="DeviceApprovalButtons"/>); a new
    /// question replaces it, so only the buttons of the latest question answer.</summary>
    public string? ApprovalReferenceHash { get; set; }
    public string? UserId { get; set; }
    public string? SessionId { get; set; }
    public string? Amr { get; set; }
    public string? Acr { get; set; }
    public DateTimeOffset? AuthTime { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public DateTimeOffset? DeniedAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Still waiting for the user's answer, and not expired.</summary>
    public bool IsPending(DateTimeOffset now) => ApprovedAt is null && DeniedAt is null && ExpiresAt > now;
}

internal sealed class DeviceAuthorizationConfiguration : IEntityTypeConfiguration<DeviceAuthorization>
{
    public void Configure(EntityTypeBuilder<DeviceAuthorization> e)
    {
        e.ToTable("OidcDeviceAuthorizations");
        e.Property(d => d.Id).HasMaxLength(64);
        e.Property(d => d.UserCodeHash).HasMaxLength(64);
        e.Property(d => d.ClientId).HasMaxLength(100);
        e.Property(d => d.Locale).HasMaxLength(10);
        e.Property(d => d.ApprovalPhone).HasMaxLength(16);
        e.Property(d => d.DeviceIp).HasMaxLength(45);
        e.Property(d => d.SessionId).HasMaxLength(64);
        e.Property(d => d.ApprovalReferenceHash).HasMaxLength(64);
        e.HasIndex(d => d.UserCodeHash).IsUnique();
        e.HasIndex(d => d.ApprovalReferenceHash);
        e.HasIndex(d => d.ExpiresAt);
    }
}
