using Microsoft.AspNetCore.DataProtection;

namespace WaIdentity.WaChannel.Outbox;

/// <summary>Encrypts codes and texts at rest in the outbox; keys are the host's shared Data Protection keys.</summary>
internal sealed class PayloadProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("WaIdentity.WaChannel.Outbox.Payload.v1");

    public string Protect(string clear) => _protector.Protect(clear);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
