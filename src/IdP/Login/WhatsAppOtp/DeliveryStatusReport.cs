using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>What the code page shows live: the latest code's delivery state in words, and the resend wait.</summary>
public sealed record DeliveryStatusView(string State, string Text, bool FellBack, int ResendInSeconds);

public sealed class DeliveryStatusReport(IdpDbContext db, ICodeSender sender, ResendCooldown cooldown, IStringLocalizer<SharedResource> t)
{
    public async Task<DeliveryStatusView?> ReadAsync(LoginFlow flow, CancellationToken ct)
    {
        var latest = await db.Set<OtpChallenge>().AsNoTracking().Where(c => c.FlowHash == flow.Hash)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        if (latest is null) return null;
        var wait = (int)Math.Ceiling((await cooldown.RemainingAsync(flow, ct)).TotalSeconds);
        var status = latest.MessageId is not null && Guid.TryParse(latest.MessageId, out var id)
            ? await sender.GetStatusAsync(new MessageHandle(id), ct)
            : null;
        if (status is null) return new("queued", t["Login_StatusQueued"], false, wait);
        var state = status.State.ToString().ToLowerInvariant();
        return new(state, Describe(status), status.FellBack, wait);
    }

    private string Describe(DeliveryStatus s)
    {
        var channel = s.Channel == ChannelKind.Sms ? "Sms" : "WhatsApp";
        if (s.FellBack) return s.State == DeliveryState.Failed ? t["Login_StatusFailed"] : t["Login_StatusFellBack"];
        return s.State switch
        {
            DeliveryState.Queued => t[$"Login_StatusQueued{channel}"],
            DeliveryState.Sent => t[$"Login_StatusSent{channel}"],
            DeliveryState.Delivered or DeliveryState.Read => t[$"Login_StatusDelivered{channel}"],
            _ => s.Error is { Length: > 0 } e ? t["Login_StatusFailedBecause", e] : t["Login_StatusFailed"],
        };
    }
}
