using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>
/// Which channels can send: every one in Sandbox, the configured ones in Live, none when Disabled. The linked
/// device counts when it is enabled (Channel:Device), whether or not it is linked right now: its messages wait.
/// </summary>
internal sealed class ChannelAvailabilityReader(ChannelRuntime runtime, IOptionsMonitor<ChannelOptions> options, GatewayEndpoint device)
{
    public ChannelAvailability Current => runtime.Mode switch
    {
        ChannelMode.Sandbox => new ChannelAvailability(true, true, device.IsActive),
        ChannelMode.Live => new ChannelAvailability(options.CurrentValue.WhatsApp.IsConfigured, options.CurrentValue.Sms.IsConfigured, device.IsActive),
        _ => new ChannelAvailability(false, false),
    };

    public bool Has(ChannelKind kind) => kind switch
    {
        ChannelKind.WhatsApp => Current.WhatsApp,
        ChannelKind.Sms => Current.Sms,
        _ => Current.Groups,
    };
}
