using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Retention;

namespace WaIdentity.IdP.Channel;

/// <summary>The IdP's side of the channel: its database, its schema versions after the IdP's, and its retention in the purge job.</summary>
internal static class ChannelWiring
{
    public static IServiceCollection AddIdpChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var migrationsAssembly = typeof(ChannelDbContext).Assembly.GetName().Name!;
        services.AddWaChannel(configuration, (sp, b) => DatabaseConfigurator.Configure(
            b, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, ChannelDbContext.HistoryTable, migrationsAssembly));
        services.AddSingleton(new SchemaOwner(typeof(ChannelDbContext)));
        // An empty SMS country allow-list means the login's default country: one setting names the home country.
        // Read from configuration on each rebuild (the portal may change it), not through IOptions<LoginOptions>: the
        // channel's options would then throw the login's validation errors in place of their own.
        services.PostConfigure<ChannelOptions>(o => o.Limits.HomeCountryCode =
            configuration.ReadOptions<LoginOptions>(LoginOptions.Section).DefaultCountryCode is { Length: > 0 } home ? home : new LoginOptions().DefaultCountryCode);
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
