using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Settings;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Providers.CloudApi;
using static WaIdentity.Admin.Settings.SettingFieldKind;

namespace WaIdentity.Admin.Pages.Admin.WhatsApp;

/// <summary>The Cloud API sender: ids and write-only credentials (the settings overlay, encrypted), a test message,
/// and the authentication template's status per configured language with a button that creates the missing ones.</summary>
[Authorize(Policy = AdminPolicy.Name)]
public sealed class IndexModel(
    ISettingsStore store,
    IAuditLog audit,
    IStringLocalizer<AdminText> text,
    AuthenticationTemplates templates,
    ICodeSender codes,
    IConfiguration configuration,
    ChannelRuntime channel,
    ProviderEndpoints endpoints) : SettingsPageModel(store, audit, text)
{
    private static readonly IReadOnlyList<SettingFieldGroup> Form =
    [
        new("WhatsApp_CloudApi",
        [
            new("Channel:WhatsApp:PhoneNumberId", Text, "WhatsApp_PhoneNumberId"),
            new("Channel:WhatsApp:BusinessAccountId", Text, "WhatsApp_BusinessAccountId"),
            new("Channel:WhatsApp:AccessToken", Secret, "WhatsApp_AccessToken"),
            new("Channel:WhatsApp:AppSecret", Secret, "WhatsApp_AppSecret", Hint: "WhatsApp_AppSecretHint"),
        ], Note: "WhatsApp_CloudApiNote"),
    ];

    public override IReadOnlyList<SettingFieldGroup> Groups => Form;
    protected override string AuditAction => "settings.whatsapp";

    /// <summary>Sandbox (emulators, nothing reaches a real phone), Live, or Disabled (no code can be sent).</summary>
    public ChannelMode Mode => channel.Mode;

    /// <summary>What to paste into Meta's webhook settings: the callback URL (the public base when set, else this node's
    /// address) and the verify token Meta echoes back when it checks the URL.</summary>
    public string WebhookUrl => endpoints.PublicAddress() + WebhookPaths.WhatsApp;
    public bool PublicBaseUrlSet => configuration["Channel:PublicBaseUrl"] is { Length: > 0 };
    public string VerifyToken => endpoints.VerifyToken;

    public IReadOnlyList<TemplateStatus> Templates { get; private set; } = [];
    public string? TemplateError { get; private set; }
    [BindProperty] public string? TestPhone { get; set; }
    public string? TestError { get; private set; }

    protected override async Task LoadAsync(CancellationToken ct)
    {
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
            var created = await templates.CreateMissingAsync(configuration.GetValue("Login:Otp:LifetimeSeconds", 600), ct);
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

    /// <summary>Sends the authentication template with a random code, by WhatsApp only, so the admin sees the sender work.</summary>
    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var phone = TestPhone?.Trim() ?? "";
        if (!PhoneNumber.IsE164(phone))
        {
            await OnGetAsync(ct);
            TestError = Strings["Device_BadPhone"];
            return Page();
        }
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var handle = await codes.SendCodeAsync(new CodeRequest(phone, code, "admin-test", "en", DeliveryPolicy.WhatsAppOnly), ct);
        await Audit.RecordAsync(AdminActor.Id(User), "whatsapp.test-message", $"phone:{phone}", null, new { Message = handle.ToString() }, ct);
        Message = Strings["WhatsApp_TestSent", phone];
        return RedirectToPage();
    }
}
