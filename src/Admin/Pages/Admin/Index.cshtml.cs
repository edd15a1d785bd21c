using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin.Home;
using WaIdentity.Admin.Webhooks;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.MessageLog;

namespace WaIdentity.Admin.Pages.Admin;

/// <summary>
/// The portal's home: today's users and logins, the last 24 hours of delivery, the linked device, and what needs an
/// admin's attention (each item links to the page that fixes it), as Keycloak's and Authgear's consoles open.
/// </summary>
internal sealed class IndexModel(IUserActivity activity, DeliveryStatistics statistics, DeviceAdmin device, IWebhookDeliveries webhooks,
    ChannelRuntime channel, TimeProvider clock) : PageModel
{
    /// <summary>Below this share of delivered messages (with enough of them to judge) the home page raises it.</summary>
    private const double LowDeliveryRate = 0.9;
    private const int EnoughToJudge = 10;

    public UserActivitySummary Users { get; private set; } = null!;
    public int Sent { get; private set; }
    public int Delivered { get; private set; }
    public int Failed { get; private set; }
    public int Fallbacks { get; private set; }
    public DeviceOverview Device { get; private set; } = null!;
    public bool Sandbox => channel.IsSandbox;
    public List<Attention> NeedsAttention { get; } = [];

    /// <param name="Text">An AdminText key; <paramref name="Argument"/> fills its {0}.</param>
    /// <param name="Page">The Razor page that fixes it.</param>
    public sealed record Attention(string Text, object? Argument, string Page);

    /// <summary>The delivery figures in full: a page of the Messages section.</summary>
    public const string DashboardPage = "/Admin/Messages/Dashboard";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        Users = await activity.ReadAsync(today, ct);
        var hours = (await statistics.ReadAsync(24, ct)).Hours;
        (Sent, Delivered, Failed, Fallbacks) = (hours.Sum(h => h.Sent), hours.Sum(h => h.Delivered), hours.Sum(h => h.Failed), hours.Sum(h => h.Fallbacks));
        Device = await device.GetOverviewAsync(ct);
        var dead = (await webhooks.ListAsync("Dead", 100, ct)).Count;

        if (Device.Enabled && Device.Status != DeviceStatus.Working) NeedsAttention.Add(new("Home_AttentionDevice", Device.Status, AdminNavigation.Device.Page));
        if (Device.OpenAlerts.Count > 0) NeedsAttention.Add(new("Home_AttentionAlerts", Device.OpenAlerts.Count, AdminNavigation.Device.Page));
        if (dead > 0) NeedsAttention.Add(new("Home_AttentionWebhooks", dead, AdminNavigation.Webhooks.Page));
        if (Sent >= EnoughToJudge && DeliveryRate < LowDeliveryRate) NeedsAttention.Add(new("Home_AttentionDelivery", DeliveryRate, DashboardPage));
        if (Sandbox) NeedsAttention.Add(new("Home_AttentionSandbox", null, AdminNavigation.WhatsApp.Page));
    }

    public double DeliveryRate => Sent == 0 ? 0 : (double)Delivered / Sent;

    /// <summary>Of the messages first sent (not the fallbacks themselves), the share that went on by SMS.</summary>
    public double FallbackShare => Sent - Fallbacks <= 0 ? 0 : (double)Fallbacks / (Sent - Fallbacks);
}
