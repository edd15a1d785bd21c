using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.MessageLog;

namespace WaIdentity.Admin.Pages.Admin.Messages;

internal sealed class IndexModel(MessageLogReader log, TimeProvider clock, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Phone { get; set; }
    [BindProperty(SupportsGet = true)] public ChannelKind? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public DeliveryState? State { get; set; }
    [BindProperty(SupportsGet = true)] public int Hours { get; set; } = 24;
    public string? Error { get; private set; }
    public IReadOnlyList<MessageLogEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var phone = Phone?.Trim();
        if (phone is { Length: > 0 } && !PhoneNumber.IsE164(phone))
        {
            Error = text["Messages_BadPhone"];
            return;
        }
        if (!ModelState.IsValid || Hours is < 1 or > 720)
        {
            Error = text["Messages_BadFilter"];
            return;
        }
        var filter = new MessageLogFilter(phone is { Length: > 0 } ? phone : null, Channel, State, clock.GetUtcNow().AddHours(-Hours));
        Entries = await log.ListAsync(filter, 200, ct);
    }
}
