using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// private_key_jwt client authentication (RFC 7523) as openid-client does it (tests/rp/private-key-jwt.mjs): a client
/// with a registered JWKS (code flow through PAR, refresh, introspection) and one with a jwks_uri served on loopback
/// (client_credentials), each aud the specs allow, and the refusals: wrong aud, no or long exp, a replayed assertion
/// or jti, an unregistered key, another client's iss, a secret instead of the keys.
/// </summary>
public sealed class PrivateKeyJwtTests
{
    private static readonly string[] Checks =
    [
        "discovery lists private_key_jwt and its signing algorithms",
        "a client with a registered JWKS pushes, redeems, refreshes and introspects with private_key_jwt (ES256)",
        "a client with a jwks_uri gets a client_credentials token with private_key_jwt (RS256)",
        "aud as the token endpoint URL is accepted",
        "aud as the PAR endpoint URL is accepted at the PAR endpoint",
        "a wrong aud is invalid_client (401)",
        "the PAR endpoint URL as aud is refused at the token endpoint",
        "an assertion without exp is invalid_client (401)",
        "an assertion valid for an hour is invalid_client (401)",
        "an assertion whose iss is another client is invalid_client (401)",
        "an assertion signed with an unregistered key (same kid) is invalid_client (401)",
        "a replayed client assertion (the same request again) is invalid_client (401)",
        "a new assertion reusing a jti is invalid_client (401)",
        "a client registered with keys cannot authenticate with a secret",
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Openid_client_authenticates_with_private_key_jwt_and_sees_every_refusal(DatabaseProvider provider)
    {
        var keys = await OidcTestHost.RunNodeAsync("keys.mjs", new { });
        await using var jwksHost = await JwksHost.StartAsync(Jwks(keys.GetProperty("rs").GetProperty("public")));
        await using var host = await OidcTestHost.StartAsync(provider);
        Assert.Null(await host.CreateClientAsync("signer", jwks: Jwks(keys.GetProperty("es").GetProperty("public"))));
        Assert.Null(await host.CreateClientAsync("fetcher", grants: ["client_credentials"], scopes: ["inventory.read"], jwksUri: jwksHost.Uri));

        await OidcTestHost.RunChecksAsync("private-key-jwt.mjs", new
        {
            issuer = host.Issuer, redirectUri = OidcTestHost.Callback, email = OidcTestHost.Email, password = OidcTestHost.Password,
            signer = new { clientId = "signer", key = keys.GetProperty("es").GetProperty("private") },
            fetcher = new { clientId = "fetcher", key = keys.GetProperty("rs").GetProperty("private"), scope = "inventory.read" },
            impostorKey = keys.GetProperty("impostor").GetProperty("private"),
        }, Checks);
    }

    private static string Jwks(JsonElement publicKey) => JsonSerializer.Serialize(new { keys = new[] { publicKey } });

    /// <summary>A client's jwks_uri on loopback (real Kestrel).</summary>
    private sealed class JwksHost(WebApplication app, string uri) : IAsyncDisposable
    {
        public string Uri { get; } = uri;

        public static async Task<JwksHost> StartAsync(string jwks)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet("/jwks.json", () => Results.Text(jwks, "application/json"));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new JwksHost(app, address + "/jwks.json");
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
