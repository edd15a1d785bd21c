using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.Tests.Channel;

/// <summary>Records what the inbound dispatcher hands over; claims the messages whose text starts with <see cref="ClaimPrefix"/>.</summary>
public sealed class InboundRecorder : IInboundMessageSubscriber, IUnclaimedInboundHandler
{
    public string? ClaimPrefix { get; init; }
    public List<InboundMessage> Seen { get; } = [];
    public List<InboundMessage> Unclaimed { get; } = [];

    public Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct)
    {
        Seen.Add(message);
        return Task.FromResult(ClaimPrefix is not null && message.Text.StartsWith(ClaimPrefix, StringComparison.Ordinal));
    }

    public Task OnUnclaimedAsync(InboundMessage message, CancellationToken ct)
    {
        Unclaimed.Add(message);
        return Task.CompletedTask;
    }
}
