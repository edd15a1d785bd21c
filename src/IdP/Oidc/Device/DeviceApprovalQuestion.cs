using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>What became of asking a phone to approve a device: asked (or silently not, see below), or refused with a
/// login message key and, for a limit, the time to wait.</summary>
public sealed record DeviceQuestionOutcome(string? ErrorKey = null, TimeSpan? Wait = null)
{
    public bool Asked => ErrorKey is null;
}

/// <summary>
/// Asks a user over WhatsApp to approve a device: "Approve sign-in to {app} from {place}? Reply YES {code} …" (the
/// place of the device's address, as the account page names it); the reply reaches
/// <see cref="DeviceApprovalInbound"/>. Only a confirmed phone of an account is asked; for any other number nothing is
/// sent, yet the answer is the same, so the question cannot tell a prober which numbers have accounts. The send
/// counts against the channel's send limits like a login code: anyone who knows a number can start a device request.
/// A client that requires a second factor is never approved this way (a WhatsApp reply is one factor).
/// </summary>
public sealed class DeviceApprovalQuestion(
    IdpDbContext db, DeviceAuthorizationStore store, ITextSender texts, IStringLocalizer<SharedResource> t,
    IOptionsMonitor<LoginOptions> login, ILogger<DeviceApprovalQuestion> log)
{
    public const string Purpose = "device-approval";

    public async Task<DeviceQuestionOutcome> AskAsync(DeviceAuthorization row, string userCode, string clientName, bool clientRequiresSecondFactor,
        string phone, string? clientIp, CancellationToken ct)
    {
        if (clientRequiresSecondFactor || login.CurrentValue.SecondFactor.Requirement == Login.SecondFactor.SecondFactorRequirement.Required)
            return new DeviceQuestionOutcome("Device_PhoneNeedsSecondFactor");
        if (!await db.Set<IdpUser>().AnyAsync(u => u.PhoneNumber == phone && u.PhoneNumberConfirmed, ct))
        {
            log.LogInformation("Device approval: no account has the number, nothing sent");
            return new DeviceQuestionOutcome();
        }
        try
        {
            // WhatsApp only: the answer must come back from WhatsApp, and an SMS reply never reaches us.
            await texts.SendTextAsync(new TextRequest(phone, Question(row.Locale, clientName, userCode, row.DeviceIp), Purpose, row.Locale,
                DeliveryPolicy.WhatsAppOnly, Limited: true, ClientIp: clientIp), ct);
        }
        catch (CodeSendRefusedException e)
        {
            log.LogWarning("Device approval question refused by the channel: {Reason}", e.Reason);
            return e.Reason == "no_channel" ? new DeviceQuestionOutcome("Login_NoChannel")
                : e.RetryAfter is { } wait ? new DeviceQuestionOutcome("Login_TooManyCodes", wait)
                : new DeviceQuestionOutcome("Login_SendRefused");
        }
        await store.RecordQuestionAsync(row.Id, phone, ct);
        log.LogInformation("Device approval question queued for client {ClientId}", row.ClientId);
        return new DeviceQuestionOutcome();
    }

    /// <summary>In the request's language, whatever the language of the page or request that asks.</summary>
    private string Question(string locale, string clientName, string userCode, string? deviceIp)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(locale);
            return t["Device_WhatsAppQuestion", clientName, userCode, PlaceOfAddress.Describe(deviceIp, t)];
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
