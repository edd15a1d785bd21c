using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.WaChannel.Codes;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Oidc.Tokens;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Inbound;

namespace WaIdentity.IdP.Oidc.Device;

/// <summary>
/// A WhatsApp reply "YES BCDF-GHJK" (or "YA …") approves the device request with that user code, "NO …" (or
/// "TIDAK …") denies it; a press of the question's Approve / Refuse button (<see cref="DeviceApprovalButtons"/>: the
/// request is found by the reference in the payload, not by the user code) does the same. Either counts only from the
/// phone that was asked (<see cref="DeviceAuthorization.ApprovalPhone"/>), only after it was asked, and only while the
/// message is fresh (<see cref="InboundFreshness"/>, as for send-code login); the first answer wins, a later press or
/// reply finds nothing pending. The approval signs the device in as that phone's account, with amr "wa" at one factor.
/// The phone then gets a confirmation ("Approved: sign-in on {app}." or "Refused: …"), inside the window its own reply
/// (or press) just opened.
/// </summary>
internal sealed partial class DeviceApprovalInbound(IdpDbContext db, DeviceAuthorizationStore store, ClientRegistry clients, ITextSender texts,
    IStringLocalizer<SharedResource> t, TimeProvider clock, ILogger<DeviceApprovalInbound> log)
    : IInboundMessageSubscriber
{
    public async Task<bool> OnInboundAsync(InboundMessage message, CancellationToken ct)
    {
        if (DeviceApprovalButtons.Parse(message.ButtonPayload) is { } press)
            return await AnswerAsync(message, press.Approve, () => store.FindPendingByReferenceAsync(OpaqueToken.Hash(press.Reference), ct), ct);
        var match = Answer().Match(message.Text);
        if (!match.Success || UserCode.Normalize(match.Groups["code"].Value) is not { } code) return false;
        var approve = match.Groups["answer"].Value.ToUpperInvariant() is "YES" or "YA";
        return await AnswerAsync(message, approve, () => store.FindPendingAsync(code, ct), ct);
    }

    /// <summary>A typed answer and a button press go by the same rules: fresh, from the phone asked, after the question.</summary>
    private async Task<bool> AnswerAsync(InboundMessage message, bool approve, Func<Task<DeviceAuthorization?>> find, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (InboundFreshness.IsStale(message, now))
        {
            log.LogInformation("Device approval reply: ignored (sent {Age} ago)", now - message.SentAt);
            return true;
        }
        var row = await find();
        if (row is null || row.ApprovalPhone != message.Phone || row.ApprovalAskedAt > InboundFreshness.CodesCreatedBy(message))
        {
            log.LogInformation("Device approval reply: no question pending for this number and {Answer}", message.ButtonPayload is null ? "code" : "button");
            return true;
        }
        var answered = approve ? await ApproveAsync(row, message.Phone, now, ct) : await store.DenyAsync(row.Id, ct);
        log.LogInformation("Device approval reply: {Outcome}", !answered ? "too late" : approve ? "approved" : "denied");
        if (answered) await ConfirmAsync(row, message.Phone, approve, ct);
        return true;
    }

    private async Task<bool> ApproveAsync(DeviceAuthorization row, string phone, DateTimeOffset now, CancellationToken ct)
    {
        var userId = await db.Set<IdpUser>().Where(u => u.PhoneNumber == phone && u.PhoneNumberConfirmed).Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (userId is null) return false;
        // No browser session stands behind this approval: the tokens get a session id of their own.
        var auth = new Authentication(userId, OpaqueToken.New()[..32], now, AuthenticationLevels.AmrWhatsApp, AuthenticationLevels.OneFactor);
        return await store.ApproveAsync(row.Id, auth, ct);
    }

    private async Task ConfirmAsync(DeviceAuthorization row, string phone, bool approved, CancellationToken ct)
    {
        var app = (await clients.FindAsync(row.ClientId, ct))?.DisplayName ?? row.ClientId;
        var before = CultureInfo.CurrentUICulture;
        string text;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(row.Locale);
            text = t[approved ? "Device_WhatsAppApproved" : "Device_WhatsAppRefused", app];
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
        var sent = await texts.SendTextAsync(new TextRequest(phone, text, DeviceApprovalQuestion.Purpose, row.Locale, DeliveryPolicy.WhatsAppOnly), ct);
        if (!sent.Queued) log.LogWarning("Device approval confirmation not sent: {Reason}", sent.Refusal.Reason);
    }

    [GeneratedRegex(@"^\s*(?<answer>YES|YA|NO|TIDAK)\b[\s:,.]*(?<code>[A-Za-z]{4}[\s-]?[A-Za-z]{4})\s*[.!]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Answer();
}
