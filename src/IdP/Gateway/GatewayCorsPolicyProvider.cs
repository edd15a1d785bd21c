using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Gateway;

/// <summary>
/// CORS for the verification endpoints, which a browser app may call: an origin is allowed when some client registered
/// it (its callback origins are its web origins). A preflight carries no token, so it cannot name the client; the
/// endpoint then refuses an origin that is not the calling client's own (<see cref="VerificationCodeEndpoint"/>).
/// Every other policy comes from the configured ones.
/// </summary>
internal sealed class GatewayCorsPolicyProvider(IOptions<CorsOptions> options) : ICorsPolicyProvider
{
    private readonly DefaultCorsPolicyProvider _configured = new(options);

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (policyName != GatewayServices.CorsPolicy) return await _configured.GetPolicyAsync(context, policyName);
        var policy = new CorsPolicyBuilder().WithMethods("GET").WithHeaders("Authorization", GatewayAuthenticator.TokenHeaderName)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10)).Build();
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && await context.RequestServices.GetRequiredService<GatewayClientSettings>().IsOriginRegisteredAsync(origin, context.RequestAborted))
            policy.Origins.Add(origin);
        return policy;
    }
}
