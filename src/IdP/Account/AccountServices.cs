using WaIdentity.IdP.Jobs;

namespace WaIdentity.IdP.Account;

internal static class AccountServices
{
    public static IServiceCollection AddIdpAccount(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ReauthGate>();
        services.AddScoped<AccountSessions>();
        services.AddScoped<ConnectedApps>();
        services.AddScoped<NotMeLinks>();
        services.AddScoped<SignedInName>();
        services.AddScoped<IExpiredRowPurger, NotMeLinks.Purger>();
        return services;
    }
}
