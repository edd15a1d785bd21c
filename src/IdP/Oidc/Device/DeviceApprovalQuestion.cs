using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>What became of asking a phone to approve a device: asked (or silently not, see below), not asked because the
/// client needs a second factor, or refused by the channel (for a limit, with the time to wait).</summary>
internal sealed record DeviceQuestionOutcome(bool NeedsSecondFactor = false, SendRefusal? Refusal = null)
{
    public bool Asked => !NeedsSecondFactor && Refusal is null;
}

/// <summary>
/// Asks a user over WhatsApp to approve a device: "Approve sign-in to {app} from {place}? Reply YES {code} …" (the
/// place of the device's address, as the account page names it) with Approve / Refuse reply buttons whose payloads
/// carry a fresh reference (<see cref="DeviceApprovalButtons"/>): on the Cloud API the question template when one is
/// configured, which reaches the user even outside WhatsApp's 24-hour window. A typed reply or a press reaches
/// <see cref="DeviceApprovalInbound"/>. Only a confirmed phone of an account is asked; for any other number nothing is
/// sent, yet the answer is the same, so the question cannot tell a prober which numbers have accounts. The send
/// counts against the channel's send limits like a login code: anyone who knows a number can start a device request.
/// A client that requires a second factor is never approved this way (a WhatsApp reply is one factor).
/// </summary>
internal sealed class DeviceApprovalQuestion(
    IdpDbContext db, DeviceAuthorizationStore store, ITextSender texts, IStringLocalizer<SharedResource> t,
    IOptionsMonitor<LoginOptions> login, ILogger<DeviceApprovalQuestion> log)
{
    public const string Purpose = "device-approval";

    public async Task<DeviceQuestionOutcome> AskAsync(DeviceAuthorization row, string userCode, string clientName, bool clientRequiresSecondFactor,
        string phone, string? clientIp, CancellationToken ct)
    {
        if (clientRequiresSecondFactor || login.CurrentValue.SecondFactor.Requirement == Login.SecondFactor.SecondFactorRequirement.Required)
            return new DeviceQuestionOutcome(NeedsSecondFactor: true);
        if (!await db.Set<IdpUser>().AnyAsync(u => u.PhoneNumber == phone && u.PhoneNumberConfirmed, ct))
        {
            log.LogInformation("Device approval: no account has the number, nothing sent");
            return new DeviceQuestionOutcome();
        }
        var reference = OpaqueToken.New();
        // WhatsApp only: the answer must come back from WhatsApp, and an SMS reply never reaches us.
        var (text, buttons) = Question(row.Locale, clientName, userCode, row.DeviceIp, reference);
        var sent = await texts.SendTextAsync(new TextRequest(phone, text, Purpose, row.Locale, DeliveryPolicy.WhatsAppOnly, Limited: true,
            ClientIp: clientIp, Buttons: buttons), ct);
        if (!sent.Queued)
        {
            log.LogWarning("Device approval question refused by the channel: {Reason}", sent.Refusal.Reason);
            return new DeviceQuestionOutcome(Refusal: sent.Refusal);
        }
        await store.RecordQuestionAsync(row.Id, phone, OpaqueToken.Hash(reference), ct);
        log.LogInformation("Device approval question queued for client {ClientId}", row.ClientId);
        return new DeviceQuestionOutcome();
    }

    /// <summary>
    /// In the request's language, whatever the language of the page or request that asks: the text (which says how to
    /// answer by typing, for a channel without buttons) and the Approve / Refuse buttons with the template's body
    /// parameters: {{1}} the app, {{2}} the place, {{3}} the user code.
    /// </summary>
    private (string Text, ReplyButtons Buttons) Question(string locale, string clientName, string userCode, string? deviceIp, string reference)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(locale);
            var place = PlaceOfAddress.Describe(deviceIp, t);
            var buttons = new ReplyButtons(
                [new ReplyButton(DeviceApprovalButtons.Payload(true, reference), t["Device_WhatsAppApproveButton"]),
                 new ReplyButton(DeviceApprovalButtons.Payload(false, reference), t["Device_WhatsAppRefuseButton"])],
                [OneLine(clientName), OneLine(place), userCode]);
            return (t["Device_WhatsAppQuestion", clientName, userCode, place], buttons);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>A template parameter is one line without runs of spaces (WhatsApp refuses others); an app's name may have them.</summary>
    private static string OneLine(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
