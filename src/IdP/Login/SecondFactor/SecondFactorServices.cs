namespace WaIdentity.IdP.Login.SecondFactor;

internal static class SecondFactorServices
{
    /// <summary>Part of the login feature (its options live in <c>Login:SecondFactor</c>).</summary>
    public static IServiceCollection AddIdpSecondFactor(this IServiceCollection services)
    {
        services.AddScoped<TotpStore>();
        services.AddScoped<RecoveryCodeStore>();
        services.AddScoped<SecondFactorVerifier>();
        services.AddScoped<SecondFactorPolicy>();
        services.AddSingleton<PendingSecondFactorCookie>();
        services.AddScoped<RememberedDevice>();
        services.AddScoped<FirstFactorCompletion>();
        services.AddScoped<SecurityNotice>();
        services.AddScoped<FactorCheckServices>();
        return services;
    }
}
