using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Metrics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Login.WhatsAppOtp;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>The code page: enter the code, resend, "send by SMS instead", and the live delivery state.</summary>
internal sealed class CodeModel(
    LoginFlowCookie flows,
    OtpIssuer issuer,
    OtpVerifier verifier,
    ResendCooldown cooldown,
    DeliveryStatusReport status,
    FirstFactorCompletion completion,
    ICodeSender sender,
    IOptionsMonitor<LoginOptions> options,
    IdpMeters metrics,
    TimeProvider clock,
    IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    public LoginFlow Flow { get; private set; } = null!;
    public string? Error { get; private set; }
    public string? Notice { get; private set; }
    /// <summary>Set after a successful login: the page only says where it continues to.</summary>
    public string? ContinueUrl { get; private set; }
    public int ResendInSeconds { get; private set; }
    public CodeDeliveryView Delivery => new("/Login/Code", ResendInSeconds, SmsOffered);
    public int CodeLength => options.CurrentValue.Otp.CodeLength;
    /// <summary>SMS is allowed and available, and the code has not gone by SMS yet (then only "resend" makes sense).</summary>
    public bool SmsOffered { get; private set; }
    public string MaskedPhone => Flow.Phone.Length > 7 ? $"{Flow.Phone[..4]} •••• {Flow.Phone[^3..]}" : Flow.Phone;

    public async Task<IActionResult> OnGetAsync(string? notice, CancellationToken ct)
    {
        if (!TryReadFlow()) return FlowExpired();
        if (notice is "Login_WhatsAppDownSentSms" or "Login_CodeAlreadySent") Notice = t[notice];
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!TryReadFlow()) return FlowExpired();
        using var trace = LoginTracing.StartVerify(Flow.TraceParent, AuthenticationLevels.AmrOtp);
        var outcome = await verifier.VerifyAsync(Flow, Code, HttpContext, ct);
        var result = outcome.Failure is { } failure ? LoginMessages.Key(failure) : "success";
        metrics.LoginAttempt(AuthenticationLevels.AmrOtp, result);
        trace?.SetTag(LoginTracing.OutcomeTag, result);
        if (outcome.Succeeded)
        {
            FirstFactorResult done;
            try { done = await completion.CompleteAsync(HttpContext, outcome.UserId!, outcome.Amr, Flow.ReturnUrl, null, ct); }
            catch (AccountLockedException)
            {
                trace?.SetTag(LoginTracing.OutcomeTag, "Login_AccountLocked");
                Error = t["Login_AccountLocked"];
                return await ShowAsync(ct);
            }
            catch
            {
                // The session was not made: this flow may submit the same code again at once (another flow still may not).
                await verifier.ReleaseAsync(Flow, CancellationToken.None);
                throw;
            }
            await verifier.FinishAsync(Flow, ct);
            metrics.LoginCompleted(AuthenticationLevels.AmrOtp, clock.GetUtcNow() - Flow.StartedAt);
            flows.End(HttpContext);
            if (done.RedirectUrl is { } next) return LocalRedirect(next);
            ContinueUrl = LoginContinuation.Start(Response, Flow.ReturnUrl);
            return Page();
        }
        Error = LoginMessages.Describe(t, outcome, CodeLength);
        LimitRefusal.Mark(Response, outcome.Wait);
        return await ShowAsync(ct);
    }

    public Task<IActionResult> OnPostResendAsync(CancellationToken ct) => SendAgainAsync(bySms: false, ct);

    public Task<IActionResult> OnPostSmsAsync(CancellationToken ct) => SendAgainAsync(bySms: true, ct);

    /// <summary>The JSON the page polls for the live delivery state and the resend countdown.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct)
    {
        if (!TryReadFlow()) return NotFound();
        var view = await status.ReadAsync(Flow, ct);
        return view is null ? NotFound() : new JsonResult(view);
    }

    private async Task<IActionResult> SendAgainAsync(bool bySms, CancellationToken ct)
    {
        if (!TryReadFlow()) return FlowExpired();
        var sent = await issuer.SendAsync(Flow, HttpContext, bySms, ct);
        if (sent.Sent) Notice = t[LoginMessages.NoticeKey(sent.Notice) ?? "Login_CodeResent"];
        else
        {
            Error = LoginMessages.Describe(t, sent);
            LimitRefusal.Mark(Response, sent.Wait);
        }
        return await ShowAsync(ct);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        var view = await status.ReadAsync(Flow, ct);
        ResendInSeconds = view?.ResendInSeconds ?? (int)Math.Ceiling((await cooldown.RemainingAsync(Flow, ct)).TotalSeconds);
        SmsOffered = sender.Choose(options.CurrentValue.DeliveryPolicy, ChannelKind.Sms).CanSend && view?.SmsSent != true;
        return Page();
    }

    private bool TryReadFlow()
    {
        var flow = flows.Read(HttpContext);
        if (flow is not null) Flow = flow;
        return flow is not null;
    }

    private IActionResult FlowExpired() => RedirectToPage("Index");
}
