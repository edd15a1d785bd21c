using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Clients;

namespace WaIdentity.Admin.Pages.Admin.Clients;

/// <summary>What the create and edit pages share: the bound form, the registry's problems next to their fields, the
/// secret shown once (never stored in TempData or a cache).</summary>
internal abstract class ClientPageModel(IClientAdmin clients) : PageModel
{
    public IClientAdmin Clients => clients;
    [BindProperty] public ClientInput Input { get; set; } = new();
    public string? Secret { get; protected set; }
    public List<string> OtherProblems { get; } = [];

    protected void Attach(IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.Field.Length == 0 || typeof(ClientInput).GetProperty(problem.Field) is null) OtherProblems.Add(problem.ToString());
            else ModelState.AddModelError($"{nameof(Input)}.{problem.Field}", problem.Message);
        }
    }

    /// <summary>The client as the audit log records it: settings only, never a secret.</summary>
    protected static object? AuditView(ClientView? c) => c is null ? null : new { c.Settings, c.Disabled };
}

internal sealed class ClientInput
{
    public string ClientId { get; set; } = "";
    public string? DisplayName { get; set; }
    public bool Public { get; set; }
    /// <summary>One URI per line.</summary>
    public string? RedirectUris { get; set; }
    public string? PostLogoutRedirectUris { get; set; }
    public List<string> GrantTypes { get; set; } = ["authorization_code", "refresh_token"];
    /// <summary>Space separated.</summary>
    public string? Scopes { get; set; } = "openid profile phone";
    public bool FirstParty { get; set; }
    /// <summary>Every login for this client needs a second factor (whatever Login:SecondFactor:Required says).</summary>
    public bool RequireSecondFactor { get; set; }
    /// <summary>Token requests must carry a DPoP proof (RFC 9449 dpop_bound_access_tokens).</summary>
    public bool DpopBoundAccessTokens { get; set; }
    /// <summary>OIDC Back-Channel Logout: where logout tokens go; empty: none.</summary>
    public string? BackchannelLogoutUri { get; set; }
    public bool BackchannelLogoutSessionRequired { get; set; }
    public string SigningAlgorithm { get; set; } = "ES256";
    /// <summary>Empty: the global lifetime.</summary>
    public int? AccessTokenLifetimeSeconds { get; set; }
    public int? IdTokenLifetimeSeconds { get; set; }

    public ClientForm ToForm() => new(ClientId, DisplayName, Public, Lines(RedirectUris), Lines(PostLogoutRedirectUris), GrantTypes,
        Lines(Scopes), FirstParty, SigningAlgorithm, AccessTokenLifetimeSeconds, IdTokenLifetimeSeconds, RequireSecondFactor,
        DpopBoundAccessTokens, string.IsNullOrWhiteSpace(BackchannelLogoutUri) ? null : BackchannelLogoutUri.Trim(), BackchannelLogoutSessionRequired);

    public static ClientInput From(ClientForm f) => new()
    {
        ClientId = f.ClientId, DisplayName = f.DisplayName, Public = f.Public, RedirectUris = string.Join("\n", f.RedirectUris),
        PostLogoutRedirectUris = string.Join("\n", f.PostLogoutRedirectUris), GrantTypes = [.. f.GrantTypes],
        Scopes = string.Join(" ", f.Scopes), FirstParty = f.FirstParty, SigningAlgorithm = f.SigningAlgorithm,
        AccessTokenLifetimeSeconds = f.AccessTokenLifetimeSeconds, IdTokenLifetimeSeconds = f.IdTokenLifetimeSeconds,
        RequireSecondFactor = f.RequireSecondFactor, DpopBoundAccessTokens = f.DpopBoundAccessTokens,
        BackchannelLogoutUri = f.BackchannelLogoutUri, BackchannelLogoutSessionRequired = f.BackchannelLogoutSessionRequired,
    };

    private static string[] Lines(string? text) => (text ?? "").Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
