using WaIdentity.IdP.Jobs;

namespace WaIdentity.IdP.Login.Passkeys;

internal static class PasskeyServices
{
    /// <summary>Part of the login feature (its options live in <c>Login:Passkeys</c>).</summary>
    public static IServiceCollection AddIdpPasskeys(this IServiceCollection services)
    {
        services.AddSingleton<PasskeyRelyingParty>();
        services.AddScoped<PasskeyCeremonies>();
        services.AddScoped<PasskeyStore>();
        services.AddScoped<PasskeyRegistration>();
        services.AddScoped<PasskeyAssertion>();
        services.AddScoped<IExpiredRowPurger, ExpiredCeremonyPurger>();
        return services;
    }
}
