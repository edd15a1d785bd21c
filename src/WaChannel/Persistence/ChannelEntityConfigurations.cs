using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel.Persistence;

internal sealed class OutboundMessageConfiguration : IEntityTypeConfiguration<OutboundMessage>
{
    public void Configure(EntityTypeBuilder<OutboundMessage> e)
    {
        e.ToTable("ChannelMessages");
        e.HasKey(m => m.Id);
        e.Property(m => m.Phone).HasMaxLength(64);
        e.Property(m => m.Locale).HasMaxLength(16);
        e.Property(m => m.Purpose).HasMaxLength(64);
        e.Property(m => m.LeaseOwner).HasMaxLength(64);
        e.Property(m => m.ClientIp).HasMaxLength(45);
        e.Property(m => m.ProviderMessageId).HasMaxLength(200);
        e.Property(m => m.WaId).HasMaxLength(32);
        e.Property(m => m.ErrorCode).HasMaxLength(32);
        e.Property(m => m.Error).HasMaxLength(300);
        e.Property(m => m.PricingCategory).HasMaxLength(64);
        e.Property(m => m.TraceParent).HasMaxLength(55);
        e.HasIndex(m => new { m.Dispatch, m.NextAttemptAt });
        e.HasIndex(m => m.ProviderMessageId);
        e.HasIndex(m => new { m.Phone, m.CreatedAt });
        e.HasIndex(m => m.DeliverBy);
        e.HasIndex(m => new { m.ClientIp, m.CreatedAt });
        e.HasIndex(m => m.CreatedAt);
    }
}

internal sealed class MessageStatusEventConfiguration : IEntityTypeConfiguration<MessageStatusEvent>
{
    public void Configure(EntityTypeBuilder<MessageStatusEvent> e)
    {
        e.ToTable("ChannelMessageStates");
        e.HasKey(s => new { s.MessageId, s.State });
        e.Property(s => s.ErrorCode).HasMaxLength(32);
    }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> e)
    {
        e.ToTable("ChannelWebhookEvents");
        e.HasKey(w => w.Id);
        e.Property(w => w.Source).HasMaxLength(16);
        e.Property(w => w.TraceParent).HasMaxLength(55);
        e.Property(w => w.LeaseOwner).HasMaxLength(64);
        e.HasIndex(w => new { w.ProcessedAt, w.ReceivedAt }); // the due events, oldest first (V0017)
    }
}

internal sealed class InboundMessageRecordConfiguration : IEntityTypeConfiguration<InboundMessageRecord>
{
    public void Configure(EntityTypeBuilder<InboundMessageRecord> e)
    {
        e.ToTable("ChannelInboundMessages");
        e.HasKey(i => i.ProviderMessageId);
        e.Property(i => i.ProviderMessageId).HasMaxLength(200);
        e.Property(i => i.Phone).HasMaxLength(20);
        e.HasIndex(i => i.ReceivedAt);
    }
}

internal sealed class SandboxMessageConfiguration : IEntityTypeConfiguration<SandboxMessage>
{
    public void Configure(EntityTypeBuilder<SandboxMessage> e)
    {
        e.ToTable("ChannelSandboxMessages");
        e.HasKey(s => s.Id);
        e.Property(s => s.Id).HasMaxLength(200);
        e.Property(s => s.Channel).HasMaxLength(16);
        e.Property(s => s.Phone).HasMaxLength(64);
        e.Property(s => s.Code).HasMaxLength(32);
        e.Property(s => s.Correlation).HasMaxLength(200);
        e.Property(s => s.State).HasMaxLength(16);
        e.Property(s => s.PendingStatuses).HasMaxLength(100);
        e.Property(s => s.Buttons).HasMaxLength(2000);
        e.HasIndex(s => new { s.Phone, s.CreatedAt });
    }
}
