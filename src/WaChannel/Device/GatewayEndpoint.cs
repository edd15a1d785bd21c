using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Device;

/// <summary>The effective gateway address and secrets: configured ones, or in Sandbox the built-in emulator's.</summary>
public sealed class GatewayEndpoint(IOptions<DeviceOptions> options, ChannelRuntime runtime, ProviderEndpoints endpoints)
{
    public const string WebhookPath = "/channel/webhooks/gateway";
    private DeviceOptions O => options.Value;

    /// <summary>True when the device is enabled and has a gateway to talk to.</summary>
    public bool IsActive => O.Enabled && (O.BaseUrl.Length > 0 || runtime.IsSandbox);
    public string BaseUrl => O.BaseUrl.Length > 0 || !runtime.IsSandbox ? O.BaseUrl.TrimEnd('/') : $"{endpoints.ListeningAddress()}{endpoints.Sandbox.GatewayPath}";
    public string ApiKey => O.BaseUrl.Length > 0 || !runtime.IsSandbox ? O.ApiKey : endpoints.Sandbox.GatewayApiKey;
    public string HmacKey => O.WebhookHmacKey.Length > 0 ? O.WebhookHmacKey : runtime.IsSandbox ? endpoints.Sandbox.GatewayHmacKey : "";
    public string Session => O.SessionName;
    public string WebhookUrl => $"{endpoints.PublicAddress()}{WebhookPath}";
}
