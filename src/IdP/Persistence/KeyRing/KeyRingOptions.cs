using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Persistence.KeyRing;

/// <summary>
/// Configuration section "DataProtection". The Data Protection key ring lives in the database next to what it
/// encrypts (TOTP secrets, portal secrets, webhook secrets), so outside Development its keys are themselves encrypted
/// with a key that is NOT in the database: a stolen database alone then decrypts nothing.
/// </summary>
internal sealed class KeyRingOptions : IValidatableOptions
{
    public const string Section = "DataProtection";

    /// <summary>Base64 of at least 32 random bytes (AES-256-GCM key). Required outside Development.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>The AES-256 key, or null when none is set or it is not base64 of 32+ bytes (then <see cref="Validate"/> fails).</summary>
    public byte[]? KeyBytes
    {
        get
        {
            if (string.IsNullOrEmpty(KeyEncryptionKey)) return null;
            try { return Convert.FromBase64String(KeyEncryptionKey) is { Length: >= 32 } bytes ? bytes[..32] : null; }
            catch (FormatException) { return null; }
        }
    }

    public IEnumerable<string> Validate(string section)
    {
        if (!string.IsNullOrEmpty(KeyEncryptionKey) && KeyBytes is null)
            yield return $"{section}:KeyEncryptionKey: must be base64 of at least 32 random bytes";
    }
}

/// <summary>Outside Development the key ring must be encrypted (see <see cref="KeyRingOptions"/>).</summary>
internal sealed class KeyEncryptionKeyRequirement(IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options) =>
        environment.IsDevelopment() || !string.IsNullOrEmpty(options.KeyEncryptionKey)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{KeyRingOptions.Section}:KeyEncryptionKey: is required outside Development (base64 of 32 random bytes, e.g. `openssl rand -base64 32`); it encrypts the Data Protection keys kept in the database");
}
