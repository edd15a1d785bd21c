using WaIdentity.IdP.RateLimiting;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Phones;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Login.WhatsAppOtp;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Pages.Account;

/// <summary>
/// Change the phone, behind a fresh re-authentication: the new number gets a WhatsApp code (the login's OtpIssuer and
/// OtpVerifier, bound to this browser's flow) and replaces the old one only once that code is entered. The old number
/// is told (NIST 800-63B 4.1.2.1).
/// </summary>
internal sealed class PhoneModel(
    UserManager<IdpUser> users, LoginFlowCookie flows, OtpIssuer issuer, OtpVerifier verifier, SecurityNotice notice, ReauthGate gate,
    DeliveryStatusReport status, ICodeSender sender, IOptionsMonitor<LoginOptions> options, PhoneInput phones, IStringLocalizer<SharedResource> t) : PageModel
{
    private const string Purpose = "phone-change";
    [BindProperty] public string? Phone { get; set; }
    /// <summary>The country picker's region (e.g. "ID"): where a number typed without "+" belongs.</summary>
    [BindProperty] public string? Country { get; set; }
    public string Region => phones.Region(Country);
    [BindProperty] public string? Code { get; set; }
    public string? PendingPhone { get; private set; }
    public string? Error { get; private set; }
    public string? Notice { get; private set; }
    public bool Done { get; private set; }
    /// <summary>The login code page's resend, countdown, SMS option and live delivery state, for the new number's code.</summary>
    public CodeDeliveryView Delivery { get; private set; } = new("/Account/Phone", 0, false);

    private string UserId => User.FindFirstValue(SessionClaims.Subject)!;

    public IActionResult OnGet() => gate.IsFresh(HttpContext) ? Page() : Reauthenticate();

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        var phone = phones.Read(Phone, Country);
        if (!phone.Ok)
        {
            Error = PhoneErrorText.Describe(t, phone);
            return Page();
        }
        if (await TakenAsync(phone.E164!, ct) is { } problem)
        {
            Error = t[problem];
            return Page();
        }
        var flow = flows.Begin(HttpContext, phone.E164!, "/account");
        var sent = await issuer.SendAsync(flow, HttpContext, bySms: false, Purpose, ct);
        if (!sent.Sent)
        {
            Error = LoginMessages.Describe(t, sent);
            LimitRefusal.Mark(Response, sent.Wait);
            return Page();
        }
        if (LoginMessages.NoticeKey(sent.Notice) is { } key) Notice = t[key];
        return await PendingAsync(flow, ct);
    }

    public Task<IActionResult> OnPostResendAsync(CancellationToken ct) => SendAgainAsync(bySms: false, ct);

    public Task<IActionResult> OnPostSmsAsync(CancellationToken ct) => SendAgainAsync(bySms: true, ct);

    /// <summary>The JSON the shared delivery script polls, as on the login code page.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext) || flows.Read(HttpContext) is not { Phone.Length: > 0 } flow) return NotFound();
        return await status.ReadAsync(flow, ct) is { } view ? new JsonResult(view) : NotFound();
    }

    private async Task<IActionResult> SendAgainAsync(bool bySms, CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        if (flows.Read(HttpContext) is not { Phone.Length: > 0 } flow) return Page();
        var sent = await issuer.SendAsync(flow, HttpContext, bySms, Purpose, ct);
        if (sent.Sent) Notice = t[LoginMessages.NoticeKey(sent.Notice) ?? "Login_CodeResent"];
        else
        {
            Error = LoginMessages.Describe(t, sent);
            LimitRefusal.Mark(Response, sent.Wait);
        }
        return await PendingAsync(flow, ct);
    }

    private async Task<IActionResult> PendingAsync(LoginFlow flow, CancellationToken ct)
    {
        PendingPhone = flow.Phone;
        var view = await status.ReadAsync(flow, ct);
        Delivery = new("/Account/Phone", view?.ResendInSeconds ?? 0,
            sender.Choose(options.CurrentValue.DeliveryPolicy, ChannelKind.Sms).CanSend && view?.SmsSent != true);
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (!gate.IsFresh(HttpContext)) return Reauthenticate();
        if (flows.Read(HttpContext) is not { Phone.Length: > 0 } flow) return Page();
        PendingPhone = flow.Phone;
        var (channel, failure) = await verifier.VerifyPhoneAsync(flow, Code, HttpContext, ct);
        if (channel is null)
        {
            Error = LoginMessages.Describe(t, failure!, options.CurrentValue.Otp.CodeLength);
            LimitRefusal.Mark(Response, failure!.Wait);
            return await PendingAsync(flow, ct);
        }
        flows.End(HttpContext);
        if (await TakenAsync(flow.Phone, ct) is { } problem)
        {
            Error = t[problem];
            return Page();
        }
        var user = (await users.FindByIdAsync(UserId))!;
        var old = user.PhoneNumberConfirmed ? user.PhoneNumber : null;
        user.PhoneNumber = flow.Phone;
        user.PhoneNumberConfirmed = true;
        await users.UpdateAsync(user);
        if (old is not null) await notice.SendAsync(UserId, "Account_NoticePhoneChanged", old, ct);
        await notice.SendAsync(UserId, "Account_NoticePhoneAdded", flow.Phone, ct);
        PendingPhone = null;
        Done = true;
        Notice = t["Account_PhoneChanged", flow.Phone];
        return Page();
    }

    /// <summary>The resource key of why this number cannot be used, or null.</summary>
    private async Task<string?> TakenAsync(string phone, CancellationToken ct)
    {
        var me = UserId;
        if (await users.Users.AnyAsync(u => u.Id == me && u.PhoneNumber == phone, ct)) return "Account_PhoneSame";
        // A number proves one account at login, so two accounts must never hold it.
        return await users.Users.AnyAsync(u => u.Id != me && u.PhoneNumber == phone, ct) ? "Account_PhoneTaken" : null;
    }

    private IActionResult Reauthenticate() => LocalRedirect(ReauthGate.RedirectFor("/account/phone"));
}
