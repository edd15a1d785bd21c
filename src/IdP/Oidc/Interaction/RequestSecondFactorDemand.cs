using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Oidc.Interaction;

/// <summary>A pending authorization request demands a second factor when its client requires one or it asks for the two-factor acr.</summary>
internal sealed class RequestSecondFactorDemand(ILoginRequestContextReader requests) : ISecondFactorDemand
{
    public async Task<bool> DemandedAsync(string returnUrl, CancellationToken ct) =>
        await requests.ReadAsync(returnUrl, ct) is { } context
        && (context.ClientRequiresSecondFactor || context.AcrValues.Contains(AuthenticationLevels.TwoFactors));
}
