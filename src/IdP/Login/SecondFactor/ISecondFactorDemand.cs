namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// Whether the sign-in request behind a login's return URL demands a second factor (the client's setting or
/// <c>acr_values</c>). The OIDC side answers it, so the login knows nothing of authorization requests.
/// </summary>
internal interface ISecondFactorDemand
{
    Task<bool> DemandedAsync(string returnUrl, CancellationToken ct);
}
