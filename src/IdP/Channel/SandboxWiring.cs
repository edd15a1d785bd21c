using WaIdentity.IdP.Configuration;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Sandbox;

namespace WaIdentity.IdP.Channel;

/// <summary>
/// The sandbox (emulators and dev inbox, the WaChannel.Sandbox project) is registered and mapped only when the channel
/// runs in Sandbox, which <see cref="ChannelRuntime"/> allows in Development only: in any other configuration its
/// endpoints do not exist.
/// </summary>
internal static class SandboxWiring
{
    public static IServiceCollection AddIdpSandbox(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) =>
        IsSandbox(configuration, environment) ? services.AddWaChannelSandbox() : services;

    /// <summary>The mode <see cref="ChannelRuntime"/> will run in, read while services are registered (the mode is not a portal setting).</summary>
    public static bool IsSandbox(IConfiguration configuration, IHostEnvironment environment) =>
        ChannelRuntime.Resolve(configuration.ReadOptions<ChannelOptions>(ChannelOptions.Section), environment) == ChannelMode.Sandbox;

    public static void MapIdpSandbox(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ChannelRuntime>().IsSandbox) app.MapWaChannelSandbox();
    }
}
