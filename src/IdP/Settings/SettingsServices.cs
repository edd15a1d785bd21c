using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Settings;

internal static class SettingsServices
{
    /// <summary>The overlay layer that <see cref="SettingsOverlayConfiguration.AddSettingsOverlay"/> put into the
    /// configuration, its loader and the poll that keeps a cluster's nodes in step.</summary>
    public static IServiceCollection AddIdpSettings(this IServiceCollection services, IConfiguration configuration)
    {
        var overlay = (configuration as IConfigurationRoot)?.Providers.OfType<SettingsOverlayProvider>().SingleOrDefault()
            ?? throw new InvalidOperationException("The configuration has no settings overlay: call AddSettingsOverlay() when building it.");
        services.AddValidatedOptions<SettingsOptions>(configuration, SettingsOptions.Section);
        services.AddSingleton(overlay);
        services.AddSingleton<SettingsProtector>();
        services.AddSingleton<SettingsOverlayLoader>();
        services.AddSingleton<SettingsSections>();
        services.AddHostedService<SettingsOverlayPoller>();
        return services;
    }
}
