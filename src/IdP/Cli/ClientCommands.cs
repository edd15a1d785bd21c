using System.CommandLine;
using System.Text.Json;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;

namespace WaIdentity.IdP.Cli;

/// <summary>
/// <c>clients create|list|update|delete</c>: manage OIDC clients from scripts. Output is JSON on stdout; a generated
/// secret is printed once, on create (or update --new-secret), and only its hash is stored.
/// </summary>
internal static class ClientCommands
{
    public static Command Create(Func<IServiceProvider> services, CliConsole console)
    {
        var id = new Option<string>("--id") { Description = "The client_id.", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name shown on login and consent pages." };
        var redirect = new Option<string[]>("--redirect-uri") { Description = "A redirect URI (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var postLogout = new Option<string[]>("--post-logout-redirect-uri") { Description = "A post-logout redirect URI (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var grant = new Option<string[]>("--grant") { Description = "authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:device_code (repeat).", AllowMultipleArgumentsPerToken = true };
        var scope = new Option<string[]>("--scope") { Description = "An allowed scope (repeat).", AllowMultipleArgumentsPerToken = true };
        var isPublic = new Option<bool>("--public") { Description = "A public client (no secret, PKCE required)." };
        var firstParty = new Option<bool>("--first-party") { Description = "Skip the consent page for this client." };
        var requireSecondFactor = new Option<bool>("--require-second-factor") { Description = "Every login for this client needs a second factor." };
        var alg = new Option<string?>("--alg") { Description = "ID token signing algorithm: ES256 (default) or RS256." };
        var newSecret = new Option<bool>("--new-secret") { Description = "Generate and print a new secret (drops registered keys)." };
        var requirePar = new Option<bool>("--require-par") { Description = "Authorization requests must be pushed first (PAR, RFC 9126)." };
        var jwksFile = new Option<FileInfo?>("--jwks-file") { Description = "private_key_jwt: a JSON file with the client's public keys (JWKS); the client gets no secret." };
        var jwksUri = new Option<string?>("--jwks-uri") { Description = "private_key_jwt: the URL of the client's JWKS; the client gets no secret." };
        var requireDpop = new Option<bool>("--require-dpop") { Description = "Token requests must carry a DPoP proof, so every access token is DPoP-bound (RFC 9449 dpop_bound_access_tokens)." };

        var backchannelUri = new Option<string?>("--backchannel-logout-uri") { Description = "Where logout tokens are POSTed when a session this client signed in through ends (OIDC Back-Channel Logout); \"\" removes it." };
        var backchannelSid = new Option<bool>("--backchannel-logout-session-required") { Description = "The client needs sid in logout tokens (they always carry it)." };

        ClientDefinition Read(ParseResult r, ClientDefinition? current) => new()
        {
            ClientId = r.GetValue(id)!,
            DisplayName = r.GetValue(name) ?? current?.DisplayName,
            Public = r.GetResult(isPublic) is not null ? r.GetValue(isPublic) : current?.Public ?? false,
            RedirectUris = Pick(r.GetValue(redirect), current?.RedirectUris, []),
            PostLogoutRedirectUris = Pick(r.GetValue(postLogout), current?.PostLogoutRedirectUris, []),
            GrantTypes = Pick(r.GetValue(grant), current?.GrantTypes, [OidcConstants.GrantAuthorizationCode, OidcConstants.GrantRefreshToken]),
            Scopes = Pick(r.GetValue(scope), current?.Scopes, ["openid", "profile", "email", "phone", "offline_access"]),
            FirstParty = r.GetResult(firstParty) is not null ? r.GetValue(firstParty) : current?.FirstParty ?? false,
            SigningAlgorithm = r.GetValue(alg)?.ToUpperInvariant() ?? current?.SigningAlgorithm ?? OidcConstants.ES256,
            RequireSecondFactor = r.GetResult(requireSecondFactor) is not null ? r.GetValue(requireSecondFactor) : current?.RequireSecondFactor ?? false,
            RequirePushedAuthorizationRequests = r.GetResult(requirePar) is not null ? r.GetValue(requirePar) : current?.RequirePushedAuthorizationRequests ?? false,
            DpopBoundAccessTokens = r.GetResult(requireDpop) is not null ? r.GetValue(requireDpop) : current?.DpopBoundAccessTokens ?? false,
            BackchannelLogoutUri = r.GetValue(backchannelUri) is { } bc ? (bc.Length == 0 ? null : bc) : current?.BackchannelLogoutUri,
            BackchannelLogoutSessionRequired = r.GetResult(backchannelSid) is not null ? r.GetValue(backchannelSid) : current?.BackchannelLogoutSessionRequired ?? false,
            AccessTokenLifetimeSeconds = current?.AccessTokenLifetimeSeconds, IdTokenLifetimeSeconds = current?.IdTokenLifetimeSeconds,
            Jwks = r.GetValue(newSecret) ? null : r.GetValue(jwksFile) is { } file ? File.ReadAllText(file.FullName) : r.GetValue(jwksUri) is null ? current?.Jwks : null,
            JwksUri = r.GetValue(newSecret) ? null : r.GetValue(jwksUri) ?? (r.GetValue(jwksFile) is null ? current?.JwksUri : null),
        };

        var create = new Command("create", "Register a client; prints it as JSON with its secret (shown once).") { id, name, redirect, postLogout, grant, scope, isPublic, firstParty, requireSecondFactor, alg, requirePar, jwksFile, jwksUri, requireDpop, backchannelUri, backchannelSid };
        create.SetAction((r, ct) => RunAsync(services(), async registry =>
        {
            var d = Read(r, null);
            if (!Valid(console, d)) return 1;
            if (await registry.FindAsync(d.ClientId, ct) is not null) return Fail(console, $"a client '{d.ClientId}' already exists");
            d.Secret = d.Public || d.UsesPrivateKeyJwt ? null : OpaqueToken.New();
            var (client, secret) = await registry.CreateAsync(d, ct);
            Print(console, client, secret);
            return 0;
        }));

        var list = new Command("list", "Print every client as a JSON array.");
        list.SetAction((r, ct) => RunAsync(services(), async registry =>
        {
            console.Out.WriteLine(JsonSerializer.Serialize((await registry.ListAsync(ct)).Select(c => View(c, null))));
            return 0;
        }));

        var update = new Command("update", "Change a client; options not given keep their value.") { id, name, redirect, postLogout, grant, scope, isPublic, firstParty, alg, newSecret, requirePar, jwksFile, jwksUri, requireDpop, backchannelUri, backchannelSid };
        update.SetAction((r, ct) => RunAsync(services(), async registry =>
        {
            var current = await registry.FindAsync(r.GetValue(id)!, ct);
            if (current is null) return Fail(console, $"no client '{r.GetValue(id)}'");
            var d = Read(r, ClientRegistry.ToDefinition(current));
            var secret = !d.Public && !d.UsesPrivateKeyJwt && (r.GetValue(newSecret) || current.IsPublic || current.UsesPrivateKeyJwt) ? OpaqueToken.New() : null;
            d.Secret = secret;
            if (!Valid(console, d)) return 1;
            Print(console, (await registry.UpdateAsync(d, ct))!, secret);
            return 0;
        }));

        var delete = new Command("delete", "Delete a client.") { id };
        delete.SetAction((r, ct) => RunAsync(services(), async registry =>
        {
            if (!await registry.DeleteAsync(r.GetValue(id)!, ct)) return Fail(console, $"no client '{r.GetValue(id)}'");
            console.Out.WriteLine(JsonSerializer.Serialize(new { client_id = r.GetValue(id), deleted = true }));
            return 0;
        }));

        return new Command("clients", "Manage OpenID Connect clients.") { create, list, update, delete };
    }

    private static List<string> Pick(string[]? given, List<string>? current, List<string> fallback) =>
        given is { Length: > 0 } ? [.. given] : current ?? fallback;

    private static bool Valid(CliConsole console, ClientDefinition d)
    {
        // Secrets are generated here, so check everything else with a placeholder of the right length.
        var problems = new ClientDefinition
        {
            ClientId = d.ClientId, Public = d.Public, Secret = d.Public || d.UsesPrivateKeyJwt ? null : new string('x', 43), RedirectUris = d.RedirectUris,
            PostLogoutRedirectUris = d.PostLogoutRedirectUris, GrantTypes = d.GrantTypes, Scopes = d.Scopes, SigningAlgorithm = d.SigningAlgorithm,
            Jwks = d.Jwks, JwksUri = d.JwksUri, BackchannelLogoutUri = d.BackchannelLogoutUri,
        }.Validate("client").ToList();
        foreach (var p in problems) console.Error.WriteLine($"clients: {p}");
        return problems.Count == 0;
    }

    private static async Task<int> RunAsync(IServiceProvider root, Func<ClientRegistry, Task<int>> action)
    {
        await using var scope = root.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ClientRegistry>());
    }

    private static void Print(CliConsole console, OidcClient c, string? secret) => console.Out.WriteLine(JsonSerializer.Serialize(View(c, secret)));

    private static Dictionary<string, object?> View(OidcClient c, string? secret)
    {
        var view = new Dictionary<string, object?>
        {
            ["client_id"] = c.ClientId, ["name"] = c.DisplayName, ["public"] = c.IsPublic, ["redirect_uris"] = c.RedirectUriList,
            ["post_logout_redirect_uris"] = c.PostLogoutRedirectUriList, ["grant_types"] = c.GrantTypeList, ["scopes"] = c.ScopeList,
            ["first_party"] = c.FirstParty, ["require_second_factor"] = c.RequireSecondFactor, ["id_token_signed_response_alg"] = c.SigningAlgorithm,
            ["token_endpoint_auth_method"] = c.IsPublic ? "none" : c.UsesPrivateKeyJwt ? "private_key_jwt" : "client_secret_basic",
            ["require_pushed_authorization_requests"] = c.RequirePushedAuthorizationRequests,
            ["dpop_bound_access_tokens"] = c.DpopBoundAccessTokens,
            ["backchannel_logout_session_required"] = c.BackchannelLogoutSessionRequired,
        };
        if (c.BackchannelLogoutUri is not null) view["backchannel_logout_uri"] = c.BackchannelLogoutUri;
        if (c.JwksUri is not null) view["jwks_uri"] = c.JwksUri;
        if (c.Jwks is not null) view["jwks"] = JsonDocument.Parse(c.Jwks).RootElement;
        if (secret is not null) view["client_secret"] = secret;
        return view;
    }

    private static int Fail(CliConsole console, string message)
    {
        console.Error.WriteLine($"clients: {message}");
        return 1;
    }
}
