using WaIdentity.IdP.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Login.WhatsAppOtp;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Oidc.Interaction;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>The chooser: phone for a WhatsApp code, or the password page. Posting the phone starts a new flow.</summary>
internal sealed class IndexModel(
    LoginFlowCookie flows,
    OtpIssuer issuer,
    IOptionsMonitor<LoginOptions> options,
    PhoneInput phones,
    ILoginRequestContextReader requests,
    IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Phone { get; set; }
    /// <summary>The country picker's region (e.g. "ID"): where a number typed without "+" belongs.</summary>
    [BindProperty] public string? Country { get; set; }
    public string Region => phones.Region(Country);
    public string? ClientName { get; private set; }
    public string? Error { get; private set; }
    /// <summary>Why no code can be sent right now (no channel configured or available), said before anyone tries.</summary>
    public string? Unavailable { get; private set; }
    public bool PasswordEnabled => options.CurrentValue.PasswordEnabled;
    public bool SendCodeEnabled => options.CurrentValue.SendCodeOffered;
    public bool WhatsAppOtpEnabled => options.CurrentValue.WhatsAppOtpEnabled;

    public async Task<IActionResult> OnGetAsync([FromServices] SecondFactorPolicy policy, [FromServices] TimeProvider clock,
        [FromServices] WaIdentity.WaChannel.Codes.ICodeSender sender, CancellationToken ct)
    {
        var context = await ReadContextAsync(ct);
        // Step-up: a signed-in user sent back here because the request needs a second factor keeps their session's
        // user and only adds the second factor, unless the request asked for a new login (prompt=login, max_age).
        if (User.Identity?.IsAuthenticated == true && User.FindFirst(SessionClaims.Acr)?.Value != AuthenticationLevels.TwoFactors &&
            context?.DemandsNewLogin(User, clock.GetUtcNow()) != true &&
            (options.CurrentValue.SecondFactor.Requirement == SecondFactorRequirement.Required || await policy.DemandedByRequestAsync(ReturnUrl, ct)))
            return LocalRedirect($"{FirstFactorCompletion.SecondFactorPath}?returnUrl={Uri.EscapeDataString(ReturnUrls.Sanitize(ReturnUrl))}");
        ClientName = context?.ClientName;
        // An e-mail hint belongs to the password page (which fills it in there), not to the WhatsApp number field.
        Phone ??= context?.PhoneHint;
        if (WhatsAppOtpEnabled && sender.Choose(options.CurrentValue.DeliveryPolicy).Refusal is { } why)
            Unavailable = LoginMessages.Describe(t, why);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!WhatsAppOtpEnabled) return NotFound();
        ClientName = (await ReadContextAsync(ct))?.ClientName;
        var phone = phones.Read(Phone, Country);
        if (!phone.Ok)
        {
            Error = PhoneErrorText.Describe(t, phone);
            return Page();
        }
        var flow = flows.Begin(HttpContext, phone.E164!, ReturnUrls.Sanitize(ReturnUrl));
        var sent = await issuer.SendAsync(flow, HttpContext, bySms: false, ct);
        if (!sent.Sent)
        {
            Error = LoginMessages.Describe(t, sent);
            LimitRefusal.Mark(Response, sent.Wait);
            return Page();
        }
        return RedirectToPage("Code", new { notice = LoginMessages.NoticeKey(sent.Notice) });
    }

    private Task<LoginRequestContext?> ReadContextAsync(CancellationToken ct) => requests.ReadAsync(ReturnUrls.Sanitize(ReturnUrl), ct);
}
