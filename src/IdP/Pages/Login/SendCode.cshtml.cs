using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Oidc.Interaction;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>
/// Send-code login: shows the business number, the code, the QR / deep link, waits for the inbound message, then signs
/// in when the user confirms the (masked) number that sent it with the page's POST.
/// </summary>
internal sealed class SendCodeModel(
    LoginFlowCookie flows,
    SendCodeIssuer issuer,
    SendCodeCompletion completion,
    PhoneAccounts accounts,
    FirstFactorCompletion firstFactor,
    NotMeLinks notMe,
    ILoginRequestContextReader requests,
    PhoneInput phones,
    IOptionsMonitor<LoginOptions> options,
    TimeProvider clock,
    WaIdentity.IdP.Metrics.IdpMeters metrics,
    IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public SendCodeInvitation? Invitation { get; private set; }
    public string? Error { get; private set; }
    public string? ContinueUrl { get; private set; }

    /// <summary>Whole seconds until the shown code expires, for the page's countdown.</summary>
    public int SecondsLeft => Invitation is { } i ? Math.Max(0, (int)(i.ExpiresAt - clock.GetUtcNow()).TotalSeconds) : 0;
    public string TimeLeft => $"{SecondsLeft / 60}:{SecondsLeft % 60:00}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!options.CurrentValue.SendCodeOffered) return NotFound();
        var returnUrl = ReturnUrls.Sanitize(ReturnUrl);
        var expected = await HintedPhoneAsync(returnUrl, ct);
        var flow = flows.Begin(HttpContext, expected ?? "", returnUrl);
        Invitation = await issuer.IssueAsync(flow, expected, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct) =>
        flows.Read(HttpContext) is { } flow ? new JsonResult(await completion.ReadAsync(flow, ct)) : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (flows.Read(HttpContext) is not { } flow) return RedirectToPage("Index");
        var phone = await completion.ConsumeAsync(flow, ct);
        var user = phone is null ? null : await accounts.FindOrRegisterAsync(phone, ct);
        if (user is null)
        {
            Error = t["Login_SendCodeNotProven"];
            return Page();
        }
        FirstFactorResult done;
        try { done = await firstFactor.CompleteAsync(HttpContext, user.Id, [AuthenticationLevels.AmrWhatsApp], flow.ReturnUrl, phone, ct); }
        catch (AccountLockedException)
        {
            Error = t["Login_AccountLocked"];
            return Page();
        }
        flows.End(HttpContext);
        metrics.LoginCompleted(AuthenticationLevels.AmrWhatsApp, clock.GetUtcNow() - flow.StartedAt);
        // The sender learns at once which app and browser this logged in, with a way to end it.
        if (done.Session is { } session) await notMe.SendAsync(HttpContext, session, phone!, await AppNameAsync(flow.ReturnUrl, ct), ct);
        if (done.RedirectUrl is { } next) return LocalRedirect(next);
        ContinueUrl = LoginContinuation.Start(Response, flow.ReturnUrl);
        return Page();
    }

    private async Task<string> AppNameAsync(string returnUrl, CancellationToken ct)
    {
        var context = await requests.ReadAsync(returnUrl, ct);
        return context?.ClientName ?? options.CurrentValue.SendCode.SiteName;
    }

    private async Task<string?> HintedPhoneAsync(string returnUrl, CancellationToken ct)
    {
        var hint = (await requests.ReadAsync(returnUrl, ct))?.LoginHint;
        return hint is null ? null : phones.Read(hint, null).E164;
    }
}
