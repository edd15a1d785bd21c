using System.Diagnostics.Metrics;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>The channel's own instruments (System.Diagnostics.Metrics, from this host's meter factory); the host exports them.</summary>
public sealed class ChannelMeters
{
    public const string MeterName = "WaIdentity.Channel";
    public const string SendsRefusedName = "waidentity_code_sends_refused";

    public ChannelMeters(IMeterFactory factory)
    {
        SendsRefused = factory.Create(MeterName).CreateCounter<long>(SendsRefusedName,
            description: "Code sends refused by the channel's abuse limits, by reason.");
    }

    /// <summary>Tagged with the refusal's reason (country_not_allowed, prefix_denied, prefix_limit, ip_country_limit, ...).</summary>
    public Counter<long> SendsRefused { get; }
}
