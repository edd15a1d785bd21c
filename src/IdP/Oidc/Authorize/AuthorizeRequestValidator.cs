using System.Text.RegularExpressions;
using WaIdentity.IdP.Oidc.Clients;

namespace WaIdentity.IdP.Oidc.Authorize;

/// <summary>The outcome of validating an authorization request.</summary>
internal abstract record AuthorizeValidation
{
    /// <summary>The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 9700 4.11.2).</summary>
    public sealed record ErrorPage(string Error, string Description) : AuthorizeValidation;
    /// <summary>The redirect URI is trusted: the error goes back to the client.</summary>
    public sealed record RedirectError(OidcClient Client, string Error, string Description) : AuthorizeValidation;
    public sealed record Valid(OidcClient Client) : AuthorizeValidation;
}

/// <summary>
/// One rule per check, in the order the specs imply: first client and redirect URI (errors shown here), then every
/// other parameter (errors sent to the client with state and iss).
/// </summary>
internal sealed partial class AuthorizeRequestValidator(ClientRegistry clients)
{
    private static readonly string[] PromptValues = ["none", "login", "consent", "select_account"];

    /// <param name="pushed">The request came through the PAR endpoint (RFC 9126), where the client authenticated.</param>
    public async Task<AuthorizeValidation> ValidateAsync(AuthorizeRequest r, string? repeated, bool pushed, CancellationToken ct)
    {
        if (r.ClientId is null) return new AuthorizeValidation.ErrorPage("invalid_request", "client_id is missing.");
        var client = await clients.FindAsync(r.ClientId, ct);
        if (client is null) return new AuthorizeValidation.ErrorPage("invalid_client", "The client is not registered.");
        // Exact, case-sensitive string comparison with a registered URI (RFC 9700 4.1.3).
        if (r.RedirectUri is null || !client.RedirectUriList.Contains(r.RedirectUri, StringComparer.Ordinal))
            return new AuthorizeValidation.ErrorPage("invalid_request", "The redirect_uri is not registered for this client.");
        return Check(r, client, repeated, pushed) is { } problem
            ? new AuthorizeValidation.RedirectError(client, problem.Error, problem.Description)
            : new AuthorizeValidation.Valid(client);
    }

    private static (string Error, string Description)? Check(AuthorizeRequest r, OidcClient client, string? repeated, bool pushed)
    {
        if (repeated is not null) return ("invalid_request", $"The {repeated} parameter is repeated.");
        if (!pushed && client.RequirePushedAuthorizationRequests) return ("invalid_request", "This client must push its authorization requests to the pushed_authorization_request_endpoint first.");
        if (r.ResponseMode is not null and not ("query" or "form_post")) return ("invalid_request", "response_mode must be query or form_post.");
        if (r.ResponseType is null) return ("invalid_request", "response_type is missing.");
        if (r.ResponseType != "code") return ("unsupported_response_type", "Only response_type=code is supported.");
        if (!client.GrantTypeList.Contains(OidcConstants.GrantAuthorizationCode)) return ("unauthorized_client", "The client may not use the authorization code flow.");
        if (r["request"] is not null) return ("request_not_supported", "Request objects are not supported.");
        // A request_uri is resolved before validation (AuthorizeEndpoint); one inside a pushed request is refused there.
        if (r["request_uri"] is not null) return ("invalid_request", "request_uri cannot be pushed or nested.");
        if (!r.Scopes.Contains(OidcConstants.ScopeOpenId)) return ("invalid_scope", "The openid scope is required.");
        if (r.Scopes.FirstOrDefault(s => !client.ScopeList.Contains(s)) is { } scope) return ("invalid_scope", $"The client may not request the scope '{scope}'.");
        if (Pkce(r, client) is { } pkce) return ("invalid_request", pkce);
        if (r.Prompt.FirstOrDefault(p => !PromptValues.Contains(p)) is { } prompt) return ("invalid_request", $"Unknown prompt value '{prompt}'.");
        if (r.Prompt.Contains("none") && r.Prompt.Count > 1) return ("invalid_request", "prompt=none cannot be combined with other values.");
        if (r.MaxAgeRaw is not null && r.MaxAge is not >= 0) return ("invalid_request", "max_age must be a non-negative integer.");
        if (r.Nonce is { Length: > 512 } || r.State is { Length: > 2048 }) return ("invalid_request", "nonce or state is too long.");
        if (r["dpop_jkt"] is { } jkt && !ChallengeFormat().IsMatch(jkt)) return ("invalid_request", "dpop_jkt must be a base64url SHA-256 JWK thumbprint (43 characters).");
        return null;
    }

    /// <summary>PKCE (RFC 7636, RFC 9700 2.1.1): S256 only; required for public clients.</summary>
    private static string? Pkce(AuthorizeRequest r, OidcClient client)
    {
        if (r.CodeChallenge is null)
            return r.CodeChallengeMethod is not null ? "code_challenge is missing." : client.IsPublic ? "PKCE (code_challenge with S256) is required." : null;
        if (r.CodeChallengeMethod != "S256") return "code_challenge_method must be S256; plain is not allowed.";
        return ChallengeFormat().IsMatch(r.CodeChallenge) ? null : "code_challenge must be a base64url SHA-256 (43 characters).";
    }

    /// <summary>A base64url SHA-256 (43 characters): a PKCE S256 challenge, a dpop_jkt thumbprint.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex ChallengeFormat();
}
