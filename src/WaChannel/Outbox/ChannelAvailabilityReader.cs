using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>Which channels can send: every one in Sandbox, the configured ones in Live, none when Disabled.</summary>
public sealed class ChannelAvailabilityReader(ChannelRuntime runtime, IOptionsMonitor<ChannelOptions> options)
{
    public ChannelAvailability Current => runtime.Mode switch
    {
        ChannelMode.Sandbox => new ChannelAvailability(true, true),
        ChannelMode.Live => new ChannelAvailability(options.CurrentValue.WhatsApp.IsConfigured, options.CurrentValue.Sms.IsConfigured),
        _ => new ChannelAvailability(false, false),
    };

    public bool Has(ChannelKind kind) => kind == ChannelKind.WhatsApp ? Current.WhatsApp : Current.Sms;
}
