using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Login.WhatsAppOtp;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Login;

internal static class LoginServices
{
    public static IServiceCollection AddIdpLogin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LoginOptions>(configuration, LoginOptions.Section);
        services.AddSingleton<IValidateOptions<LoginOptions>, CodeHashKeyRequirement>();
        services.AddSingleton<LoginFlowCookie>();
        services.AddSingleton<Phones.PhoneInput>();
        services.AddSingleton<OtpCodeHasher>();
        services.AddSingleton<OtpCodeProtector>();
        services.AddScoped<ResendCooldown>();
        services.AddScoped<OtpIssuer>();
        services.AddScoped<OtpVerifier>();
        services.AddScoped<PhoneFailureGate>();
        services.AddScoped<PhoneAccounts>();
        services.AddScoped<Phones.StoredPhoneCheck>();
        services.AddScoped<PasswordRegistration>();
        services.AddScoped<Password.PasswordThrottle>();
        services.AddScoped<Password.PasswordCheck>();
        services.AddScoped<DeliveryStatusReport>();
        services.AddScoped<IExpiredRowPurger, ExpiredChallengePurger>();
        services.AddScoped<SentCodeChallenges>();
        services.AddScoped<SendCodeIssuer>();
        services.AddScoped<SendCodeCompletion>();
        services.AddScoped<SendCodeEvents>();
        services.AddScoped<IInboundMessageSubscriber, SendCodeInbound>();
        services.AddIdpSecondFactor();
        services.AddIdpPasskeys();
        return services;
    }

    /// <summary>The login endpoints that are not pages: the send-code waiting page's event stream.</summary>
    public static WebApplication MapIdpLogin(this WebApplication app)
    {
        // Its own route (not a page handler), so request metrics count its long-lived streams apart from the page.
        app.MapGet("/login/send-code/events", (HttpContext h, SendCodeEvents e) => e.StreamAsync(h)).ExcludeFromDescription();
        return app;
    }
}
