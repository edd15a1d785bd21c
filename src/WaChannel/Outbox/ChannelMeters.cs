using System.Diagnostics.Metrics;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>The channel's own instruments (System.Diagnostics.Metrics, from this host's meter factory); the host exports them.</summary>
public sealed class ChannelMeters
{
    public const string MeterName = "WaIdentity.Channel";
    public const string SendsRefusedName = "waidentity_code_sends_refused";

    /// <summary>WhatsApp usually delivers within seconds; the SMS fallback starts after tens of seconds.</summary>
    private static readonly double[] DeliveryBuckets = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 120, 300];

    private readonly Histogram<double> _timeToDelivery;

    public ChannelMeters(IMeterFactory factory)
    {
        var meter = factory.Create(MeterName);
        SendsRefused = meter.CreateCounter<long>(SendsRefusedName,
            description: "Code sends refused by the channel's abuse limits, by reason.");
        _timeToDelivery = meter.CreateHistogram("waidentity_message_delivery_seconds", "s",
            "Time from a message being written to the outbox to the provider reporting it delivered, by channel and kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });
    }

    /// <summary>Tagged with the refusal's reason (country_not_allowed, prefix_denied, prefix_limit, ip_country_limit, ...).</summary>
    public Counter<long> SendsRefused { get; }

    public void Delivered(ChannelKind channel, MessageKind kind, TimeSpan sinceWritten) =>
        _timeToDelivery.Record(Math.Max(0, sinceWritten.TotalSeconds), new("channel", channel.ToString()), new("kind", kind.ToString()));
}
