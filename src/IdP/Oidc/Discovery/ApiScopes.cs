namespace WaIdentity.IdP.Oidc.Discovery;

/// <summary>Scopes of an API this server issues tokens for, beyond the identity scopes; a feature registers its own and
/// discovery lists them in <c>scopes_supported</c>.</summary>
internal sealed record ApiScopes(IReadOnlyList<string> Names);
