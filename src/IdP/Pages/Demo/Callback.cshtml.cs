using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.IdP.Pages.Demo;

/// <summary>
/// Development sandbox only: the demo app's redirect URI. Checks state, exchanges the code at the token endpoint over HTTP
/// (as any relying party would), checks the ID token's signature, issuer, audience and nonce, calls userinfo, and
/// shows what came back.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class CallbackModel(ChannelRuntime channel, JwtReader jwts, IssuerResolver issuers) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string? Error { get; private set; }
    public string IdTokenClaims { get; private set; } = "";
    public string AccessTokenClaims { get; private set; } = "";
    public string UserInfo { get; private set; } = "";
    public string LogoutUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? code, string? state, string? error, string? iss, CancellationToken ct)
    {
        if (!channel.IsSandbox) return NotFound();
        var flow = DemoClientFlow.Take(HttpContext);
        var issuer = issuers.Resolve(HttpContext);
        if (error is not null) return Fail(error);
        if (flow is null || state != flow.State || code is null) return Fail("state does not match this browser's sign-in");
        if (iss != issuer) return Fail("iss does not match the issuer (RFC 9207)");

        using var http = new HttpClient { BaseAddress = new Uri(issuer + "/") };
        var tokenResponse = await http.PostAsync(OidcConstants.TokenPath.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = DemoClientFlow.RedirectUri(Request),
            ["code_verifier"] = flow.Verifier, ["client_id"] = DemoClientFlow.ClientId,
        }), ct);
        var tokens = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(ct)).RootElement;
        if (!tokenResponse.IsSuccessStatusCode) return Fail(tokens.GetProperty("error").GetString()!);

        var idToken = await jwts.ReadIdTokenHintAsync(tokens.GetProperty("id_token").GetString()!, issuer, ct);
        if (idToken is null || !idToken.Audiences.Contains(DemoClientFlow.ClientId) || idToken.GetPayloadValue<string>("nonce") != flow.Nonce)
            return Fail("the ID token did not validate");
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        IdTokenClaims = Pretty(idToken);
        AccessTokenClaims = Pretty(new JsonWebToken(accessToken));
        var request = new HttpRequestMessage(HttpMethod.Get, OidcConstants.UserInfoPath.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var userInfo = await http.SendAsync(request, ct);
        UserInfo = JsonSerializer.Serialize(JsonDocument.Parse(await userInfo.Content.ReadAsStringAsync(ct)).RootElement, Indented);
        LogoutUrl = QueryHelpers.AddQueryString(OidcConstants.EndSessionPath, new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.GetProperty("id_token").GetString(), ["post_logout_redirect_uri"] = $"{Request.Scheme}://{Request.Host}{DemoClientSeeder.HomePath}",
        });
        return Page();
    }

    private static string Pretty(JsonWebToken token) =>
        JsonSerializer.Serialize(JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement, Indented);

    private PageResult Fail(string error)
    {
        Error = error;
        return Page();
    }
}
