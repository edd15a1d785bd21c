using Microsoft.Extensions.Options;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>Outside Development the HMAC key must be configured: the built-in development key is public.</summary>
internal sealed class CodeHashKeyRequirement(IHostEnvironment environment) : IValidateOptions<LoginOptions>
{
    public ValidateOptionsResult Validate(string? name, LoginOptions options) =>
        environment.IsDevelopment() || !string.IsNullOrEmpty(options.Otp.CodeHashKey)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{LoginOptions.Section}:Otp:CodeHashKey: is required outside Development (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)");
}
