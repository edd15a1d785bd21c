using WaIdentity.IdP.Jobs;

namespace WaIdentity.IdP.RateLimiting;

internal static class RateLimitingServices
{
    public static IServiceCollection AddIdpRateLimiting(this IServiceCollection services)
    {
        services.AddScoped<FixedWindowLimiter>();
        services.AddScoped<IExpiredRowPurger, ExpiredCounterPurger>();
        return services;
    }
}
