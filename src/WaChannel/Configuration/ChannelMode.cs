using Microsoft.Extensions.Hosting;

namespace WaIdentity.WaChannel.Configuration;

public enum ChannelMode { Sandbox, Live, Disabled }

/// <summary>Which mode the channel runs in, decided once at start-up from settings and the environment.</summary>
public sealed class ChannelRuntime
{
    public ChannelRuntime(ChannelOptions options, IHostEnvironment environment)
    {
        Mode = Resolve(options, environment);
    }

    public ChannelMode Mode { get; }
    public bool IsSandbox => Mode == ChannelMode.Sandbox;

    /// <summary>
    /// The sandbox (emulators, dev inbox, demo client) exists only in Development: it lets anyone read every code and
    /// act as any phone. Auto: Sandbox in Development; elsewhere Live when a provider is configured, else Disabled (no
    /// code can be sent; <see cref="ChannelOptionsValidator"/> refuses an explicit Sandbox outside Development, and
    /// this never answers Sandbox there either).
    /// </summary>
    public static ChannelMode Resolve(ChannelOptions options, IHostEnvironment environment)
    {
        if (string.Equals(options.Mode, "Live", StringComparison.OrdinalIgnoreCase)) return ChannelMode.Live;
        if (environment.IsDevelopment()) return ChannelMode.Sandbox;
        if (string.Equals(options.Mode, "Sandbox", StringComparison.OrdinalIgnoreCase)) return ChannelMode.Disabled;
        return options.WhatsApp.IsConfigured || options.Sms.IsConfigured ? ChannelMode.Live : ChannelMode.Disabled;
    }
}
