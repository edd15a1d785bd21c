using Microsoft.Extensions.Options;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Jobs;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Retention;

namespace WaIdentity.IdP.Channel;

/// <summary>The IdP's side of the channel: its database, its schema versions after the IdP's, and its scheduled jobs.</summary>
public static class ChannelWiring
{
    public static IServiceCollection AddIdpChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var migrationsAssembly = typeof(ChannelDbContext).Assembly.GetName().Name!;
        services.AddWaChannel(configuration, (sp, b) => DatabaseConfigurator.Configure(
            b, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, ChannelDbContext.HistoryTable, migrationsAssembly));
        services.AddSingleton(new SchemaOwner(typeof(ChannelDbContext)));
        // An empty SMS country allow-list means the login's default country: one setting names the home country.
        services.PostConfigure<ChannelOptions>(o => o.Limits.HomeCountryCode =
            configuration[$"{WaIdentity.IdP.Login.LoginOptions.Section}:DefaultCountryCode"] is { Length: > 0 } home ? home : new WaIdentity.IdP.Login.LoginOptions().DefaultCountryCode);
        var checkSeconds = configuration.GetValue($"{ChannelOptions.Section}:Fallback:CheckIntervalSeconds", 5);
        services.AddRecurringJob<FallbackTimeoutJob>(FallbackTimeoutJob.Name, TimeSpan.FromSeconds(Math.Max(1, checkSeconds)));
        services.AddRecurringJob<WaIdentity.WaChannel.Device.DeviceWatchdogJob>(WaIdentity.WaChannel.Device.DeviceWatchdogJob.Name, WaIdentity.WaChannel.Device.DeviceServices.WatchdogInterval(configuration));
        services.AddScoped<IExpiredRowPurger, ChannelRowPurger>();
        return services;
    }

    /// <summary>Lets the IdP's purge job apply the channel's retention.</summary>
    private sealed class ChannelRowPurger(ChannelRetention retention) : IExpiredRowPurger
    {
        public string Name => "channel messages and webhook events";

        public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) => retention.PurgeAsync(now, ct);
    }
}
