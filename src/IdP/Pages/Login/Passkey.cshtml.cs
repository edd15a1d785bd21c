using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>
/// Sign-in with a passkey (a discoverable credential: the authenticator says whose it is). One the authenticator
/// verified the user with (PIN, biometric) is two factors in one and signs in at loa:2; otherwise it is a first factor
/// and the second-factor rules apply as after a password. The options handler starts a ceremony for this browser,
/// at most <c>Login:Passkeys:SignInsPerIpPer15Minutes</c> per client IP.
/// </summary>
internal sealed class PasskeyModel(
    PasskeyAssertion assertion, PasskeyRelyingParty relyingParty, FirstFactorCompletion completion, SessionSignIn signIn, FixedWindowLimiter limiter,
    IOptionsMonitor<LoginOptions> options, TimeProvider clock, ILogger<PasskeyModel> log, IStringLocalizer<SharedResource> t) : PageModel
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Credential { get; set; }
    public string? Error { get; private set; }
    /// <summary>Set after a successful sign-in: the local URL the page moves on to.</summary>
    public string? ContinueUrl { get; private set; }

    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        if (!relyingParty.Offered) context.Result = NotFound();
    }

    public void OnGet() => ReturnUrl = ReturnUrls.Sanitize(ReturnUrl);

    public async Task<IActionResult> OnPostOptionsAsync(CancellationToken ct)
    {
        var hit = await limiter.HitAsync("passkey-ip", ClientIp.Of(HttpContext), options.CurrentValue.Passkeys.SignInsPerIpPer15Minutes, Window, ct);
        if (!hit.Allowed)
        {
            LimitRefusal.Mark(Response, hit.RetryAfter(clock.GetUtcNow()));
            return new EmptyResult();
        }
        return await assertion.BeginAsync(HttpContext, PasskeyPurpose.SignIn, null, ct) is { } json ? Content(json, "application/json") : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ReturnUrl = ReturnUrls.Sanitize(ReturnUrl);
        var check = await assertion.FinishAsync(HttpContext, PasskeyPurpose.SignIn, null, Credential, ct);
        Credential = null;
        if (!check.Succeeded)
        {
            Error = LoginMessages.Describe(t, check.Failure!.Value);
            return Page();
        }
        try
        {
            if (check.UserVerified)
            {
                await signIn.SignInAsync(HttpContext, check.UserId!, SecondFactorAmr.Combine(check.Amr!, []), AuthenticationLevels.TwoFactors, ct);
            }
            else
            {
                var done = await completion.CompleteAsync(HttpContext, check.UserId!, check.Amr!, ReturnUrl, null, ct);
                if (done.RedirectUrl is { } next) return LocalRedirect(next);
            }
        }
        catch (AccountLockedException)
        {
            Error = t["Login_AccountLocked"];
            return Page();
        }
        log.LogInformation("Passkey login for user {UserId} ({Amr})", check.UserId, string.Join(' ', check.Amr!));
        // As after a password: a 200 page that moves on, never a redirect after the credential POST (CSP form-action).
        ContinueUrl = LoginContinuation.Start(Response, ReturnUrl);
        return Page();
    }
}
