namespace WaIdentity.WaChannel.Providers;

/// <summary>
/// What the sandbox (the WaChannel.Sandbox project) supplies when the channel runs in Sandbox: where its emulators
/// answer on this node and the fixed credentials they accept. Whatever is not configured falls back to these, so the
/// production code path runs against the emulators. Live and Disabled never read it; the host registers it only in Sandbox.
/// </summary>
public sealed record SandboxProviders(
    string WhatsAppPath, string PhoneNumberId, string BusinessAccountId, string AccessToken, string AppSecret, string VerifyToken,
    string SmsPath, string SmsAccountSid, string SmsAuthToken, string SmsFrom,
    string GatewayPath, string GatewayApiKey, string GatewayHmacKey);
