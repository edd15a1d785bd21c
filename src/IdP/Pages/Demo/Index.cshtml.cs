using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using WaIdentity.IdP.Oidc;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.IdP.Pages.Demo;

/// <summary>Development sandbox only (see <see cref="Oidc.Clients.DemoClientSeeder"/>): the built-in demo app's start page. "Sign in" starts a code flow with PKCE as client 'demo'.</summary>
[IgnoreAntiforgeryToken]
internal sealed class IndexModel(ChannelRuntime channel) : PageModel
{
    public IActionResult OnGet() => channel.IsSandbox ? Page() : NotFound();

    public IActionResult OnGetStart()
    {
        if (!channel.IsSandbox) return NotFound();
        var flow = DemoClientFlow.New();
        flow.Save(HttpContext);
        return Redirect(QueryHelpers.AddQueryString(OidcConstants.AuthorizePath, new Dictionary<string, string?>
        {
            ["client_id"] = DemoClientFlow.ClientId, ["redirect_uri"] = DemoClientFlow.RedirectUri(Request), ["response_type"] = "code",
            ["scope"] = "openid profile email phone offline_access", ["state"] = flow.State, ["nonce"] = flow.Nonce,
            ["code_challenge"] = flow.Challenge, ["code_challenge_method"] = "S256",
        }));
    }
}
