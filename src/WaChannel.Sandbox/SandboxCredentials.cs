namespace WaIdentity.WaChannel.Sandbox;

/// <summary>Fixed credentials the app and the emulators share in Sandbox. Not secrets: Sandbox never runs in Production.</summary>
public static class SandboxCredentials
{
    public const string PhoneNumberId = "106540352242922";
    public const string BusinessAccountId = "102290129340398";
    public const string AccessToken = "sandbox-access-token";
    public const string AppSecret = "sandbox-app-secret";
    public const string VerifyToken = "sandbox-verify-token";
    public const string AccountSid = "AC00000000000000000000000000000000";
    public const string AuthToken = "sandbox-auth-token";
    public const string SmsFrom = "+15005550006";
    public const string BusinessNumber = "15550783881";
}
