using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Jobs;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Device;

/// <summary>The linked gateway device's services, its <see cref="DeviceWatchdogJob"/>, and its endpoints.</summary>
internal static class DeviceServices
{
    public static IServiceCollection AddChannelDevice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeviceOptions>, DeviceOptionsValidator>();
        services.AddSingleton<GatewayEndpoint>();
        services.AddScoped<DeviceGatewayClient>();
        services.AddScoped<DeviceStateRecorder>();
        services.AddScoped<WaitingMessagesRelease>();
        services.AddScoped<WaitingMessagesHold>();
        services.AddScoped<DeviceReadiness>();
        services.AddScoped<GatewayEventHandler>();
        services.AddScoped<DeviceAckHandler>();
        services.AddScoped<IMessageProvider, DeviceMessageProvider>();
        services.AddScoped<DeviceAdmin>();
        services.AddRecurringJob<DeviceWatchdogJob>(DeviceWatchdogJob.Name, sp => WatchdogInterval(sp.GetRequiredService<IOptions<DeviceOptions>>().Value));
        services.AddHttpClient(DeviceGatewayClient.HttpClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<DeviceOptions>>().Value.RequestTimeoutSeconds));
        return services;
    }

    public static void MapChannelDevice(this IEndpointRouteBuilder app) => GatewayWebhookEndpoint.Map(app);

    /// <summary>The watchdog's period from settings, never under the 2 s floor.</summary>
    public static TimeSpan WatchdogInterval(DeviceOptions options) =>
        TimeSpan.FromSeconds(Math.Max(DeviceWatchdogJob.MinPollInterval.TotalSeconds, options.WatchdogIntervalSeconds));
}
