using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WaIdentity.IdP.Settings;

/// <summary>Encrypts secret settings at rest with the cluster's Data Protection key ring (kept in the database).</summary>
internal sealed class SettingsProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("WaIdentity.Settings.v1");

    public string Protect(string value) => _protector.Protect(value);

    /// <summary>Null when the ciphertext cannot be read (key ring lost): the configured value applies instead.</summary>
    public string? TryUnprotect(string value)
    {
        try { return _protector.Unprotect(value); }
        catch (CryptographicException) { return null; }
    }
}
