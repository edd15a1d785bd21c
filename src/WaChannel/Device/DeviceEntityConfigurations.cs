using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WaIdentity.WaChannel.Device;

internal sealed class DeviceStateConfiguration : IEntityTypeConfiguration<DeviceState>
{
    public void Configure(EntityTypeBuilder<DeviceState> e)
    {
        e.ToTable("ChannelDevices");
        e.HasKey(d => d.Session);
        e.Property(d => d.Session).HasMaxLength(64);
        e.Property(d => d.Status).HasMaxLength(40);
        e.Property(d => d.AccountPhone).HasMaxLength(20);
        e.Property(d => d.AccountName).HasMaxLength(100);
    }
}

internal sealed class DeviceEventConfiguration : IEntityTypeConfiguration<DeviceEvent>
{
    public void Configure(EntityTypeBuilder<DeviceEvent> e)
    {
        e.ToTable("ChannelDeviceEvents");
        e.HasKey(d => d.Id);
        e.Property(d => d.Session).HasMaxLength(64);
        e.Property(d => d.Kind).HasMaxLength(16);
        e.Property(d => d.Detail).HasMaxLength(300);
        e.HasIndex(d => new { d.Session, d.At });
    }
}

internal sealed class DeviceAlertConfiguration : IEntityTypeConfiguration<DeviceAlert>
{
    public void Configure(EntityTypeBuilder<DeviceAlert> e)
    {
        e.ToTable("ChannelDeviceAlerts");
        e.HasKey(d => d.Id);
        e.Property(d => d.Session).HasMaxLength(64);
        e.Property(d => d.Kind).HasMaxLength(32);
        e.Property(d => d.Message).HasMaxLength(300);
        e.HasIndex(d => new { d.Session, d.ResolvedAt });
    }
}
