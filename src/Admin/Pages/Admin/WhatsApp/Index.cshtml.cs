using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Providers.CloudApi;

namespace WaIdentity.Admin.Pages.Admin.WhatsApp;

/// <summary>The Cloud API sender: ids and write-only credentials (the settings overlay, encrypted), a test message,
/// and the authentication template's status per configured language with a button that creates the missing ones.</summary>
internal sealed class IndexModel(
    ISettingsStore store,
    ISettingsCatalogue catalogue,
    IAuditLog audit,
    IStringLocalizer<AdminText> text,
    AuthenticationTemplates templates,
    ICodeSender codes,
    ITextSender texts,
    IOptionsMonitor<ChannelOptions> channelOptions,
    ChannelRuntime channel,
    ProviderEndpoints endpoints) : SettingsPageModel(store, catalogue, audit, text)
{
    protected override SettingsPage Shows => SettingsPage.WhatsApp;
    protected override string AuditAction => "settings.whatsapp";

    /// <summary>Sandbox (emulators, nothing reaches a real phone), Live, or Disabled (no code can be sent).</summary>
    public ChannelMode Mode => channel.Mode;

    /// <summary>What to paste into Meta's webhook settings: the callback URL (the public base when set, else this node's
    /// address) and the verify token Meta echoes back when it checks the URL.</summary>
    public string WebhookUrl => endpoints.PublicAddress() + WebhookPaths.WhatsApp;
    public bool PublicBaseUrlSet => channelOptions.CurrentValue.PublicBaseUrl is { Length: > 0 };
    public string VerifyToken => endpoints.VerifyToken;

    public IReadOnlyList<TemplateStatus> Templates { get; private set; } = [];
    public string? TemplateError { get; private set; }
    [BindProperty] public string? TestPhone { get; set; }
    [BindProperty] public string? TestMode { get; set; }
    [BindProperty] public string? TestText { get; set; }
    public string? TestError { get; private set; }
    /// <summary>The test message just sent (<c>?test=</c>), whose state the page shows.</summary>
    [FromQuery(Name = "test")] public string? TestId { get; set; }
    public DeliveryStatus? TestStatus { get; private set; }

    protected override async Task LoadAsync(CancellationToken ct)
    {
        if (Guid.TryParseExact(TestId, "N", out var id)) TestStatus = await codes.GetStatusAsync(new MessageHandle(id), ct);
        try { Templates = await templates.GetStatusAsync(ct); }
        catch (Exception e) when (e is CloudApiException or HttpRequestException or TaskCanceledException)
        {
            TemplateError = e.Message;
        }
    }

    public async Task<IActionResult> OnPostCreateTemplatesAsync(CancellationToken ct)
    {
        try
        {
            var created = await templates.CreateMissingAsync(int.Parse(InForce("Login:Otp:LifetimeSeconds")!, CultureInfo.InvariantCulture), ct);
            await Audit.RecordAsync(AdminActor.Id(User), "whatsapp.create-templates", "whatsapp", null, new { Created = created }, ct);
            Message = created.Count == 0 ? Strings["WhatsApp_NoneMissing"] : Strings["WhatsApp_Created", string.Join(", ", created)];
            return RedirectToPage();
        }
        catch (Exception e) when (e is CloudApiException or HttpRequestException or TaskCanceledException)
        {
            await OnGetAsync(ct);
            TemplateError = e.Message;
            return Page();
        }
    }

    /// <summary>What the test sends: the login-code template (Cloud API), or a free text to a person (Cloud API or the
    /// linked device) or to a group (the device: the Cloud API cannot post to groups).</summary>
    public static readonly string[] TestModes = ["code", "text", "device-text", "group"];

    /// <summary>Sends the chosen test by WhatsApp only (never SMS), so the admin sees that sender work; the page then
    /// shows what became of it (<see cref="TestId"/>), and why when the Cloud API refused a free text.</summary>
    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var mode = TestModes.Contains(TestMode) ? TestMode! : "code";
        var to = mode == "group" ? GroupChatId.Normalize(TestPhone?.Trim() ?? "") : TestPhone?.Trim() ?? "";
        var text = TestText?.Trim() ?? "";
        TestError = to is null ? Strings["WhatsApp_TestBadGroup"].Value
            : mode != "group" && !PhoneNumber.IsE164(to) ? Strings["Device_BadPhone"].Value
            : mode != "code" && text.Length is 0 or > TextRequest.MaxLength ? Strings["WhatsApp_TestTextLength", TextRequest.MaxLength].Value
            : null;
        if (TestError is not null) return await ShowTestAgainAsync(ct);
        var sent = mode switch
        {
            "text" => await texts.SendTextAsync(new TextRequest(to!, text, "admin-test", "en", DeliveryPolicy.WhatsAppOnly), ct),
            "device-text" => await texts.SendTextAsync(new TextRequest(to!, text, "admin-test", "en", DeliveryPolicy.WhatsAppOnly, ThroughDevice: true), ct),
            "group" => await texts.SendGroupTextAsync(new GroupTextRequest(to!, text, "admin-test"), ct),
            _ => await codes.SendCodeAsync(new CodeRequest(to!, RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6"), "admin-test", "en", DeliveryPolicy.WhatsAppOnly), ct),
        };
        if (!sent.Queued)
        {
            // The channel's own sentence names the setting or limit, which is what an administrator needs.
            TestError = sent.Refusal.Reason is SendRefusalReason.DeviceUnavailable or SendRefusalReason.GroupsUnavailable
                ? Strings["WhatsApp_TestDeviceOff"] : sent.Refusal.Message;
            return await ShowTestAgainAsync(ct);
        }
        var handle = sent.Handle;
        await Audit.RecordAsync(AdminActor.Id(User), "whatsapp.test-message", mode == "group" ? $"group:{to}" : $"phone:{to}", null,
            new { Message = handle.ToString(), Mode = mode }, ct);
        Message = mode == "code" ? Strings["WhatsApp_TestSent", to!] : Strings["WhatsApp_TestTextSent", to!];
        return RedirectToPage(new { test = handle.ToString() });
    }

    private async Task<IActionResult> ShowTestAgainAsync(CancellationToken ct)
    {
        var (mode, phone, text, error) = (TestMode, TestPhone, TestText, TestError);
        await OnGetAsync(ct);
        (TestMode, TestPhone, TestText, TestError) = (mode, phone, text, error);
        return Page();
    }
}
