using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Sessions;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>What the code page shows live: the latest code's delivery state in words, and the resend wait.</summary>
/// <param name="SmsSent">The code already went by SMS (asked for, or a fallback): "send by SMS instead" has nothing left to offer.</param>
internal sealed record DeliveryStatusView(string State, string Text, bool FellBack, int ResendInSeconds, bool SmsSent);

internal sealed class DeliveryStatusReport(IdpDbContext db, ICodeSender sender, ResendCooldown cooldown, IStringLocalizer<SharedResource> t)
{
    public async Task<DeliveryStatusView?> ReadAsync(LoginFlow flow, CancellationToken ct)
    {
        var latest = await db.CodesOf(flow).AsNoTracking().OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        if (latest is null) return null;
        var wait = (int)Math.Ceiling(cooldown.Remaining(latest).TotalSeconds);
        var status = latest.MessageId is not null && Guid.TryParse(latest.MessageId, out var id)
            ? await sender.GetStatusAsync(new MessageHandle(id), ct)
            : null;
        var smsSent = latest.RequestedChannel == AuthenticationLevels.AmrSms || status?.Channel == ChannelKind.Sms;
        if (status is null) return new("queued", t["Login_StatusQueued"], false, wait, smsSent);
        var state = status.State.ToString().ToLowerInvariant();
        return new(state, Describe(status), status.FellBack, wait, smsSent);
    }

    private string Describe(DeliveryStatus s)
    {
        var channel = s.Channel == ChannelKind.Sms ? "Sms" : "WhatsApp";
        if (s.FellBack)
            return s.State == DeliveryState.Failed ? t["Login_StatusFailed"]
                : s.FallbackReason == FallbackReason.NoDeliveryReport ? t["Login_StatusNoReportSentSms"] : t["Login_StatusFellBack"];
        return s.State switch
        {
            DeliveryState.Queued => t[$"Login_StatusQueued{channel}"],
            DeliveryState.Sent => t[$"Login_StatusSent{channel}"],
            DeliveryState.Delivered or DeliveryState.Read => t[$"Login_StatusDelivered{channel}"],
            _ => s.Error is { Length: > 0 } e ? t["Login_StatusFailedBecause", e] : t["Login_StatusFailed"],
        };
    }
}
