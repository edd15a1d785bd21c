using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.IdP.Settings;

/// <summary>One configuration key set in the admin portal; it overrides the same key from files and environment.</summary>
internal sealed class SettingRow
{
    /// <summary>The configuration key, e.g. "Login:Otp:CodeLength".</summary>
    public string Key { get; set; } = "";
    /// <summary>The value as configuration text; Data Protection ciphertext for secret keys.</summary>
    public string? Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

internal sealed class SettingRowConfiguration : IEntityTypeConfiguration<SettingRow>
{
    public void Configure(EntityTypeBuilder<SettingRow> e)
    {
        e.ToTable("Settings");
        e.HasKey(r => r.Key);
        e.Property(r => r.Key).HasMaxLength(200);
        e.Property(r => r.UpdatedBy).HasMaxLength(64);
    }
}
