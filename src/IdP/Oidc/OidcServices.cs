using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.ClientAuthentication;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Consent;
using WaIdentity.IdP.Oidc.Device;
using WaIdentity.IdP.Oidc.Discovery;
using WaIdentity.IdP.Oidc.Dpop;
using WaIdentity.IdP.Oidc.Grants;
using WaIdentity.IdP.Oidc.Interaction;
using WaIdentity.IdP.Oidc.Introspection;
using WaIdentity.IdP.Oidc.Keys;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.IdP.Oidc.Par;
using WaIdentity.IdP.Oidc.Replay;
using WaIdentity.IdP.Oidc.Revocation;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Oidc.UserInfo;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Jobs;

namespace WaIdentity.IdP.Oidc;

internal static class OidcServices
{
    public static IServiceCollection AddIdpOidc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OidcOptions>(configuration, OidcOptions.Section);
        services.AddSingleton<IssuerResolver>();
        services.AddSingleton<SigningKeyFactory>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<JwtReader>();
        services.AddScoped<ClientRegistry>();
        services.AddSingleton<ClientCache>();
        services.AddScoped<ClientAuthenticator>();
        services.AddScoped<ClientRequestReader>();
        services.AddScoped<ClientAssertionValidator>();
        services.AddSingleton<ClientKeySource>();
        services.AddHttpClient(ClientKeySource.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(5);
            c.MaxResponseContentBufferSize = 64 * 1024;
        });
        services.AddScoped<AuthorizeRequestValidator>();
        services.AddScoped<PendingAuthorizationStore>();
        services.AddScoped<AuthorizationCodeIssuer>();
        services.AddScoped<ConsentStore>();
        services.AddScoped<TokenRevoker>();
        services.AddScoped<RefreshTokenStore>();
        services.AddScoped<AccessTokenReader>();
        services.AddScoped<AuthorizeEndpoint>();
        services.AddScoped<PushedAuthorizationStore>();
        services.AddScoped<PushedAuthorizationEndpoint>();
        services.AddScoped<JwtIdReplayCache>();
        services.AddSingleton<DpopNonces>();
        services.AddScoped<DpopProofValidator>();
        services.AddScoped<DpopTokenRequestProof>();
        services.AddScoped<DpopResourceRequest>();
        services.AddScoped<TokenEndpoint>();
        services.AddSingleton<TokenRateLimiter>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenRateLimiter>());
        services.AddScoped<AuthorizationCodeGrant>();
        services.AddScoped<RefreshTokenGrant>();
        services.AddScoped<ClientCredentialsGrant>();
        services.AddScoped<DeviceCodeGrant>();
        services.AddScoped<DeviceAuthorizationStore>();
        services.AddScoped<DeviceAuthorizationEndpoint>();
        services.AddScoped<DeviceApprovalQuestion>();
        services.AddScoped<DeviceUserCodeLimit>();
        services.AddScoped<IInboundMessageSubscriber, DeviceApprovalInbound>();
        services.AddScoped<UserInfoEndpoint>();
        services.AddScoped<RevocationEndpoint>();
        services.AddScoped<IntrospectionEndpoint>();
        services.AddScoped<EndSessionEndpoint>();
        services.AddScoped<SessionClients>();
        services.AddScoped<IExpiredRowPurger, SessionClients.Purger>();
        services.AddScoped<BackChannelLogout>();
        services.AddScoped<ISessionEndListener>(sp => sp.GetRequiredService<BackChannelLogout>());
        services.AddSingleton<DiscoveryEndpoint>();
        services.AddSingleton<JwksEndpoint>();
        services.AddScoped<ILoginRequestContextReader, LoginRequestContextReader>();
        services.AddScoped<ISecondFactorDemand, RequestSecondFactorDemand>();
        services.AddScoped<IExpiredRowPurger, OidcExpiredRowPurger>();
        services.AddHostedService<ClientSeeder>();
        services.AddHostedService<DemoClientSeeder>();
        services.AddRecurringJob<SigningKeyRotationJob>(SigningKeyRotationJob.Name, TimeSpan.FromHours(1));
        // Browser clients (SPAs) call discovery, JWKS, PAR, token and userinfo cross-origin; never the authorize endpoint.
        // They must read the DPoP nonce and the userinfo challenge (RFC 9449 8, 7.1).
        services.AddCors(o => o.AddPolicy(OidcConstants.CorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET", "POST")
            .WithExposedHeaders("DPoP-Nonce", "WWW-Authenticate")));
        return services;
    }

    public static IEndpointRouteBuilder MapIdpOidc(this IEndpointRouteBuilder app)
    {
        app.MapMethods(OidcConstants.AuthorizePath, ["GET", "POST"], (HttpContext h, AuthorizeEndpoint e) => e.HandleAsync(h)).DisableAntiforgery();
        app.MapPost(OidcConstants.PushedAuthorizationPath, (HttpContext h, PushedAuthorizationEndpoint e) => e.HandleAsync(h)).RequireCors(OidcConstants.CorsPolicy).DisableAntiforgery();
        app.MapPost(OidcConstants.DeviceAuthorizationPath, (HttpContext h, DeviceAuthorizationEndpoint e) => e.HandleAsync(h)).RequireCors(OidcConstants.CorsPolicy).DisableAntiforgery();
        app.MapPost(OidcConstants.TokenPath, (HttpContext h, TokenEndpoint e) => e.HandleAsync(h)).RequireCors(OidcConstants.CorsPolicy).DisableAntiforgery();
        app.MapMethods(OidcConstants.UserInfoPath, ["GET", "POST"], (HttpContext h, UserInfoEndpoint e) => e.HandleAsync(h)).RequireCors(OidcConstants.CorsPolicy).DisableAntiforgery();
        app.MapPost(OidcConstants.RevocationPath, (HttpContext h, RevocationEndpoint e) => e.HandleAsync(h)).RequireCors(OidcConstants.CorsPolicy).DisableAntiforgery();
        app.MapPost(OidcConstants.IntrospectionPath, (HttpContext h, IntrospectionEndpoint e) => e.HandleAsync(h)).DisableAntiforgery();
        app.MapMethods(OidcConstants.EndSessionPath, ["GET", "POST"], (HttpContext h, EndSessionEndpoint e) => e.HandleAsync(h)).DisableAntiforgery();
        app.MapGet(OidcConstants.DiscoveryPath, (HttpContext h, DiscoveryEndpoint e) => e.Handle(h)).RequireCors(OidcConstants.CorsPolicy);
        app.MapGet(OidcConstants.JwksPath, (HttpContext h, JwksEndpoint e) => e.HandleAsync(h)).RequireCors(OidcConstants.CorsPolicy);
        return app;
    }
}
