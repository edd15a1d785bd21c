namespace WaIdentity.WaChannel.Sandbox;

/// <summary>Fixed credentials shared by the app and the gateway emulator in Sandbox. Not secrets: Sandbox never runs in Production.</summary>
internal static class DeviceSandboxCredentials
{
    public const string ApiKey = "sandbox-gateway-api-key";
    public const string HmacKey = "sandbox-gateway-hmac-key";
}
