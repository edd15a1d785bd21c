using WaIdentity.IdP.Jobs;

namespace WaIdentity.IdP.RateLimiting;

public static class RateLimitingServices
{
    public static IServiceCollection AddIdpRateLimiting(this IServiceCollection services)
    {
        services.AddScoped<FixedWindowLimiter>();
        services.AddSingleton<BlockReservingLimiter>();
        services.AddScoped<IExpiredRowPurger, ExpiredCounterPurger>();
        return services;
    }
}
