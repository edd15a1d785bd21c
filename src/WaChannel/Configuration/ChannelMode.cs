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
    /// Auto: Sandbox in Development; elsewhere Live when a provider is configured. Production without any provider is
    /// Disabled rather than Sandbox, because the sandbox exposes a dev inbox that must never reach production.
    /// </summary>
    public static ChannelMode Resolve(ChannelOptions options, IHostEnvironment environment)
    {
        if (string.Equals(options.Mode, "Sandbox", StringComparison.OrdinalIgnoreCase)) return ChannelMode.Sandbox;
        if (string.Equals(options.Mode, "Live", StringComparison.OrdinalIgnoreCase)) return ChannelMode.Live;
        if (environment.IsDevelopment()) return ChannelMode.Sandbox;
        if (options.WhatsApp.IsConfigured || options.Sms.IsConfigured) return ChannelMode.Live;
        return environment.IsProduction() ? ChannelMode.Disabled : ChannelMode.Sandbox;
    }
}
