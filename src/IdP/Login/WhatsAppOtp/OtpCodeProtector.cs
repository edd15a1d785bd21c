using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// Keeps a live code recoverable for re-sending it (a resend sends the same code): sealed with the host's shared Data
/// Protection keys, so a copy of the database alone reveals no code. The sealed copy is dropped when the code is used
/// or dies of wrong attempts, and the issuer never opens the copy of an expired code.
/// </summary>
internal sealed class OtpCodeProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("WaIdentity.Login.Otp.Code.v1");

    public string Protect(string code) => _protector.Protect(code);

    /// <summary>The code, or null when there is none or it can no longer be opened (the key ring lost its key).</summary>
    public string? Unprotect(string? sealedCode)
    {
        if (sealedCode is null) return null;
        try { return _protector.Unprotect(sealedCode); }
        catch (CryptographicException) { return null; }
    }
}
