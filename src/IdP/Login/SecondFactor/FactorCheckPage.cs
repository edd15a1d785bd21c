using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Login.Passkeys;
using WaIdentity.IdP.Login.Password;
using WaIdentity.IdP.Login.WhatsAppOtp;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login.SecondFactor;

/// <summary>
/// A page that checks one more factor of a known user: an authenticator code, a recovery code, a WhatsApp code to the
/// verified phone (through the login's own OtpIssuer/OtpVerifier), or (re-authentication only) the password. The
/// second-factor login step and the account re-authentication differ only in who is checked and what success does.
/// </summary>
internal abstract class FactorCheckPage(FactorCheckServices s) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public bool Remember { get; set; }
    /// <summary>The browser's passkey answer (JSON).</summary>
    [BindProperty] public string? Credential { get; set; }
    public SecondFactorMethods Methods { get; private set; } = new(false, null);
    public bool OtpSent { get; private set; }
    public string? Error { get; protected set; }
    public string? Notice { get; private set; }
    /// <summary>Set when the page has finished and only links onwards.</summary>
    public string? ContinueUrl { get; protected set; }
    public virtual bool RememberOffered => false;
    public int RememberDays => s.Options.CurrentValue.SecondFactor.RememberDeviceDays;
    public virtual bool PasswordOffered => false;
    public string MaskedPhone => Methods.Phone is { Length: > 7 } p ? $"{p[..4]} •••• {p[^3..]}" : "";
    protected IdpUser Subject { get; private set; } = null!;
    protected IReadOnlyList<string> FirstAmr { get; private set; } = [];
    protected FactorCheckServices Services => s;

    /// <summary>Who is checked and what their first factor was; null when nobody (the page sends them to log in).</summary>
    protected abstract Task<(IdpUser User, IReadOnlyList<string> Amr)?> FindSubjectAsync(CancellationToken ct);

    protected abstract Task<IActionResult> SucceedAsync(IReadOnlyList<string> addedAmr, CancellationToken ct);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NoSubject();

    public async Task<IActionResult> OnPostTotpAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NoSubject();
        return Methods.Totp ? await FinishAsync(await s.Verifier.VerifyTotpAsync(Subject.Id, Code, ct), ct) : Page();
    }

    public async Task<IActionResult> OnPostRecoveryAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NoSubject();
        return Methods.Totp ? await FinishAsync(await s.Verifier.VerifyRecoveryCodeAsync(Subject.Id, Code, ct), ct) : Page();
    }

    public async Task<IActionResult> OnPostSendOtpAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NoSubject();
        if (Methods.Phone is null) return Page();
        var flow = s.Flows.Begin(HttpContext, Methods.Phone, ReturnUrls.Sanitize(ReturnUrl));
        var sent = await s.Issuer.SendAsync(flow, HttpContext, bySms: false, "mfa", ct);
        OtpSent = sent.Sent;
        if (sent.Sent) Notice = s.T["Mfa_OtpSent", MaskedPhone];
        else
        {
            Error = LoginMessages.Describe(s.T, sent);
            LimitRefusal.Mark(Response, sent.Wait);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostOtpAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NoSubject();
        var flow = s.Flows.Read(HttpContext);
        if (Methods.Phone is null || flow is null || flow.Phone != Methods.Phone) return Page();
        OtpSent = true;
        var (channel, failure) = await s.Otp.VerifyPhoneAsync(flow, Code, HttpContext, ct);
        if (channel is null)
        {
            Error = LoginMessages.Describe(s.T, failure!, s.Options.CurrentValue.Otp.CodeLength);
            LimitRefusal.Mark(Response, failure!.Wait);
            return Page();
        }
        s.Flows.End(HttpContext);
        return await FinishAsync(new FactorOutcome([AuthenticationLevels.AmrOtp, channel], null), ct);
    }

    /// <summary>The request options for the user's passkeys (JSON); the ceremony is bound to this user.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct) || !Methods.Passkey) return NotFound();
        return await s.Passkeys.BeginAsync(HttpContext, PasskeyPurpose.SecondFactor, Subject.Id, ct) is { } json ? Content(json, "application/json") : NotFound();
    }

    public async Task<IActionResult> OnPostPasskeyAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NoSubject();
        if (!Methods.Passkey) return Page();
        if (await s.Verifier.ThrottledAsync(Subject.Id, ct) is { } wait) return await FinishAsync(FactorOutcome.Failed(FactorFailure.TooManyTries, wait), ct);
        var check = await s.Passkeys.FinishAsync(HttpContext, PasskeyPurpose.SecondFactor, Subject.Id, Credential, ct);
        Credential = null;
        return await FinishAsync(check.Succeeded ? new FactorOutcome(check.Amr, null) : new FactorOutcome(null, FactorFailure.Passkey, Passkey: check.Failure), ct);
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NoSubject();
        if (!PasswordOffered || Subject.PasswordHash is null) return Page();
        var check = await s.Passwords.CheckAsync(Subject, Password ?? "", ClientIp.Of(HttpContext), ct);
        if (check.Outcome == PasswordCheckOutcome.Throttled)
        {
            return await FinishAsync(FactorOutcome.Failed(FactorFailure.PasswordThrottled, check.RetryAfter), ct);
        }
        return await FinishAsync(check.Succeeded ? new FactorOutcome([AuthenticationLevels.AmrPassword], null) : FactorOutcome.Failed(FactorFailure.PasswordWrong), ct);
    }

    private async Task<IActionResult> FinishAsync(FactorOutcome outcome, CancellationToken ct)
    {
        Code = null;
        Password = null;
        if (outcome.Succeeded) return await SucceedAsync(outcome.Amr!, ct);
        Error = LoginMessages.Describe(s.T, outcome);
        LimitRefusal.Mark(Response, outcome.Wait);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await FindSubjectAsync(ct) is not { } found) return false;
        (Subject, FirstAmr) = found;
        Methods = await s.Policy.MethodsAsync(Subject, FirstAmr, ct);
        return true;
    }

    private IActionResult NoSubject() => LocalRedirect("/login?returnUrl=" + Uri.EscapeDataString(ReturnUrls.Sanitize(ReturnUrl)));
}

/// <summary>What every factor-checking page needs, in one injectable bundle.</summary>
internal sealed class FactorCheckServices(
    SecondFactorVerifier verifier, SecondFactorPolicy policy, LoginFlowCookie flows, OtpIssuer issuer, OtpVerifier otp,
    UserManager<IdpUser> users, IStringLocalizer<SharedResource> t, Microsoft.Extensions.Options.IOptionsMonitor<LoginOptions> options, PasswordCheck passwords,
    Passkeys.PasskeyAssertion passkeys)
{
    public Passkeys.PasskeyAssertion Passkeys => passkeys;
    public PasswordCheck Passwords => passwords;
    public Microsoft.Extensions.Options.IOptionsMonitor<LoginOptions> Options => options;
    public SecondFactorVerifier Verifier => verifier;
    public SecondFactorPolicy Policy => policy;
    public LoginFlowCookie Flows => flows;
    public OtpIssuer Issuer => issuer;
    public OtpVerifier Otp => otp;
    public UserManager<IdpUser> Users => users;
    public IStringLocalizer<SharedResource> T => t;
}
