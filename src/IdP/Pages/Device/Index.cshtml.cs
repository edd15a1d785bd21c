using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Device;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Device;

/// <summary>
/// The device verification page (RFC 8628 3.3): the user types the code their device shows (or arrives with it from
/// verification_uri_complete), compares it, signs in with any login method (the login pages send them back here),
/// and approves or denies; or, without signing in here, has the request put to their phone over WhatsApp. Typed
/// codes count against the guessing limits (<see cref="DeviceUserCodeLimit"/>).
/// </summary>
internal sealed class IndexModel(
    DeviceUserCodeLimit codes, DeviceAuthorizationStore store, DeviceApprovalQuestion question, ClientRegistry clients,
    PhoneInput phones, IOptionsMonitor<LoginOptions> login, WaChannel.Codes.ICodeSender channel, IStringLocalizer<SharedResource> t) : PageModel
{
    public enum Steps { Enter, SignIn, Confirm, Asked, Approved, Denied }

    [BindProperty(SupportsGet = true, Name = "user_code")] public string? UserCodeEntered { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Country { get; set; }
    public Steps Step { get; private set; } = Steps.Enter;
    public string? UserCode { get; private set; }
    public string ClientName { get; private set; } = "";
    public IReadOnlyList<string> Scopes { get; private set; } = [];
    public string? Error { get; private set; }
    public string? AskedPhone { get; private set; }
    public string Region => phones.Region(Country);
    /// <summary>Asking over WhatsApp needs the WhatsApp channel: the answer comes back from there.</summary>
    public bool PhoneApprovalOffered => channel.Availability.WhatsApp;
    /// <summary>Where the login pages bring the user back: this page with the code.</summary>
    public string ReturnUrl => $"{OidcConstants.DeviceVerificationPath}?user_code={Uri.EscapeDataString(UserCode ?? "")}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(UserCodeEntered)) return Page();
        if (await FindAsync(ct) is not { } found) return Page();
        var session = await SessionAsync();
        if (session is null)
        {
            Step = Steps.SignIn;
            return Page();
        }
        if (NeedsSecondFactor(session, found.Client)) return SecondFactor();
        Step = Steps.Confirm;
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } found) return Page();
        var session = await SessionAsync();
        if (session is null) return LocalRedirect(ReturnUrl);
        if (NeedsSecondFactor(session, found.Client)) return SecondFactor();
        Step = await store.ApproveAsync(found.Row.Id, AuthorizeEndpoint.FromSession(session), ct) ? Steps.Approved : Gone();
        return Page();
    }

    public async Task<IActionResult> OnPostDenyAsync(CancellationToken ct)
    {
        if (await FindAsync(ct) is not { } found) return Page();
        if (await SessionAsync() is null) return LocalRedirect(ReturnUrl);
        Step = await store.DenyAsync(found.Row.Id, ct) ? Steps.Denied : Gone();
        return Page();
    }

    public async Task<IActionResult> OnPostPhoneAsync(CancellationToken ct)
    {
        if (!PhoneApprovalOffered) return NotFound();
        if (await FindAsync(ct) is not { } found) return Page();
        Step = Steps.SignIn;
        var phone = phones.Read(Phone, Country);
        if (!phone.Ok)
        {
            Error = PhoneErrorText.Describe(t, phone);
            return Page();
        }
        var asked = await question.AskAsync(found.Row, found.Code, ClientName, found.Client.RequireSecondFactor, phone.E164!, ClientIp.Of(HttpContext), ct);
        if (!asked.Asked)
        {
            Error = asked.Refusal is { } refusal ? LoginMessages.Describe(t, refusal) : t["Device_PhoneNeedsSecondFactor"];
            LimitRefusal.Mark(Response, asked.Refusal?.RetryAfter);
            return Page();
        }
        AskedPhone = phone.E164;
        Step = Steps.Asked;
        return Page();
    }

    /// <summary>The scope's description for people; an API scope without one is shown by name.</summary>
    public string Describe(string scope) => t["Oidc_Scope_" + scope] is { ResourceNotFound: false } s ? s : scope;

    private sealed record FoundRequest(DeviceAuthorization Row, string Code, OidcClient Client);

    /// <summary>The pending request behind the typed code; null with <see cref="Error"/> set (and 429 for a limit) otherwise.</summary>
    private async Task<FoundRequest?> FindAsync(CancellationToken ct)
    {
        switch (await codes.FindAsync(UserCodeEntered, ClientIp.Of(HttpContext), ct))
        {
            case UserCodeLookup.Found found when await clients.FindAsync(found.Row.ClientId, ct) is { } client:
                UserCode = found.UserCode;
                ClientName = client.DisplayName.Length > 0 ? client.DisplayName : client.ClientId;
                Scopes = found.Row.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return new FoundRequest(found.Row, found.UserCode, client);
            case UserCodeLookup.Malformed:
                Error = t["Device_CodeMalformed"];
                break;
            case UserCodeLookup.Limited limited:
                Error = t["Device_TooManyTries", Math.Max(1, (int)Math.Ceiling(limited.Wait.TotalMinutes))];
                LimitRefusal.Mark(Response, limited.Wait);
                break;
            default:
                Error = t["Device_CodeUnknown"];
                break;
        }
        Step = Steps.Enter;
        return null;
    }

    private Steps Gone()
    {
        Error = t["Device_CodeUnknown"];
        return Steps.Enter;
    }

    private async Task<ClaimsPrincipal?> SessionAsync() => (await HttpContext.AuthenticateAsync(SessionClaims.Scheme)).Principal;

    private bool NeedsSecondFactor(ClaimsPrincipal session, OidcClient client) =>
        (client.RequireSecondFactor || login.CurrentValue.SecondFactor.Requirement == SecondFactorRequirement.Required)
        && session.FindFirstValue(SessionClaims.Acr) != AuthenticationLevels.TwoFactors;

    private IActionResult SecondFactor() =>
        LocalRedirect($"{FirstFactorCompletion.SecondFactorPath}?returnUrl={Uri.EscapeDataString(ReturnUrl)}");
}
