using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;

namespace WaIdentity.WaChannel.Providers;

/// <summary>
/// The effective provider addresses and credentials. In Sandbox, whatever is not configured points at the built-in
/// emulators on this app's own listening address with the sandbox credentials (<see cref="SandboxProviders"/>), so the
/// production code path runs.
/// </summary>
public sealed class ProviderEndpoints(IOptionsMonitor<ChannelOptions> options, ChannelRuntime runtime, IServer server, SandboxProviders? sandbox = null)
{
    public const string CloudApiVersion = "v25.0";
    // CurrentValue: credentials changed in the admin portal apply without a restart.
    private ChannelOptions O => options.CurrentValue;

    public string WhatsAppBaseUrl => Pick(O.WhatsApp.BaseUrl, () => $"{ListeningAddress()}{Sandbox.WhatsAppPath}/{CloudApiVersion}", $"https://graph.facebook.com/{CloudApiVersion}");
    public string PhoneNumberId => Pick(O.WhatsApp.PhoneNumberId, () => Sandbox.PhoneNumberId, "");
    public string BusinessAccountId => Pick(O.WhatsApp.BusinessAccountId, () => Sandbox.BusinessAccountId, "");
    public string AccessToken => Pick(O.WhatsApp.AccessToken, () => Sandbox.AccessToken, "");
    public string AppSecret => Pick(O.WhatsApp.AppSecret, () => Sandbox.AppSecret, "");
    public string VerifyToken => Pick(O.WhatsApp.VerifyToken, () => Sandbox.VerifyToken, "");

    public string SmsBaseUrl => Pick(O.Sms.BaseUrl, () => $"{ListeningAddress()}{Sandbox.SmsPath}", "https://api.twilio.com");
    public string SmsAccountSid => Pick(O.Sms.AccountSid, () => Sandbox.SmsAccountSid, "");
    public string SmsAuthToken => Pick(O.Sms.AuthToken, () => Sandbox.SmsAuthToken, "");
    public string SmsFrom => Pick(O.Sms.From, () => Sandbox.SmsFrom, "");

    /// <summary>Where the SMS provider posts status callbacks: the public URL when set, else this node.</summary>
    public string SmsStatusCallbackUrl => $"{PublicAddress()}{WebhookPaths.Sms}";

    public string PublicAddress() => O.PublicBaseUrl.Length > 0 ? O.PublicBaseUrl.TrimEnd('/') : ListeningAddress();

    /// <summary>This node's own HTTP address (wildcard hosts become loopback), known once Kestrel listens.</summary>
    public string ListeningAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no listening address yet.");
        var uri = new Uri(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1"));
        return uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The sandbox's emulators; only read in Sandbox, where the host must have registered them.</summary>
    public SandboxProviders Sandbox => sandbox
        ?? throw new InvalidOperationException("The channel runs in Sandbox but no sandbox is registered (AddWaChannelSandbox).");

    private string Pick(string configured, Func<string> sandbox, string live) =>
        configured.Length > 0 ? configured.TrimEnd('/') : runtime.IsSandbox ? sandbox() : live;
}

public static class WebhookPaths
{
    public const string WhatsApp = "/channel/webhooks/whatsapp";
    public const string Sms = "/channel/webhooks/sms";
}
